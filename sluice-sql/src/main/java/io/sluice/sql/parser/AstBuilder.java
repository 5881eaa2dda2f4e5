package io.sluice.sql.parser;

import io.sluice.sql.RtsqlException;
import io.sluice.sql.SqlType;
import io.sluice.sql.ast.ColumnDef;
import io.sluice.sql.ast.Expr;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.ast.Query;
import io.sluice.sql.ast.Relation;
import io.sluice.sql.ast.SelectItem;
import io.sluice.sql.ast.Statement;
import io.sluice.sql.ast.WindowSpec;
import io.sluice.sql.parser.RtsqlParser.*;
import io.sluice.sql.plan.EventTimes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Turns an ANTLR parse tree into the immutable AST. Not thread-safe; one per parse. */
final class AstBuilder {
    private final String text;

    AstBuilder(String text) {
        this.text = text;
    }

    /** Thrown inside the builder for problems only visible after parsing (bad type name, unit). */
    private static final class BuildError extends RuntimeException {
        final Pos pos;

        BuildError(Pos pos, String message) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }

    Statement statement(StatementContext ctx) throws RtsqlException {
        try {
            return stmt(ctx);
        } catch (BuildError e) {
            throw new RtsqlException(e.pos.line(), e.pos.column(), e.getMessage());
        }
    }

    private static Pos pos(ParserRuleContext ctx) {
        return pos(ctx.getStart());
    }

    private static Pos pos(Token t) {
        return new Pos(t.getLine(), t.getCharPositionInLine() + 1);
    }

    private String source(ParserRuleContext ctx) {
        int a = ctx.getStart().getStartIndex();
        int b = ctx.getStop() == null ? a - 1 : ctx.getStop().getStopIndex();
        return b < a ? "" : text.substring(a, b + 1);
    }

    private Statement stmt(StatementContext ctx) {
        if (ctx instanceof CreateStreamContext c) {
            List<ColumnDef> cols = new ArrayList<>();
            for (ColumnDefContext d : c.columnDef()) {
                SqlType t = type(d.type());
                cols.add(new ColumnDef(pos(d), ident(d.identifier()), d.NOT() != null ? t.notNull() : t));
            }
            Statement.SourceKind kind;
            String target;
            Map<String, String> sourceProps = Map.of();
            if (c.streamSource() instanceof FileSourceContext f) {
                kind = Statement.SourceKind.FILE;
                target = string(f.string());
            } else if (c.streamSource() instanceof NodeSourceContext nd) {
                kind = Statement.SourceKind.NODE;
                target = string(nd.string());
            } else if (c.streamSource() instanceof KafkaSourceContext ks) {
                kind = Statement.SourceKind.KAFKA;
                target = string(ks.string());
                if (ks.properties() != null) {
                    sourceProps = props(ks.properties());
                }
            } else {
                ComponentSourceContext cs = (ComponentSourceContext) c.streamSource();
                kind = Statement.SourceKind.SOURCE;
                target = string(cs.string());
                if (cs.properties() != null) {
                    sourceProps = props(cs.properties());
                }
            }
            String format = c.eventFormat() == null ? "delimited" : string(c.eventFormat().string());
            Map<String, String> formatProps = c.properties() == null ? Map.of() : props(c.properties());
            return new Statement.CreateStream(pos(c.identifier()), ident(c.identifier()), cols, kind, target, sourceProps,
                    format.toLowerCase(Locale.ROOT), formatProps);
        }
        if (ctx instanceof CreateMetricsStreamContext c) {
            return new Statement.CreateStream(pos(c.identifier()), ident(c.identifier()), MetricsStreams.columns(pos(c)),
                    Statement.SourceKind.METRICS, string(c.string()),
                    c.properties() == null ? Map.of() : props(c.properties()), MetricsStreams.FORMAT,
                    MetricsStreams.FORMAT_PROPERTIES);
        }
        if (ctx instanceof CreateStreamAsContext c) {
            return new Statement.CreateStreamAs(pos(c.identifier()), ident(c.identifier()), query(c.query()), source(c.query()));
        }
        if (ctx instanceof SelectContext c) {
            return new Statement.Select(pos(ctx), query(c.query()), source(c.query()));
        }
        if (ctx instanceof ExplainContext c) {
            return new Statement.Explain(pos(ctx), stmt(c.statement()));
        }
        if (ctx instanceof DescribeContext c) {
            return new Statement.Describe(pos(c.identifier()), ident(c.identifier()));
        }
        if (ctx instanceof ShowContext c) {
            String what = c.STREAMS() != null ? "streams" : c.FLOWS() != null ? "flows" : "functions";
            return new Statement.Show(pos(ctx), what);
        }
        if (ctx instanceof DropStreamContext c) {
            return new Statement.DropStream(pos(c.identifier()), ident(c.identifier()));
        }
        if (ctx instanceof DropFlowContext c) {
            try {
                return new Statement.DropFlow(pos(c.INTEGER_VALUE().getSymbol()), Long.parseLong(c.INTEGER_VALUE().getText()));
            } catch (NumberFormatException e) {
                throw new BuildError(pos(c.INTEGER_VALUE().getSymbol()), "flow id is too large");
            }
        }
        SetContext c = (SetContext) ctx;
        return new Statement.Set(pos(ctx), string(c.string(0)), string(c.string(1)));
    }

