package io.sluice.sql.analyzer;

import io.sluice.api.text.DidYouMean;
import io.sluice.sql.SqlType;
import io.sluice.sql.SqlType.Kind;
import io.sluice.sql.ast.Expr;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.expr.ArithEval;
import io.sluice.sql.expr.CallEval;
import io.sluice.sql.expr.CaseEval;
import io.sluice.sql.expr.CastEval;
import io.sluice.sql.expr.ClockEval;
import io.sluice.sql.expr.ColumnEval;
import io.sluice.sql.expr.CompareEval;
import io.sluice.sql.expr.ConcatEval;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.expr.EventTimeEval;
import io.sluice.sql.expr.InListEval;
import io.sluice.sql.expr.IsNullEval;
import io.sluice.sql.expr.LikeEval;
import io.sluice.sql.expr.LiteralEval;
import io.sluice.sql.expr.LogicEval;
import io.sluice.sql.expr.NegateEval;
import io.sluice.sql.expr.NotEval;
import io.sluice.sql.expr.SubscriptEval;
import io.sluice.sql.expr.Types;
import io.sluice.sql.function.AggregateFunction;
import io.sluice.sql.function.FunctionRegistry;
import io.sluice.sql.function.ScalarFunction;
import io.sluice.sql.plan.AggCall;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an expression into a typed {@link Evaluator}: resolves names, checks types, inserts the
 * implicit widening casts, and reports every problem with its position. Not thread-safe.
 */
final class ExprAnalyzer {
    private final FunctionRegistry functions;
    private final Clock clock;
    private final Problems problems;

    ExprAnalyzer(FunctionRegistry functions, Clock clock, Problems problems) {
        this.functions = functions;
        this.clock = clock;
        this.problems = problems;
    }

    /** Marks a sub-expression that already failed, so its parents report nothing more. */
    record Failed() implements Evaluator {
        @Override
        public Object eval(Object[] row, long time) {
            throw new IllegalStateException("failed expression evaluated");
        }

        @Override
        public SqlType type() {
            return SqlType.NULL;
        }
    }

    private static final Failed FAILED = new Failed();

    static boolean failed(Evaluator... es) {
        for (Evaluator e : es) {
            if (e instanceof Failed) {
                return true;
            }
        }
        return false;
    }

    private Evaluator error(Pos pos, String message) {
        problems.add(pos, message);
        return FAILED;
    }

    /** Analyzes {@code e}, which must be BOOLEAN, for {@code clause} (WHERE, HAVING, ON). */
    Evaluator condition(Expr e, ExprContext ctx, String clause) {
        Evaluator ev = analyze(e, ctx);
        if (!failed(ev) && ev.type().kind() != Kind.BOOLEAN && ev.type().kind() != Kind.NULL) {
            return error(e.pos(), clause + " needs a BOOLEAN condition, not " + ev.type().name());
        }
        return ev;
    }

