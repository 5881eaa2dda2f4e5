package io.sluice.metrics.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the query language, a subset of PromQL's shape with Artimon's operations:
 *
 * <pre>
 * expr     := term (('+' | '-' | '*' | '/') [on '(' labels ')'] term)*     ('*' '/' bind tighter)
 * term     := number | selector | '(' expr ')'
 *           | ('delta' | 'rate') '(' expr ')' | 'moving_avg' '(' expr ',' n ')' | 'fill' '(' expr [',' v] ')'
 *           | 'map' '(' function ',' expr (',' number)* ')'      (an rtsql scalar function per value)
 *           | ('sum' | 'avg' | 'min' | 'max' | 'count') [by '(' labels ')'] '(' expr ')' [by '(' labels ')']
 * selector := name ['{' label ('=' | '!=' | '=~' | '!~') "value" (',' ...)* '}'] | '{' ... '}'
 * </pre>
 *
 * Errors name the column and what was expected. Stateless; thread-safe.
 */
public final class QueryParser {
    private static final Set<String> FUNCTIONS = Set.of("delta", "rate", "moving_avg", "fill");
    private static final Set<String> AGGREGATES = Set.of("sum", "avg", "min", "max", "count");
    private final String text;
    private int pos;

    private QueryParser(String text) {
        this.text = text;
    }