    private Map<String, String> props(PropertiesContext ctx) {
        Map<String, String> m = new LinkedHashMap<>();
        for (PropertyContext p : ctx.property()) {
            String k = string(p.string(0));
            if (m.put(k, string(p.string(1))) != null) {
                throw new BuildError(pos(p), "property '" + k + "' is given twice; keep one");
            }
        }
        return m;
    }

    private Query query(QueryContext q) {
        List<SelectItem> items = new ArrayList<>();
        for (SelectItemContext s : q.selectItem()) {
            if (s instanceof SelectAllContext) {
                items.add(new SelectItem(pos(s), null, null, "*", true, null));
            } else if (s instanceof SelectStreamAllContext a) {
                items.add(new SelectItem(pos(s), null, null, source(s), true, ident(a.identifier())));
            } else {
                SelectSingleContext one = (SelectSingleContext) s;
                String alias = one.identifier() == null ? null : ident(one.identifier());
                items.add(new SelectItem(pos(s), expr(one.expression()), alias, source(one.expression()), false, null));
            }
        }
        List<Expr> groupBy = new ArrayList<>();
        if (q.groupBy() != null) {
            for (ExpressionContext e : q.groupBy().expression()) {
                groupBy.add(expr(e));
            }
        }
        Map<String, WindowSpec> defs = new LinkedHashMap<>();
        for (WindowDefContext w : q.windowDef()) {
            String name = ident(w.identifier());
            if (defs.put(name, window(w.window())) != null) {
                throw new BuildError(pos(w), "window '" + name + "' is defined twice; rename one");
            }
        }
        return new Query(pos(q), items, relation(q.relation()), q.where == null ? null : expr(q.where), groupBy,
                q.over == null ? null : window(q.over), q.having == null ? null : expr(q.having), defs);
    }

    private Relation relation(RelationContext ctx) {
        Relation r = primary(ctx.relationPrimary());
        for (JoinPartContext j : ctx.joinPart()) {
            r = new Relation.Join(pos(j), r, primary(j.relationPrimary()), j.LEFT() != null, expr(j.expression()),
                    window(j.window()));
        }
        return r;
    }

    private Relation primary(RelationPrimaryContext ctx) {
        if (ctx instanceof NamedRelationContext n) {
            String alias = n.identifier().size() > 1 ? ident(n.identifier(1)) : null;
            return new Relation.Named(pos(ctx), ident(n.identifier(0)), alias);
        }
        SubqueryRelationContext s = (SubqueryRelationContext) ctx;
        return new Relation.Subquery(pos(ctx), query(s.query()), ident(s.identifier()));
    }

