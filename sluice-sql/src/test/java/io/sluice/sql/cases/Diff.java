package io.sluice.sql.cases;

import java.util.ArrayList;
import java.util.List;

/** A readable line diff of expected and actual output. */
final class Diff {
    private Diff() {
    }

    /** Null when equal; else the expected and actual lines, with missing ({@code -}) and extra ({@code +}) marked. */
    static String lines(List<String> expected, List<String> actual, boolean ordered) {
        List<String> want = new ArrayList<>(expected);
        List<String> got = new ArrayList<>(actual);
        if (!ordered && !want.isEmpty() && !got.isEmpty()) {
            String wantHeader = want.remove(0);
            String gotHeader = got.remove(0);
            want.sort(null);
            got.sort(null);
            want.add(0, wantHeader);
            got.add(0, gotHeader);
        }
        if (want.equals(got)) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("    expected:\n");
        want.forEach(l -> sb.append("      ").append(l).append('\n'));
        sb.append("    actual:\n");
        got.forEach(l -> sb.append("      ").append(l).append('\n'));
        List<String> missing = new ArrayList<>(want);
        got.forEach(missing::remove);
        List<String> extra = new ArrayList<>(got);
        want.forEach(extra::remove);
        missing.forEach(l -> sb.append("    - ").append(l).append('\n'));
        extra.forEach(l -> sb.append("    + ").append(l).append('\n'));
        if (missing.isEmpty() && extra.isEmpty()) {
            sb.append("    (same lines, different order)\n");
        }
        return sb.toString();
    }
}