    Evaluator analyze(Expr e, ExprContext ctx) {
        if (ctx.aggregate && !(e instanceof Expr.Literal)) {
            Evaluator key = matchKey(e, ctx);
            if (key != null) {
                return key;
            }
        }
        if (e instanceof Expr.Literal l) {
            if (l.value() instanceof BigInteger) {
                return error(l.pos(), "integer " + l.value() + " does not fit in BIGINT");
            }
            return new LiteralEval(l.value(), l.type());
        }
        if (e instanceof Expr.ColumnRef c) {
            return column(c, ctx);
        }
        if (e instanceof Expr.HeaderRef h) {
            return header(h.name(), ctx);
        }
        if (e instanceof Expr.Call c) {
            return call(c, ctx);
        }
        if (e instanceof Expr.Cast c) {
            Evaluator in = analyze(c.value(), ctx);
            if (failed(in)) {
                return in;
            }
            if ((in.type().kind() == Kind.LIST) != (c.type().kind() == Kind.LIST) && in.type().kind() != Kind.NULL
                    && c.type().kind() != Kind.STRING
                    || (in.type().kind() == Kind.MAP) != (c.type().kind() == Kind.MAP) && in.type().kind() != Kind.NULL
                    && c.type().kind() != Kind.STRING && in.type().kind() != Kind.STRING) {
                return error(c.pos(), "cannot CAST " + in.type().name() + " to " + c.type().name());
            }
            return new CastEval(in, c.type().withNullable(true));
        }
        if (e instanceof Expr.Case c) {
            return caseExpr(c, ctx);
        }
        if (e instanceof Expr.Negate n) {
            Evaluator in = analyze(n.value(), ctx);
            if (failed(in)) {
                return in;
            }
            if (!in.type().isNumeric() && in.type().kind() != Kind.NULL) {
                return error(n.pos(), "unary " + (n.minus() ? "-" : "+") + " needs a number, not " + in.type().name());
            }
            return n.minus() && in.type().kind() != Kind.NULL ? new NegateEval(in) : in;
        }
        if (e instanceof Expr.Not n) {
            Evaluator in = bool(n.value(), ctx, "NOT");
            return failed(in) ? in : new NotEval(in);
        }
        if (e instanceof Expr.Binary b) {
            return binary(b, ctx);
        }
        if (e instanceof Expr.Between b) {
            Evaluator v = analyze(b.value(), ctx);
            Evaluator lo = analyze(b.lower(), ctx);
            Evaluator hi = analyze(b.upper(), ctx);
            if (failed(v, lo, hi)) {
                return FAILED;
            }
            Evaluator ge = compare(b.pos(), ">=", v, lo);
            Evaluator le = compare(b.pos(), "<=", v, hi);
            if (failed(ge, le)) {
                return FAILED;
            }
            Evaluator r = new LogicEval(true, ge, le);
            return b.negated() ? new NotEval(r) : r;
        }
        if (e instanceof Expr.InList in) {
            Evaluator v = analyze(in.value(), ctx);
            List<Evaluator> items = new ArrayList<>();
            SqlType common = v.type();
            boolean bad = failed(v);
            for (Expr x : in.list()) {
                Evaluator ev = analyze(x, ctx);
                bad |= failed(ev);
                items.add(ev);
                if (!bad) {
                    SqlType c = Types.common(common, ev.type());
                    if (c == null) {
                        return error(x.pos(), "IN list item of type " + ev.type().name() + " cannot be compared with "
                                + v.type().name());
                    }
                    common = c;
                }
            }
            if (bad) {
                return FAILED;
            }
            List<Evaluator> coerced = new ArrayList<>();
            for (Evaluator ev : items) {
                coerced.add(Types.coerce(ev, common));
            }
            Evaluator r = new InListEval(Types.coerce(v, common), coerced);
            return in.negated() ? new NotEval(r) : r;
        }
        if (e instanceof Expr.Like l) {
            Evaluator v = analyze(l.value(), ctx);
            Evaluator p = analyze(l.pattern(), ctx);
            if (failed(v, p)) {
                return FAILED;
            }
            if (v.type().kind() == Kind.LIST || p.type().kind() == Kind.LIST) {
                return error(l.pos(), "LIKE needs strings, not LIST");
            }
            if (v.type().kind() == Kind.MAP || p.type().kind() == Kind.MAP) {
                return error(l.pos(), "LIKE needs strings, not MAP; compare an entry, e.g. labels['host'] LIKE 'web%'");
            }
            Evaluator r = new LikeEval(v, p);
            return l.negated() ? new NotEval(r) : r;
        }
        if (e instanceof Expr.Subscript sub) {
            return subscript(sub, ctx);
        }
        Expr.IsNull n = (Expr.IsNull) e;
        Evaluator in = analyze(n.value(), ctx);
        return failed(in) ? in : new IsNullEval(in, n.negated());
    }

