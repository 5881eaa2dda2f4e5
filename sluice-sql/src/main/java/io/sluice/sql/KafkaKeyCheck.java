package io.sluice.sql;

import io.sluice.sql.expr.Evaluator;
import io.sluice.sql.plan.PlanNode;
import io.sluice.sql.plan.StreamDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Warns when a windowed aggregate over a KAFKA stream may be split across partitions. Window state
 * is kept per partition, so a group is right only if all its records lie in one partition: the
 * GROUP BY must include the record key ({@code #key}) or a column the producers key records by,
 * which the stream names in its {@value #KEY_COLUMNS} property. Stateless.
 */
final class KafkaKeyCheck {
    /** The KAFKA stream property naming the columns producers key records by (comma-separated). */
    static final String KEY_COLUMNS = "key.columns";

    private KafkaKeyCheck() {
    }

    /** One sentence per aggregate of {@code plan} over a KAFKA stream whose groups may span partitions. */
    static List<String> warnings(PlanNode plan) {
        List<String> out = new ArrayList<>();
        visit(plan, out);
        return out;
    }

    private static void visit(PlanNode node, List<String> out) {
        if (node instanceof PlanNode.Aggregate a) {
            PlanNode in = a.input();
            while (in instanceof PlanNode.Filter f) {
                in = f.input();
            }
            if (in instanceof PlanNode.Scan s && s.stream().kind() == StreamDef.Kind.KAFKA) {
                if (!covered(a.keys(), s)) {
                    out.add("the windows over KAFKA stream '" + s.stream().name() + "' are kept per partition, and its"
                            + " GROUP BY includes neither #key nor a column named in its '" + KEY_COLUMNS + "' property"
                            + (keyColumns(s.stream()).isEmpty() ? " (none given)" : " " + keyColumns(s.stream()))
                            + ": a group whose records lie in several partitions gives one row per partition. Group by"
                            + " the columns producers key the records by and name them in '" + KEY_COLUMNS + "'");
                }
            } else if (containsKafka(in)) {
                out.add("a window is computed over a query over a KAFKA stream; its groups are kept per partition of"
                        + " that stream, so a group whose records lie in several partitions gives one row per partition");
            }
        }
        for (PlanNode i : node.inputs()) {
            visit(i, out);
        }
    }

    private static boolean containsKafka(PlanNode node) {
        if (node instanceof PlanNode.Scan s) {
            return s.stream().kind() == StreamDef.Kind.KAFKA;
        }
        return node.inputs().stream().anyMatch(KafkaKeyCheck::containsKafka);
    }

    private static boolean covered(List<Evaluator> keys, PlanNode.Scan s) {
        Set<String> named = keyColumns(s.stream());
        int width = s.stream().columns().size();
        for (Evaluator k : keys) {
            int c = k.columnIndex();
            if (c >= 0 && c < width && named.contains(s.stream().columns().get(c).name())) {
                return true;
            }
            if (c >= width && c - width < s.headers().size() && s.headers().get(c - width).equals("key")) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> keyColumns(StreamDef d) {
        String v = d.sourceProperties().get(KEY_COLUMNS);
        if (v == null) {
            return Set.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .map(x -> x.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }
}