    private WindowSpec window(WindowContext ctx) {
        Pos p = pos(ctx);
        if (ctx instanceof TumblingWindowContext t) {
            return new WindowSpec.Tumbling(p, interval(t.interval(), true));
        }
        if (ctx instanceof HoppingWindowContext h) {
            return new WindowSpec.Hopping(p, interval(h.interval(0), true), interval(h.interval(1), true));
        }
        if (ctx instanceof SessionWindowContext s) {
            return new WindowSpec.Session(p, interval(s.interval(), true));
        }
        if (ctx instanceof RangeWindowContext r) {
            return new WindowSpec.Range(p, interval(r.interval(), false), 0);
        }
        if (ctx instanceof RangeBetweenWindowContext r) {
            return new WindowSpec.Range(p, interval(r.interval(0), false), interval(r.interval(1), false));
        }
        if (ctx instanceof NamedWindowContext n) {
            return new WindowSpec.Named(p, ident(n.identifier()));
        }
        return window(((ParenWindowContext) ctx).window());
    }

    private long interval(IntervalContext ctx, boolean positive) {
        long n;
        try {
            n = Long.parseLong(ctx.INTEGER_VALUE().getText());
        } catch (NumberFormatException e) {
            throw new BuildError(pos(ctx), "interval " + ctx.INTEGER_VALUE().getText() + " is too large");
        }
        String unit = ident(ctx.identifier());
        long ms;
        switch (unit) {
            case "millisecond": case "milliseconds": ms = 1; break;
            case "second": case "seconds": ms = 1000; break;
            case "minute": case "minutes": ms = 60_000; break;
            case "hour": case "hours": ms = 3_600_000; break;
            case "day": case "days": ms = 86_400_000; break;
            case "week": case "weeks": ms = 7 * 86_400_000L; break;
            default:
                throw new BuildError(pos(ctx.identifier()), "unknown time unit '" + unit
                        + "' (expected: MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS or WEEKS)");
        }
        if (positive && n <= 0) {
            throw new BuildError(pos(ctx), "interval must be longer than 0");
        }
        long v;
        try {
            v = Math.multiplyExact(n, ms);
        } catch (ArithmeticException e) {
            v = Long.MAX_VALUE;
        }
        if (v > EventTimes.MAX_INTERVAL) {
            throw new BuildError(pos(ctx), "interval " + n + " " + unit + " is too long (at most "
                    + EventTimes.MAX_INTERVAL / 86_400_000L + " days)");
        }
        return v;
    }

    private SqlType type(TypeContext ctx) {
        if (ctx instanceof MapTypeContext m) {
            if (!ident(m.identifier()).equals("map")) {
                throw new BuildError(pos(ctx), "unknown type '" + ident(m.identifier())
                        + "<..., ...>' (expected: MAP<k, v>)");
            }
            try {
                return SqlType.map(type(m.type(0)), type(m.type(1)));
            } catch (IllegalArgumentException e) {
                throw new BuildError(pos(m.type(0)), e.getMessage());
            }
        }
        if (ctx instanceof ListTypeContext l) {
            if (!ident(l.identifier()).equals("list")) {
                String name = ident(l.identifier());
                throw new BuildError(pos(ctx), name.equals("map")
                        ? "MAP needs a key and a value type, e.g. MAP<STRING, STRING>"
                        : "unknown type '" + name + "<...>' (expected: LIST<t> or MAP<k, v>)");
            }
            return SqlType.list(type(l.type()));
        }
        SimpleTypeContext s = (SimpleTypeContext) ctx;
        String name = ident(s.identifier());
        Integer param = s.INTEGER_VALUE() == null ? null : Integer.valueOf(s.INTEGER_VALUE().getText());
        SqlType t;
        switch (name) {
            case "boolean": case "bool": t = SqlType.BOOLEAN; break;
            case "int": case "integer": t = SqlType.INT; break;
            case "bigint": case "long": t = SqlType.BIGINT; break;
            case "float": t = SqlType.FLOAT; break;
            case "double": t = SqlType.DOUBLE; break;
            case "string": case "varchar": case "text": t = SqlType.STRING; break;
            case "binary": t = SqlType.BINARY; break;
            case "timestamp": t = SqlType.TIMESTAMP; break;
            case "precise": case "decimal":
                if (param == null) {
                    throw new BuildError(pos(ctx), "PRECISE needs a scale, e.g. PRECISE(2)");
                }
                if (param > 100) {
                    throw new BuildError(pos(ctx), "PRECISE scale " + param + " is too large (expected: 0..100)");
                }
                return SqlType.precise(param);
            case "list":
                throw new BuildError(pos(ctx), "LIST needs an element type, e.g. LIST<STRING>");
            case "map":
                throw new BuildError(pos(ctx), "MAP needs a key and a value type, e.g. MAP<STRING, STRING>");
            default:
                throw new BuildError(pos(ctx), "unknown type '" + name + "' (expected: BOOLEAN, INT, BIGINT, FLOAT, "
                        + "DOUBLE, PRECISE(n), STRING, BINARY, TIMESTAMP, LIST<t> or MAP<k, v>)");
        }
        if (param != null) {
            throw new BuildError(pos(ctx), "type " + t.name() + " takes no parameter");
        }
        return t;
    }