    private Evaluator subscript(Expr.Subscript sub, ExprContext ctx) {
        Evaluator m = analyze(sub.value(), ctx);
        Evaluator k = analyze(sub.index(), ctx);
        if (failed(m, k)) {
            return FAILED;
        }
        SqlType mt = m.type();
        if (mt.kind() == Kind.LIST) {
            return error(sub.pos(), "[...] reads a MAP; for the item of a LIST use INDEX(list, i)");
        }
        if (mt.kind() != Kind.MAP) {
            return error(sub.pos(), "[...] needs a MAP, not " + mt.name());
        }
        if (!Types.widens(k.type(), mt.keyType())) {
            return error(sub.index().pos(), "the keys of " + mt.name() + " are " + mt.keyType().name() + ", not "
                    + k.type().name() + "; use CAST(... AS " + mt.keyType().name() + ")");
        }
        return new SubscriptEval(m, Types.coerce(k, mt.keyType()));
    }

    private Evaluator bool(Expr e, ExprContext ctx, String op) {
        Evaluator ev = analyze(e, ctx);
        if (!failed(ev) && ev.type().kind() != Kind.BOOLEAN && ev.type().kind() != Kind.NULL) {
            return error(e.pos(), op + " needs a BOOLEAN operand, not " + ev.type().name());
        }
        return ev;
    }

    private Evaluator matchKey(Expr e, ExprContext ctx) {
        if (ctx.keys.isEmpty() || e instanceof Expr.Call c && functions.isAggregate(c.name())) {
            return null;
        }
        Problems scratch = new Problems();
        Evaluator probe = new ExprAnalyzer(functions, clock, scratch)
                .analyze(e, ExprContext.plain(ctx.scope, "x"));
        if (!scratch.isEmpty()) {
            return null;
        }
        int i = ctx.keyTexts.indexOf(probe.toString());
        if (i < 0 && probe.columnIndex() >= 0) {
            // the same column, named once with its stream and once without (GROUP BY one.i, SELECT i)
            for (int k = 0; k < ctx.keys.size() && i < 0; k++) {
                if (ctx.keys.get(k).columnIndex() == probe.columnIndex()) {
                    i = k;
                }
            }
        }
        return i < 0 ? null : new ColumnEval(2 + i, ctx.keys.get(i).type(), probe.toString());
    }

    private Evaluator column(Expr.ColumnRef c, ExprContext ctx) {
        if (ctx.aggregate) {
            if (c.qualifier() == null && ctx.aliases.containsKey(c.name())) {
                Expr target = ctx.aliases.get(c.name());
                ExprContext noAlias = ctx.withAliases(Map.of());
                Evaluator r = analyze(target, noAlias);
                for (int i = ctx.aggs.size(); i < noAlias.aggs.size(); i++) {
                    ctx.aggs.add(noAlias.aggs.get(i));
                }
                return r;
            }
            Problems scratch = new Problems();
            new ExprAnalyzer(functions, clock, scratch).column(c, ExprContext.plain(ctx.scope, "x"));
            if (!scratch.isEmpty()) {
                return resolve(c, ctx.scope); // reports the resolution error
            }
            return error(c.pos(), "column '" + c.text() + "' must be in GROUP BY or inside an aggregate");
        }
        return resolve(c, ctx.scope);
    }

