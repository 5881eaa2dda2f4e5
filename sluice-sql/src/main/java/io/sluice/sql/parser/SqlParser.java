package io.sluice.sql.parser;

import io.sluice.sql.RtsqlException;
import io.sluice.sql.ast.Statement;

import java.util.ArrayList;
import java.util.List;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Parses one rtsql statement into the AST. Syntax errors carry the 1-based line and column, and
 * for a construct of another dialect or a misspelt keyword a hint instead of ANTLR's token list
 * ({@link ForeignSyntax}).
 * Thread-safe (each call builds its own lexer and parser).
 */
public final class SqlParser {
    private SqlParser() {
    }

    public static Statement parse(String text) throws RtsqlException {
        RtsqlLexer lexer = new RtsqlLexer(CharStreams.fromString(text));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        RtsqlParser parser = new RtsqlParser(tokens);
        List<int[]> positions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        BaseErrorListener listener = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col,
                    String msg, RecognitionException e) {
                if (!problems.isEmpty()) {
                    return; // the first syntax error is the useful one
                }
                String near = offendingSymbol instanceof Token ? describe((Token) offendingSymbol) : null;
                String hint = ForeignSyntax.hint(text, offendingSymbol instanceof Token t ? t.getText() : null);
                String detail = hint != null ? hint : msg.replace("<EOF>", "end of statement");
                String m = near == null ? "syntax error: " + detail : "syntax error at " + near + ": " + detail;
                positions.add(new int[] {line, col + 1});
                problems.add("line " + line + ":" + (col + 1) + ": " + m);
            }
        };
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        lexer.addErrorListener(listener);
        parser.addErrorListener(listener);
        RtsqlParser.SingleStatementContext tree = parser.singleStatement();
        if (!problems.isEmpty()) {
            throw new RtsqlException(positions.get(0)[0], positions.get(0)[1], problems);
        }
        try {
            return new AstBuilder(text).statement(tree.statement());
        } catch (NumberFormatException e) {
            throw new RtsqlException("a number in the statement is too large: " + e.getMessage());
        }
    }

    /** The ANTLR parse tree of a statement in LISP form, for EXPLAIN; null if it does not parse. */
    public static String parseTree(String text) {
        RtsqlLexer lexer = new RtsqlLexer(CharStreams.fromString(text));
        RtsqlParser parser = new RtsqlParser(new CommonTokenStream(lexer));
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        return parser.singleStatement().toStringTree(parser);
    }

    private static String describe(Token t) {
        if (t.getType() == Token.EOF) {
            return "end of statement";
        }
        return "'" + t.getText() + "'";
    }
}