    // ---- expressions ----

    private Expr expr(ExpressionContext ctx) {
        return bool(ctx.booleanExpression());
    }

    private Expr bool(BooleanExpressionContext ctx) {
        if (ctx instanceof LogicalNotContext n) {
            return new Expr.Not(pos(ctx), bool(n.booleanExpression()));
        }
        if (ctx instanceof LogicalAndContext a) {
            return new Expr.Binary(pos(a.AND().getSymbol()), "AND", bool(a.left), bool(a.right));
        }
        if (ctx instanceof LogicalOrContext o) {
            return new Expr.Binary(pos(o.OR().getSymbol()), "OR", bool(o.left), bool(o.right));
        }
        PredicatedContext p = ((PredicatedExpressionContext) ctx).predicated();
        Expr value = value(p.valueExpression());
        PredicateContext pr = p.predicate();
        if (pr == null) {
            return value;
        }
        Pos at = pos(pr);
        if (pr instanceof ComparisonContext c) {
            String op = c.comparisonOperator().getText();
            op = op.equals("==") ? "=" : op.equals("<>") ? "!=" : op;
            return new Expr.Binary(at, op, value, value(c.right));
        }
        if (pr instanceof BetweenContext b) {
            return new Expr.Between(at, value, value(b.lower), value(b.upper), b.NOT() != null);
        }
        if (pr instanceof InListContext in) {
            List<Expr> list = new ArrayList<>();
            for (ExpressionContext e : in.expression()) {
                list.add(expr(e));
            }
            return new Expr.InList(at, value, list, in.NOT() != null);
        }
        if (pr instanceof LikeContext l) {
            return new Expr.Like(at, value, value(l.pattern), l.NOT() != null);
        }
        NullPredicateContext n = (NullPredicateContext) pr;
        return new Expr.IsNull(at, value, n.NOT() != null);
    }

    private Expr value(ValueExpressionContext ctx) {
        if (ctx instanceof ArithmeticUnaryContext u) {
            Expr inner = value(u.valueExpression());
            boolean minus = u.operator.getText().equals("-");
            if (minus && inner instanceof Expr.Literal lit && lit.value() instanceof Number) {
                return negateLiteral(pos(ctx), lit);
            }
            return new Expr.Negate(pos(ctx), inner, minus);
        }
        if (ctx instanceof ArithmeticMulContext m) {
            return new Expr.Binary(pos(m.operator), m.operator.getText(), value(m.left), value(m.right));
        }
        if (ctx instanceof ArithmeticAddContext a) {
            return new Expr.Binary(pos(a.operator), a.operator.getText(), value(a.left), value(a.right));
        }
        return primary(((PrimaryContext) ctx).primaryExpression());
    }

    private static Expr negateLiteral(Pos p, Expr.Literal lit) {
        Object v = lit.value();
        if (v instanceof Integer i) {
            return new Expr.Literal(p, -i, SqlType.INT.notNull());
        }
        if (v instanceof Long l) {
            long n = -l;
            if (n == Integer.MIN_VALUE) {
                return new Expr.Literal(p, (int) n, SqlType.INT.notNull());
            }
            return new Expr.Literal(p, n, SqlType.BIGINT.notNull());
        }
        if (v instanceof BigInteger b) {
            BigInteger n = b.negate();
            if (n.equals(BigInteger.valueOf(Long.MIN_VALUE))) {
                return new Expr.Literal(p, Long.MIN_VALUE, SqlType.BIGINT.notNull());
            }
            throw new BuildError(p, "integer -" + b + " does not fit in BIGINT");
        }
        return new Expr.Literal(p, -((Double) v), SqlType.DOUBLE.notNull());
    }