    private Evaluator resolve(Expr.ColumnRef c, Scope scope) {
        List<Field> matches = new ArrayList<>();
        for (Field f : scope.fields()) {
            if (!f.hidden() && f.name().equals(c.name())
                    && (c.qualifier() == null || f.qualifiers().contains(c.qualifier()))) {
                matches.add(f);
            }
        }
        if (matches.size() == 1) {
            Field f = matches.get(0);
            return new ColumnEval(f.index(), f.type(), c.text());
        }
        if (matches.size() > 1) {
            StringBuilder sb = new StringBuilder();
            for (Field f : matches) {
                if (sb.length() > 0) {
                    sb.append(" or ");
                }
                sb.append(f.qualifiers().isEmpty() ? "?" : f.qualifiers().iterator().next()).append('.').append(f.name());
            }
            return error(c.pos(), "column '" + c.name() + "' is ambiguous; qualify it: " + sb);
        }
        if (scope.unresolved()) {
            return FAILED; // the stream itself was already reported
        }
        if (c.qualifier() != null && !scope.qualifiers().contains(c.qualifier())) {
            return error(c.pos(), "stream '" + c.qualifier() + "' is not in FROM"
                    + DidYouMean.suggest(c.qualifier(), scope.qualifiers()));
        }
        List<String> names = new ArrayList<>();
        for (Field f : scope.fields()) {
            if (!f.hidden() && (c.qualifier() == null || f.qualifiers().contains(c.qualifier()))) {
                names.add(f.name());
            }
        }
        String where;
        if (c.qualifier() != null) {
            where = "stream '" + c.qualifier() + "'";
        } else if (scope.sources().size() == 1) {
            where = "stream '" + scope.sources().get(0) + "'";
        } else {
            where = "streams " + String.join(", ", scope.sources().stream().map(s -> "'" + s + "'").toList());
        }
        String quoteHint = c.quoted() ? "; \"" + c.name() + "\" in double quotes names a column: write the string "
                + "in single quotes, '" + c.name() + "'" : "";
        return error(c.pos(), "column '" + c.name() + "' does not exist in " + where + DidYouMean.suggest(c.name(), names)
                + quoteHint);
    }

    private Evaluator header(String name, ExprContext ctx) {
        if (ctx.aggregate) {
            return new LiteralEval(null, SqlType.STRING); // headers do not survive aggregation
        }
        for (Field f : ctx.scope.fields()) {
            if (name.equals(f.header())) {
                return new ColumnEval(f.index(), SqlType.STRING, "#" + name);
            }
        }
        return new LiteralEval(null, SqlType.STRING);
    }

