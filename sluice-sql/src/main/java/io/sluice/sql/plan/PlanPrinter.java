package io.sluice.sql.plan;

import java.util.ArrayList;
import java.util.List;

/** Prints a plan as indented lines, the root first. Stateless and thread-safe. */
public final class PlanPrinter {
    private PlanPrinter() {
    }

    public static List<String> lines(PlanNode root) {
        List<String> out = new ArrayList<>();
        print(root, 0, out);
        return out;
    }

    private static void print(PlanNode n, int depth, List<String> out) {
        out.add("  ".repeat(depth) + n.describe());
        for (PlanNode in : n.inputs()) {
            print(in, depth + 1, out);
        }
    }
}
