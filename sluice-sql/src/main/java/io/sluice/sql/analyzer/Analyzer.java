package io.sluice.sql.analyzer;

import io.sluice.api.text.DidYouMean;
import io.sluice.sql.Column;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.SqlType;
import io.sluice.sql.ast.Expr;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.ast.Query;
import io.sluice.sql.ast.Relation;
import io.sluice.sql.ast.SelectItem;
import io.sluice.sql.ast.WindowSpec;
import io.sluice.sql.expr.ColumnEval;
import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.expr.LogicEval;
import io.sluice.sql.expr.Types;
import io.sluice.sql.function.FunctionRegistry;
import io.sluice.sql.plan.AggCall;
import io.sluice.sql.plan.StreamDef;
import io.sluice.sql.plan.WindowDef;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Analyzes a SELECT: resolves streams (analyzing derived streams' queries in place), columns and
 * functions, checks types, aggregates and windows, and reports every problem it finds with its
 * position. Its result is an {@link Analysis} (what the query reads and computes, typed);
 * {@link Planner} turns that into the logical plan. Not thread-safe; one per statement.
 */
public final class Analyzer {
    private final Catalog catalog;
    private final FunctionRegistry functions;
    private final Problems problems = new Problems();
    private final ExprAnalyzer exprs;
    private final int buckets;
    private final Deque<String> derivedStack = new ArrayDeque<>();
    private final Set<String> referenced = new LinkedHashSet<>();

    /** @param buckets {@code rtsql.window.buckets}: a RANGE window advances by its length / buckets */
    public Analyzer(Catalog catalog, FunctionRegistry functions, Clock clock, int buckets) {
        this.catalog = catalog;
        this.functions = functions;
        this.exprs = new ExprAnalyzer(functions, clock, problems);
        this.buckets = buckets;
    }

    /** The analysis of {@code query}; its root's columns are the flow's output columns. */
    public Analysis analyze(Query query) throws RtsqlException {
        Analysis.Block root = block(query);
        problems.throwIfAny();
        return new Analysis(root, referenced);
    }

    /** Analysis and scope of a FROM item. */
    private record Rel(Analysis.Source source, Scope scope) {
    }

    private Analysis.Block block(Query q) {
        Set<String> headers = new LinkedHashSet<>();
        for (SelectItem s : q.items()) {
            if (s.expr() != null) {
                collectHeaders(s.expr(), headers);
            }
        }
        collectHeaders(q.where(), headers);
        collectJoinHeaders(q.from(), headers);
        Rel from = relation(q.from(), List.copyOf(headers), q.windowDefs());
        Scope scope = from.scope;
        Evaluator where = null;
        if (q.where() != null) {
            where = exprs.condition(q.where(), ExprContext.plain(scope, "is not allowed in WHERE; use HAVING"), "WHERE");
        }
        Pos firstAgg = firstAggregate(q);
        boolean aggregate = firstAgg != null || !q.groupBy().isEmpty();
        if (!aggregate) {
            if (q.window() != null) {
                problems.add(q.window().pos(), "an OVER window needs aggregates or GROUP BY");
            }
            if (q.having() != null) {
                problems.add(q.having().pos(), "HAVING needs aggregates or GROUP BY with an OVER window");
            }
            return project(q, from.source, where, scope, ExprContext.plain(scope, "needs an OVER window"));
        }
        Map<String, Expr> aliases = new LinkedHashMap<>();
        for (SelectItem s : q.items()) {
            if (!s.star() && s.alias() != null) {
                aliases.putIfAbsent(s.alias(), s.expr());
            }
        }
        List<Evaluator> keys = new ArrayList<>();
        for (Expr g0 : q.groupBy()) {
            Expr g = g0;
            if (g instanceof Expr.ColumnRef c && c.qualifier() == null && aliases.containsKey(c.name())
                    && scope.fields().stream().noneMatch(f -> !f.hidden() && f.name().equals(c.name()))) {
                g = aliases.get(c.name()); // GROUP BY a select alias
            }
            Evaluator k = exprs.analyze(g, ExprContext.plain(scope, "is not allowed in GROUP BY"));
            if (k.type().kind() == SqlType.Kind.LIST) {
                problems.add(g.pos(), "cannot GROUP BY a LIST");
            } else if (k.type().kind() == SqlType.Kind.MAP) {
                problems.add(g.pos(), "cannot GROUP BY a MAP; group by its entries, e.g. GROUP BY labels['rack']");
            }
            keys.add(k);
        }
        WindowDef window = null;
        if (q.window() == null) {
            Pos at = firstAgg != null ? firstAgg : q.groupBy().get(0).pos();
            String what = firstAgg != null ? "aggregate " + firstAggName(q).toUpperCase(Locale.ROOT) : "GROUP BY";
            problems.add(at, what + " needs an OVER window; add one, e.g. OVER TUMBLING INTERVAL 1 MINUTES");
        } else {
            window = aggregateWindow(q.window(), q.windowDefs());
        }
        ExprContext ctx = ExprContext.aggregate(scope, keys);
        // analyze the select list first (collects aggregates), then HAVING
        List<Evaluator> items = new ArrayList<>();
        List<Column> cols = new ArrayList<>();
        List<String> aggQualifiers = new ArrayList<>();
        for (SelectItem s : q.items()) {
            if (s.star()) {
                problems.add(s.pos(), "SELECT * cannot be used with GROUP BY or aggregates; list the columns");
                continue;
            }
            Evaluator e = exprs.analyze(s.expr(), ctx);
            items.add(e);
            cols.add(new Column(columnName(s), e.type()));
            aggQualifiers.add(s.alias() == null && s.expr() instanceof Expr.ColumnRef c ? c.qualifier() : null);
        }
        cols = uniqueNames(cols, aggQualifiers);
        Evaluator having = null;
        if (q.having() != null) {
            ExprContext hc = ctx.withAliases(aliases);
            having = exprs.condition(q.having(), hc, "HAVING");
            for (int i = ctx.aggs.size(); i < hc.aggs.size(); i++) {
                ctx.aggs.add(hc.aggs.get(i));
            }
        }
        List<Column> aggCols = new ArrayList<>();
        aggCols.add(new Column("window_start", SqlType.TIMESTAMP.notNull()));
        aggCols.add(new Column("window_end", SqlType.TIMESTAMP.notNull()));
        for (int i = 0; i < keys.size(); i++) {
            aggCols.add(new Column(keys.get(i).toString(), keys.get(i).type()));
        }
        for (AggCall a : ctx.aggs) {
            aggCols.add(new Column(a.text(), a.type()));
        }
        Analysis.Grouping grouping = new Analysis.Grouping(keys, ctx.aggs,
                window == null ? WindowDef.tumbling(1) : window, aggCols, having);
        return new Analysis.Block(from.source, where, grouping, items, cols);
    }

    private Analysis.Block project(Query q, Analysis.Source from, Evaluator where, Scope scope, ExprContext ctx) {
        List<Evaluator> items = new ArrayList<>();
        List<Column> cols = new ArrayList<>();
        List<String> qualifiers = new ArrayList<>();
        for (SelectItem s : q.items()) {
            if (s.star()) {
                boolean any = false;
                for (Field f : scope.fields()) {
                    if (!f.hidden() && (s.starQualifier() == null || f.qualifiers().contains(s.starQualifier()))) {
                        items.add(new ColumnEval(f.index(), f.type(), f.name()));
                        cols.add(new Column(f.name(), f.type()));
                        qualifiers.add(s.starQualifier() != null ? s.starQualifier()
                                : f.qualifiers().stream().sorted().findFirst().orElse(null));
                        any = true;
                    }
                }
                if (!any && s.starQualifier() != null) {
                    problems.add(s.pos(), "stream '" + s.starQualifier() + "' is not in FROM"
                            + DidYouMean.suggest(s.starQualifier(), scope.qualifiers()));
                }
                continue;
            }
            Evaluator e = exprs.analyze(s.expr(), ctx);
            items.add(e);
            cols.add(new Column(columnName(s), e.type()));
            qualifiers.add(s.alias() == null && s.expr() instanceof Expr.ColumnRef c ? c.qualifier() : null);
        }
        return new Analysis.Block(from, where, null, items, uniqueNames(cols, qualifiers));
    }

    /**
     * Output columns with unique names, so that JSON objects and derived-stream records lose no
     * column: a name that occurs more than once is qualified with its stream ({@code l_ts},
     * {@code r_ts}) where the column comes from a (qualified) stream column, and any name still
     * taken gets a suffix ({@code x_2}).
     */
    static List<Column> uniqueNames(List<Column> cols, List<String> qualifiers) {
        Map<String, Integer> count = new HashMap<>();
        for (Column c : cols) {
            count.merge(c.name(), 1, Integer::sum);
        }
        if (count.size() == cols.size()) {
            return cols;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            String n = cols.get(i).name();
            String qual = i < qualifiers.size() ? qualifiers.get(i) : null;
            names.add(count.get(n) > 1 && qual != null ? qual + "_" + n : n);
        }
        Set<String> taken = new HashSet<>();
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            String n = names.get(i);
            if (!taken.add(n)) {
                int k = 2;
                while (names.contains(n + "_" + k) || !taken.add(n + "_" + k)) {
                    k++;
                }
                n = n + "_" + k;
            }
            out.add(new Column(n, cols.get(i).type()));
        }
        return out;
    }

    private static String columnName(SelectItem s) {
        if (s.alias() != null) {
            return s.alias();
        }
        if (s.expr() instanceof Expr.ColumnRef c) {
            return c.name();
        }
        return s.text();
    }

    // ---- FROM ----

    private Rel relation(Relation r, List<String> headers, Map<String, WindowSpec> defs) {
        if (r instanceof Relation.Named n) {
            Optional<StreamDef> def = catalog.stream(n.name());
            referenced.add(n.name());
            String alias = n.alias() == null ? n.name() : n.alias();
            if (def.isEmpty()) {
                problems.add(n.pos(), "stream '" + n.name() + "' does not exist"
                        + DidYouMean.suggest(n.name(), catalog.streamNames()) + "; create it with CREATE STREAM");
                return new Rel(new Analysis.StreamSource(new StreamDef(n.name(), List.of(), StreamDef.Kind.INPUT, "", "",
                        Map.of(), Map.of(), null, null, -1), alias, List.of(), List.of()),
                        new Scope(List.of(), List.of(n.name()), true));
            }
            StreamDef s = def.get();
            if (s.kind() == StreamDef.Kind.DERIVED) {
                if (derivedStack.contains(s.name())) {
                    problems.add(n.pos(), "stream '" + s.name() + "' is defined through itself");
                    return new Rel(new Analysis.StreamSource(s, alias, List.of(), List.of()),
                            new Scope(List.of(), List.of(alias), true));
                }
                derivedStack.push(s.name());
                try {
                    Analysis.Block sub = block(s.query());
                    return new Rel(sub, scopeOf(sub.columns(), alias, s.name()));
                } finally {
                    derivedStack.pop();
                }
            }
            List<Field> fields = new ArrayList<>();
            List<Column> cols = new ArrayList<>(s.columns());
            Set<String> qual = new LinkedHashSet<>(List.of(alias, s.name()));
            for (int i = 0; i < s.columns().size(); i++) {
                Column c = s.columns().get(i);
                fields.add(new Field(qual, c.name(), c.type(), i, null));
            }
            for (String h : headers) {
                fields.add(new Field(qual, "#" + h, SqlType.STRING, cols.size(), h));
                cols.add(new Column("#" + h, SqlType.STRING));
            }
            return new Rel(new Analysis.StreamSource(s, alias, headers, cols), new Scope(fields, List.of(alias)));
        }
        if (r instanceof Relation.Subquery sq) {
            Analysis.Block sub = block(sq.query());
            return new Rel(sub, scopeOf(sub.columns(), sq.alias(), sq.alias()));
        }
        Relation.Join j = (Relation.Join) r;
        Rel left = relation(j.left(), headers, defs);
        Rel right = relation(j.right(), headers, defs);
        Scope combined = left.scope.join(right.scope, j.leftOuter());
        long[] range = joinRange(j.window(), defs);
        List<Evaluator> lk = new ArrayList<>();
        List<Evaluator> rk = new ArrayList<>();
        List<Expr> residual = new ArrayList<>();
        for (Expr c : conjuncts(j.condition())) {
            if (c instanceof Expr.Binary b && b.op().equals("=")) {
                Evaluator[] pair = keyPair(b.left(), b.right(), left.scope, right.scope);
                if (pair == null) {
                    pair = keyPair(b.right(), b.left(), left.scope, right.scope);
                }
                if (pair != null) {
                    SqlType t = Types.common(pair[0].type(), pair[1].type());
                    if (t == null) {
                        problems.add(b.pos(), "join keys cannot be compared: " + pair[0].type().name() + " and "
                                + pair[1].type().name() + "; use CAST");
                    } else {
                        lk.add(Types.coerce(pair[0], t));
                        rk.add(Types.coerce(pair[1], t));
                    }
                    continue;
                }
            }
            residual.add(c);
        }
        Evaluator res = null;
        for (Expr c : residual) {
            Evaluator e = exprs.condition(c, ExprContext.plain(combined, "is not allowed in ON"), "ON");
            res = res == null ? e : new LogicEval(true, res, e);
        }
        if (lk.isEmpty() && problems.isEmpty()) {
            problems.add(j.condition().pos(), "a JOIN needs an equality between a column of each side in ON, "
                    + "e.g. l.k = r.k");
        }
        List<Column> cols = new ArrayList<>();
        for (Field f : combined.fields()) {
            cols.add(new Column(f.name(), f.type()));
        }
        return new Rel(new Analysis.JoinSource(left.source, right.source, lk, rk, res, range[0], range[1], j.leftOuter(),
                cols), combined);
    }

    private Evaluator[] keyPair(Expr a, Expr b, Scope left, Scope right) {
        Problems scratch = new Problems();
        ExprAnalyzer probe = new ExprAnalyzer(functions, Clock.systemUTC(), scratch);
        Evaluator l = probe.analyze(a, ExprContext.plain(left, "is not allowed in ON"));
        Evaluator r = probe.analyze(b, ExprContext.plain(right, "is not allowed in ON"));
        if (!scratch.isEmpty() || l.isConstant() || r.isConstant()) {
            return null;
        }
        // analyze again for real so that the evaluators use the real clock and functions
        return new Evaluator[] {exprs.analyze(a, ExprContext.plain(left, "is not allowed in ON")),
                exprs.analyze(b, ExprContext.plain(right, "is not allowed in ON"))};
    }

    private static List<Expr> conjuncts(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Binary b && b.op().equals("AND")) {
            out.addAll(conjuncts(b.left()));
            out.addAll(conjuncts(b.right()));
        } else {
            out.add(e);
        }
        return out;
    }

    private static Scope scopeOf(List<Column> cols, String alias, String source) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            fields.add(new Field(Set.of(alias), cols.get(i).name(), cols.get(i).type(), i, null));
        }
        return new Scope(fields, List.of(source));
    }

    // ---- windows ----

    private WindowSpec resolve(WindowSpec w, Map<String, WindowSpec> defs) {
        if (w instanceof WindowSpec.Named n) {
            WindowSpec d = defs.get(n.name());
            if (d == null) {
                problems.add(n.pos(), "window '" + n.name() + "' is not defined; add WINDOW " + n.name()
                        + " AS (...)" + DidYouMean.suggest(n.name(), defs.keySet()));
                return null;
            }
            return d instanceof WindowSpec.Named ? null : d;
        }
        return w;
    }

    private WindowDef aggregateWindow(WindowSpec spec, Map<String, WindowSpec> defs) {
        WindowSpec w = resolve(spec, defs);
        if (w == null) {
            return null;
        }
        if (w instanceof WindowSpec.Tumbling t) {
            return WindowDef.tumbling(t.size());
        }
        if (w instanceof WindowSpec.Hopping h) {
            if (h.advance() > h.size()) {
                problems.add(h.pos(), "HOPPING ADVANCE (" + h.advance() + " ms) must not be longer than the window ("
                        + h.size() + " ms)");
                return null;
            }
            return h.advance() == h.size() ? WindowDef.tumbling(h.size()) : WindowDef.hopping(h.size(), h.advance());
        }
        if (w instanceof WindowSpec.Session s) {
            return WindowDef.session(s.gap());
        }
        WindowSpec.Range r = (WindowSpec.Range) w;
        if (r.following() != 0) {
            problems.add(r.pos(), "RANGE BETWEEN ... FOLLOWING is for joins; an aggregate takes "
                    + "RANGE INTERVAL n unit PRECEDING, TUMBLING, HOPPING or SESSION");
            return null;
        }
        if (r.preceding() <= 0) {
            problems.add(r.pos(), "RANGE interval must be longer than 0");
            return null;
        }
        long advance = Math.max(1, r.preceding() / Math.max(1, buckets));
        return advance >= r.preceding() ? WindowDef.tumbling(r.preceding()) : WindowDef.hopping(r.preceding(), advance);
    }

    private long[] joinRange(WindowSpec spec, Map<String, WindowSpec> defs) {
        WindowSpec w = resolve(spec, defs);
        if (w == null) {
            return new long[] {0, 0};
        }
        if (w instanceof WindowSpec.Range r) {
            return new long[] {r.preceding(), r.following()};
        }
        problems.add(w.pos(), "a JOIN window is RANGE INTERVAL n unit PRECEDING or RANGE BETWEEN INTERVAL n unit "
                + "PRECEDING AND INTERVAL m unit FOLLOWING");
        return new long[] {0, 0};
    }

    // ---- walking the AST ----

    private Pos firstAggregate(Query q) {
        List<Expr> roots = new ArrayList<>();
        for (SelectItem s : q.items()) {
            if (s.expr() != null) {
                roots.add(s.expr());
            }
        }
        if (q.having() != null) {
            roots.add(q.having());
        }
        for (Expr r : roots) {
            Expr.Call c = findAggregate(r);
            if (c != null) {
                return c.pos();
            }
        }
        return null;
    }

    private String firstAggName(Query q) {
        for (SelectItem s : q.items()) {
            Expr.Call c = s.expr() == null ? null : findAggregate(s.expr());
            if (c != null) {
                return c.name();
            }
        }
        Expr.Call c = q.having() == null ? null : findAggregate(q.having());
        return c == null ? "?" : c.name();
    }

    private Expr.Call findAggregate(Expr e) {
        List<Expr.Call> found = new ArrayList<>();
        walk(e, x -> {
            if (x instanceof Expr.Call c && functions.isAggregate(c.name()) && found.isEmpty()) {
                found.add(c);
            }
        });
        return found.isEmpty() ? null : found.get(0);
    }

    private static void collectHeaders(Expr e, Set<String> out) {
        walk(e, x -> {
            if (x instanceof Expr.HeaderRef h) {
                out.add(h.name());
            } else if (x instanceof Expr.Call c && (c.name().equals("host") || c.name().equals("priority")
                    || c.name().equals("priority_level"))) {
                out.add(c.name().equals("host") ? "host" : "priority");
            }
        });
    }

    private static void collectJoinHeaders(Relation r, Set<String> out) {
        if (r instanceof Relation.Join j) {
            collectJoinHeaders(j.left(), out);
            collectJoinHeaders(j.right(), out);
            collectHeaders(j.condition(), out);
        }
    }

    static void walk(Expr e, Consumer<Expr> visit) {
        if (e == null) {
            return;
        }
        visit.accept(e);
        if (e instanceof Expr.Call c) {
            c.args().forEach(a -> walk(a, visit));
        } else if (e instanceof Expr.Cast c) {
            walk(c.value(), visit);
        } else if (e instanceof Expr.Case c) {
            walk(c.operand(), visit);
            for (Expr.When w : c.whens()) {
                walk(w.condition(), visit);
                walk(w.result(), visit);
            }
            walk(c.elseValue(), visit);
        } else if (e instanceof Expr.Negate n) {
            walk(n.value(), visit);
        } else if (e instanceof Expr.Not n) {
            walk(n.value(), visit);
        } else if (e instanceof Expr.Binary b) {
            walk(b.left(), visit);
            walk(b.right(), visit);
        } else if (e instanceof Expr.Between b) {
            walk(b.value(), visit);
            walk(b.lower(), visit);
            walk(b.upper(), visit);
        } else if (e instanceof Expr.InList in) {
            walk(in.value(), visit);
            in.list().forEach(a -> walk(a, visit));
        } else if (e instanceof Expr.Like l) {
            walk(l.value(), visit);
            walk(l.pattern(), visit);
        } else if (e instanceof Expr.IsNull n) {
            walk(n.value(), visit);
        } else if (e instanceof Expr.Subscript s) {
            walk(s.value(), visit);
            walk(s.index(), visit);
        }
    }
}