    private Evaluator call(Expr.Call c, ExprContext ctx) {
        String name = c.name();
        if (functions.isAggregate(name)) {
            if (!ctx.aggregate) {
                return error(c.pos(), "aggregate " + name.toUpperCase(Locale.ROOT) + " " + ctx.noAggregateReason);
            }
            return aggregate(c, ctx);
        }
        if (c.star()) {
            return error(c.pos(), name.toUpperCase(Locale.ROOT) + "(*) is not allowed; only COUNT(*) takes *");
        }
        if (c.distinct()) {
            return error(c.pos(), "DISTINCT is only allowed in COUNT(DISTINCT x)");
        }
        switch (name) {
            case "current_timestamp":
                return noArgs(c) ? new ClockEval(clock) : FAILED;
            case "event_timestamp":
                return noArgs(c) ? new EventTimeEval() : FAILED;
            case "window_start":
            case "window_end":
                if (!noArgs(c)) {
                    return FAILED;
                }
                if (!ctx.aggregate) {
                    return error(c.pos(), name.toUpperCase(Locale.ROOT) + "() is only valid in the select list or "
                            + "HAVING of a query with GROUP BY or aggregates OVER a window");
                }
                return new ColumnEval(name.equals("window_start") ? 0 : 1, SqlType.TIMESTAMP.notNull(),
                        name.toUpperCase(Locale.ROOT) + "()");
            case "host":
            case "priority":
                return noArgs(c) ? header(name, ctx) : FAILED;
            case "priority_level":
                return noArgs(c) ? new CallEval(PriorityLevel.INSTANCE, List.of(header("priority", ctx)), SqlType.INT)
                        : FAILED;
            default:
                break;
        }
        Optional<ScalarFunction> fn = functions.scalar(name);
        if (fn.isEmpty()) {
            return error(c.pos(), "function '" + name + "' does not exist" + DidYouMean.suggest(name, functions.names()));
        }
        List<Evaluator> args = new ArrayList<>();
        boolean bad = false;
        for (Expr a : c.args()) {
            Evaluator ev = analyze(a, ctx);
            bad |= failed(ev);
            args.add(ev);
        }
        if (bad) {
            return FAILED;
        }
        List<SqlType> types = args.stream().map(Evaluator::type).toList();
        SqlType result;
        List<SqlType> argTypes;
        try {
            result = fn.get().resultType(types);
            argTypes = fn.get().argumentTypes(types);
        } catch (IllegalArgumentException e) {
            return error(c.pos(), e.getMessage());
        }
        if (result == null) {
            return error(c.pos(), "function " + name.toUpperCase(Locale.ROOT) + " cannot take these arguments");
        }
        List<Evaluator> coerced = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            coerced.add(i < argTypes.size() ? Types.coerce(args.get(i), argTypes.get(i)) : args.get(i));
        }
        return new CallEval(fn.get(), coerced, result);
    }

    private boolean noArgs(Expr.Call c) {
        if (!c.args().isEmpty()) {
            problems.add(c.pos(), c.name().toUpperCase(Locale.ROOT) + "() takes no arguments");
            return false;
        }
        return true;
    }

    private Evaluator aggregate(Expr.Call c, ExprContext ctx) {
        String name = c.name();
        String upper = name.toUpperCase(Locale.ROOT);
        ExprContext inner = ExprContext.plain(ctx.scope, "cannot be nested inside another aggregate");
        List<Evaluator> args = new ArrayList<>();
        for (Expr a : c.args()) {
            args.add(analyze(a, inner));
        }
        if (failed(args.toArray(new Evaluator[0]))) {
            return FAILED;
        }
        AggCall.Kind kind;
        SqlType type;
        if (c.star()) {
            if (!name.equals("count")) {
                return error(c.pos(), upper + "(*) is not allowed; only COUNT(*) takes *");
            }
            kind = AggCall.Kind.COUNT_STAR;
            type = SqlType.BIGINT.notNull();
        } else if (functions.aggregate(name).isPresent()) {
            AggregateFunction f = functions.aggregate(name).get();
            if (c.distinct()) {
                return error(c.pos(), "DISTINCT is only allowed in COUNT(DISTINCT x)");
            }
            try {
                type = f.resultType(args.stream().map(Evaluator::type).toList());
            } catch (IllegalArgumentException e) {
                return error(c.pos(), e.getMessage());
            }
            String text = upper + "(" + String.join(", ", args.stream().map(Object::toString).toList()) + ")";
            return addAgg(ctx, new AggCall(AggCall.Kind.USER, args, f, type.withNullable(true), text));
        } else {
            if (args.size() != 1) {
                return error(c.pos(), "aggregate " + upper + " takes one argument, not " + args.size());
            }
            if (c.distinct() && !name.equals("count")) {
                return error(c.pos(), "DISTINCT is only allowed in COUNT(DISTINCT x)");
            }
            SqlType at = args.get(0).type();
            switch (name) {
                case "count":
                    kind = c.distinct() ? AggCall.Kind.COUNT_DISTINCT : AggCall.Kind.COUNT;
                    type = SqlType.BIGINT.notNull();
                    break;
                case "sum":
                    kind = AggCall.Kind.SUM;
                    if (at.isIntegral() || at.kind() == Kind.NULL) {
                        type = SqlType.BIGINT;
                    } else if (at.kind() == Kind.FLOAT || at.kind() == Kind.DOUBLE) {
                        type = SqlType.DOUBLE;
                    } else if (at.kind() == Kind.PRECISE) {
                        type = SqlType.precise(at.scale());
                    } else {
                        return error(c.pos(), "SUM needs a number, not " + at.name());
                    }
                    break;
                case "avg":
                    kind = AggCall.Kind.AVG;
                    if (!at.isNumeric() && at.kind() != Kind.NULL) {
                        return error(c.pos(), "AVG needs a number, not " + at.name());
                    }
                    type = SqlType.DOUBLE;
                    break;
                case "min":
                case "max":
                    kind = name.equals("min") ? AggCall.Kind.MIN : AggCall.Kind.MAX;
                    if (at.kind() == Kind.LIST || at.kind() == Kind.MAP) {
                        return error(c.pos(), upper + " cannot order " + at.kind() + " values");
                    }
                    type = at.withNullable(true);
                    break;
                default:
                    kind = name.equals("first") ? AggCall.Kind.FIRST : AggCall.Kind.LAST;
                    type = at.withNullable(true);
            }
        }
        String text = c.star() ? upper + "(*)"
                : upper + "(" + (c.distinct() ? "DISTINCT " : "") + args.get(0) + ")";
        return addAgg(ctx, new AggCall(kind, args, null, type, text));
    }

    private static Evaluator addAgg(ExprContext ctx, AggCall call) {
        for (int i = 0; i < ctx.aggs.size(); i++) {
            if (ctx.aggs.get(i).text().equals(call.text())) {
                return new ColumnEval(ctx.aggBase() + i, ctx.aggs.get(i).type(), call.text());
            }
        }
        ctx.aggs.add(call);
        return new ColumnEval(ctx.aggBase() + ctx.aggs.size() - 1, call.type(), call.text());
    }

    private Evaluator caseExpr(Expr.Case c, ExprContext ctx) {
        Evaluator operand = c.operand() == null ? null : analyze(c.operand(), ctx);
        List<Evaluator> conds = new ArrayList<>();
        List<Evaluator> results = new ArrayList<>();
        boolean bad = operand != null && failed(operand);
        SqlType type = SqlType.NULL;
        for (Expr.When w : c.whens()) {
            Evaluator cond;
            if (operand != null) {
                Evaluator v = analyze(w.condition(), ctx);
                cond = failed(v) || bad ? FAILED : compare(w.condition().pos(), "=", operand, v);
            } else {
                cond = bool(w.condition(), ctx, "WHEN");
            }
            Evaluator r = analyze(w.result(), ctx);
            bad |= failed(cond, r);
            conds.add(cond);
            results.add(r);
            if (!bad) {
                SqlType t = Types.common(type, r.type());
                if (t == null) {
                    return error(w.result().pos(), "CASE results must share a type; " + r.type().name()
                            + " does not mix with " + type.name());
                }
                type = t;
            }
        }
        Evaluator otherwise = c.elseValue() == null ? null : analyze(c.elseValue(), ctx);
        if (otherwise != null && !bad && !failed(otherwise)) {
            SqlType t = Types.common(type, otherwise.type());
            if (t == null) {
                return error(c.elseValue().pos(), "CASE results must share a type; " + otherwise.type().name()
                        + " does not mix with " + type.name());
            }
            type = t;
        }
        if (bad || otherwise != null && failed(otherwise)) {
            return FAILED;
        }
        if (type.kind() == Kind.NULL) {
            type = SqlType.STRING;
        }
        List<Evaluator> rs = new ArrayList<>();
        for (Evaluator r : results) {
            rs.add(Types.coerce(r, type));
        }
        boolean nullable = otherwise == null || rs.stream().anyMatch(r -> r.type().nullable())
                || otherwise.type().nullable();
        return new CaseEval(conds, rs, otherwise == null ? null : Types.coerce(otherwise, type),
                type.withNullable(nullable));
    }

    private Evaluator binary(Expr.Binary b, ExprContext ctx) {
        String op = b.op();
        if (op.equals("AND") || op.equals("OR")) {
            Evaluator l = bool(b.left(), ctx, op);
            Evaluator r = bool(b.right(), ctx, op);
            return failed(l, r) ? FAILED : new LogicEval(op.equals("AND"), l, r);
        }
        Evaluator l = analyze(b.left(), ctx);
        Evaluator r = analyze(b.right(), ctx);
        if (failed(l, r)) {
            return FAILED;
        }
        switch (op) {
            case "=": case "!=": case "<": case "<=": case ">": case ">=":
                return compare(b.pos(), op, l, r);
            case "||":
                if (l.type().kind() == Kind.LIST || r.type().kind() == Kind.LIST) {
                    return error(b.pos(), "|| needs scalar operands, not LIST; use CONCAT for lists");
                }
                if (l.type().kind() == Kind.MAP || r.type().kind() == Kind.MAP) {
                    return error(b.pos(), "|| needs scalar operands, not MAP; use CAST(... AS STRING) for its text");
                }
                return new ConcatEval(l, r);
            default:
                return arithmetic(b.pos(), op.charAt(0), l, r);
        }
    }

    private Evaluator arithmetic(Pos pos, char op, Evaluator l, Evaluator r) {
        SqlType lt = l.type();
        SqlType rt = r.type();
        if (op == '+' && (lt.kind() == Kind.STRING || rt.kind() == Kind.STRING)
                && lt.kind() != Kind.LIST && rt.kind() != Kind.LIST && lt.kind() != Kind.MAP && rt.kind() != Kind.MAP) {
            return new ConcatEval(l, r);
        }
        boolean nullable = lt.nullable() || rt.nullable();
        if (lt.kind() == Kind.TIMESTAMP || rt.kind() == Kind.TIMESTAMP) {
            if ((op == '+' || op == '-') && lt.kind() == Kind.TIMESTAMP && (rt.isIntegral() || rt.kind() == Kind.NULL)
                    || op == '+' && rt.kind() == Kind.TIMESTAMP && lt.isIntegral()) {
                return new ArithEval(op, Types.coerce(l, SqlType.BIGINT), Types.coerce(r, SqlType.BIGINT),
                        SqlType.TIMESTAMP.withNullable(nullable));
            }
            if (op == '-' && lt.kind() == Kind.TIMESTAMP && rt.kind() == Kind.TIMESTAMP) {
                return new ArithEval(op, Types.coerce(l, SqlType.BIGINT), Types.coerce(r, SqlType.BIGINT),
                        SqlType.BIGINT.withNullable(nullable));
            }
            return error(pos, "operator " + op + " cannot take " + lt.name() + " and " + rt.name());
        }
        boolean ln = lt.isNumeric() || lt.kind() == Kind.NULL;
        boolean rn = rt.isNumeric() || rt.kind() == Kind.NULL;
        if (!ln || !rn) {
            return error(pos, "operator " + op + " cannot take " + lt.name() + " and " + rt.name()
                    + (op == '+' ? "; CAST one side to STRING to concatenate" : ""));
        }
        SqlType t = Types.common(lt, rt);
        if (t.kind() == Kind.NULL) {
            return new LiteralEval(null, SqlType.INT);
        }
        if (t.kind() == Kind.PRECISE && op != '+' && op != '-') {
            int scale = op == '*' ? Math.min(100, scaleOf(lt) + scaleOf(rt)) : Math.max(scaleOf(lt), scaleOf(rt));
            SqlType p = SqlType.precise(scale);
            return new ArithEval(op, Types.coerce(l, SqlType.precise(scaleOf(lt))), Types.coerce(r,
                    SqlType.precise(scaleOf(rt))), p.withNullable(nullable));
        }
        return new ArithEval(op, Types.coerce(l, t), Types.coerce(r, t), t.withNullable(nullable));
    }

    private static int scaleOf(SqlType t) {
        return t.kind() == Kind.PRECISE ? t.scale() : 0;
    }

    private Evaluator compare(Pos pos, String op, Evaluator l, Evaluator r) {
        SqlType t = Types.common(l.type(), r.type());
        if (t == null) {
            return error(pos, "cannot compare " + l.type().name() + " with " + r.type().name() + "; use CAST");
        }
        if ((t.kind() == Kind.LIST || t.kind() == Kind.MAP) && !op.equals("=") && !op.equals("!=")) {
            return error(pos, t.kind() + " values can only be compared with = and !=");
        }
        return new CompareEval(op, Types.coerce(l, t), Types.coerce(r, t));
    }
}