    public static Expr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new QueryException("the query is empty; expected e.g. temperature{dc=\"jb\"}");
        }
        QueryParser p = new QueryParser(text);
        Expr e = p.additive();
        p.spaces();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.substring(p.pos) + "'");
        }
        return e;
    }

    private QueryException error(String what) {
        return new QueryException("column " + (pos + 1) + ": " + what);
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (true) {
            spaces();
            if (peek('+') || peek('-')) {
                char op = text.charAt(pos++);
                List<String> on = on();
                left = new Expr.Binary(op, left, multiplicative(), on);
            } else {
                return left;
            }
        }
    }

    private Expr multiplicative() {
        Expr left = term();
        while (true) {
            spaces();
            if (peek('*') || peek('/')) {
                char op = text.charAt(pos++);
                List<String> on = on();
                left = new Expr.Binary(op, left, term(), on);
            } else {
                return left;
            }
        }
    }

    private List<String> on() {
        spaces();
        int save = pos;
        String word = identifier();
        if ("on".equals(word)) {
            return labelList();
        }
        pos = save;
        return null;
    }

    private Expr term() {
        spaces();
        if (pos >= text.length()) {
            throw error("expected a series, a number, a function or an aggregation");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Expr e = additive();
            expect(')');
            return e;
        }
        if (Character.isDigit(c) || c == '.') {
            return new Expr.Number(number());
        }
        if (c == '{') {
            return selector(null);
        }
        int start = pos;
        String word = identifier();
        if (word.isEmpty()) {
            throw error("expected a series, a number, a function or an aggregation, found '" + c + "'");
        }
        spaces();
        if (AGGREGATES.contains(word) && (peek('(') || peekWord("by"))) {
            List<String> by = List.of();
            if (peekWord("by")) {
                identifier();
                by = labelList();
            }
            expect('(');
            Expr arg = additive();
            expect(')');
            spaces();
            if (by.isEmpty() && peekWord("by")) {
                identifier();
                by = labelList();
            }
            return new Expr.Aggregate(word, by, arg);
        }
        if (word.equals("map") && peek('(')) {
            pos++;
            spaces();
            int fnAt = pos;
            String fn = identifier();
            if (fn.isEmpty()) {
                throw error("map needs a function name first, e.g. map(round, temperature, 1)");
            }
            spaces();
            expect(',');
            Expr arg = additive();
            spaces();
            List<Double> args = new ArrayList<>();
            while (peek(',')) {
                pos++;
                spaces();
                args.add(number());
                spaces();
            }
            expect(')');
            UserFunctions.Bound bound;
            try {
                bound = UserFunctions.bind(fn, args);
            } catch (IllegalArgumentException e) {
                pos = fnAt;
                throw error(e.getMessage());
            }
            return new Expr.MapFunction(fn, arg, args, bound);
        }
        if (FUNCTIONS.contains(word) && peek('(')) {
            pos++;
            Expr arg = additive();
            spaces();
            Double param = null;
            if (peek(',')) {
                pos++;
                spaces();
                param = number();
            }
            expect(')');
            if (word.equals("moving_avg") && (param == null || param < 1 || param != Math.rint(param))) {
                pos = start;
                throw error("moving_avg needs a whole number of points >= 1, e.g. moving_avg(x, 5)");
            }
            return new Expr.Function(word, arg, param);
        }
        if (peek('(')) {
            pos = start;
            throw error("unknown function '" + word + "'; known: delta, rate, moving_avg, fill, map, sum, avg, min,"
                    + " max, count (rtsql functions run through map(" + word + ", x))");
        }
        return selector(word);
    }

    private Expr selector(String name) {
        List<Expr.Matcher> matchers = new ArrayList<>();
        spaces();
        if (peek('{')) {
            pos++;
            while (true) {
                spaces();
                if (peek('}')) {
                    pos++;
                    break;
                }
                String label = identifier();
                if (label.isEmpty()) {
                    throw error("expected a label name");
                }
                spaces();
                String op;
                if (text.startsWith("=~", pos) || text.startsWith("!=", pos) || text.startsWith("!~", pos)) {
                    op = text.substring(pos, pos + 2);
                    pos += 2;
                } else if (peek('=')) {
                    op = "=";
                    pos++;
                } else {
                    throw error("expected =, !=, =~ or !~ after label " + label);
                }
                spaces();
                String value = quoted();
                try {
                    matchers.add(Expr.Matcher.of(label, op, value));
                } catch (PatternSyntaxException e) {
                    throw error("'" + value + "' is not a regular expression: " + e.getDescription());
                }
                spaces();
                if (peek(',')) {
                    pos++;
                } else if (!peek('}')) {
                    throw error("expected , or } after the matcher of " + label);
                }
            }
        }
        if (name == null && matchers.isEmpty()) {
            throw error("a selector needs a name or at least one matcher");
        }
        return new Expr.Selector(name, List.copyOf(matchers));
    }

    private List<String> labelList() {
        spaces();
        expect('(');
        List<String> out = new ArrayList<>();
        while (true) {
            spaces();
            if (peek(')')) {
                pos++;
                return List.copyOf(out);
            }
            String l = identifier();
            if (l.isEmpty()) {
                throw error("expected a label name in the list");
            }
            out.add(l);
            spaces();
            if (peek(',')) {
                pos++;
            }
        }
    }

    private String quoted() {
        if (!peek('"') && !peek('\'')) {
            throw error("expected a quoted value");
        }
        char q = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == q) {
                return sb.toString();
            }
            if (c == '\\' && pos < text.length()) {
                char n = text.charAt(pos++);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        throw error("unterminated quoted value");
    }

    private double number() {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || ".eE+-".indexOf(text.charAt(pos)) >= 0
                && !(pos > start && (text.charAt(pos) == '+' || text.charAt(pos) == '-')
                        && "eE".indexOf(text.charAt(pos - 1)) < 0))) {
            pos++;
        }
        try {
            return Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a number");
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetter(c) || c == '_' || c == ':' || (pos > start && Character.isDigit(c))) {
                pos++;
            } else {
                break;
            }
        }
        return text.substring(start, pos);
    }

    private boolean peekWord(String w) {
        return text.startsWith(w, pos) && (pos + w.length() == text.length()
                || !Character.isLetterOrDigit(text.charAt(pos + w.length())) && text.charAt(pos + w.length()) != '_');
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        spaces();
        if (!peek(c)) {
            throw error("expected '" + c + "'" + (pos < text.length() ? ", found '" + text.charAt(pos) + "'" : ""));
        }
        pos++;
    }

    private void spaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