    private Expr primary(PrimaryExpressionContext ctx) {
        Pos p = pos(ctx);
        if (ctx instanceof NullLiteralContext) {
            return new Expr.Literal(p, null, SqlType.NULL);
        }
        if (ctx instanceof BooleanLiteralContext b) {
            return new Expr.Literal(p, b.TRUE() != null, SqlType.BOOLEAN.notNull());
        }
        if (ctx instanceof IntegerLiteralContext i) {
            String s = i.getText();
            BigInteger big = new BigInteger(s);
            if (big.bitLength() < 32) {
                return new Expr.Literal(p, big.intValue(), SqlType.INT.notNull());
            }
            if (big.bitLength() < 64) {
                return new Expr.Literal(p, big.longValue(), SqlType.BIGINT.notNull());
            }
            if (big.equals(BigInteger.ONE.shiftLeft(63))) {
                return new Expr.Literal(p, big, SqlType.BIGINT.notNull()); // only valid negated
            }
            throw new BuildError(p, "integer " + s + " does not fit in BIGINT; use a decimal literal");
        }
        if (ctx instanceof DecimalLiteralContext d) {
            return new Expr.Literal(p, Double.parseDouble(d.getText()), SqlType.DOUBLE.notNull());
        }
        if (ctx instanceof StringLiteralContext s) {
            return new Expr.Literal(p, string(s.string()), SqlType.STRING.notNull());
        }
        if (ctx instanceof HeaderRefContext h) {
            return new Expr.HeaderRef(p, h.getText().substring(1));
        }
        if (ctx instanceof CastContext c) {
            return new Expr.Cast(p, expr(c.expression()), type(c.type()));
        }
        if (ctx instanceof CaseExpressionContext c) {
            List<Expr.When> whens = new ArrayList<>();
            for (WhenClauseContext w : c.whenClause()) {
                whens.add(new Expr.When(expr(w.condition), expr(w.result)));
            }
            return new Expr.Case(p, c.operand == null ? null : expr(c.operand), whens,
                    c.elseExpr == null ? null : expr(c.elseExpr));
        }
        if (ctx instanceof StarCallContext s) {
            return new Expr.Call(p, ident(s.identifier()), List.of(), false, true);
        }
        if (ctx instanceof FunctionCallContext f) {
            List<Expr> args = new ArrayList<>();
            for (ExpressionContext e : f.expression()) {
                args.add(expr(e));
            }
            return new Expr.Call(p, ident(f.identifier()), args, f.DISTINCT() != null, false);
        }
        if (ctx instanceof QualifiedRefContext q) {
            return new Expr.ColumnRef(p, ident(q.identifier(0)), ident(q.identifier(1)));
        }
        if (ctx instanceof ColumnRefContext c) {
            return new Expr.ColumnRef(p, null, ident(c.identifier()),
                    c.identifier() instanceof QuotedIdentifierContext);
        }
        if (ctx instanceof SubscriptContext s) {
            return new Expr.Subscript(p, primary(s.value), value(s.index));
        }
        return expr(((ParenthesizedContext) ctx).expression());
    }

    // ---- tokens ----

    static String ident(IdentifierContext ctx) {
        if (ctx instanceof QuotedIdentifierContext q) {
            String t = q.getText();
            return t.substring(1, t.length() - 1).replace("\"\"", "\"");
        }
        return ctx.getText().toLowerCase(Locale.ROOT);
    }

    private static String string(StringContext ctx) {
        String t = ctx.getText();
        return unescape(t.substring(1, t.length() - 1), pos(ctx));
    }

    static String unescape(String s, Pos p) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                sb.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case '0': sb.append('\0'); break;
                    case 'u':
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        } catch (RuntimeException ex) {
                            throw new BuildError(p, "bad \\u escape in string; write \\uXXXX with four hex digits");
                        }
                        i += 4;
                        break;
                    default: sb.append(e); // \\ \' \" and any other char stand for themselves
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
