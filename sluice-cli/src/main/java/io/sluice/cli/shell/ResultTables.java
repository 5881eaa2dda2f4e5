package io.sluice.cli.shell;

import io.sluice.sql.Column;
import io.sluice.sql.StatementResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints the small result table of DESCRIBE, SHOW and EXPLAIN, padded into columns. Stateless. */
final class ResultTables {
    private ResultTables() {
    }

    static void print(StatementResult r, PrintWriter w) {
        if (r.rows().isEmpty() || r.flow().isPresent()) {
            return;
        }
        List<Column> cols = r.columns();
        int n = cols.size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = cols.get(i).name().length();
        }
        List<String[]> cells = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            String[] c = new String[n];
            for (int i = 0; i < n; i++) {
                Object v = i < row.size() ? row.get(i) : null;
                c[i] = v == null ? "NULL" : String.valueOf(v);
                for (String part : c[i].split("\n", -1)) {
                    width[i] = Math.max(width[i], part.length());
                }
            }
            cells.add(c);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? " " : " | ").append(pad(cols.get(i).name(), width[i]));
        }
        w.println(sb.toString().stripTrailing());
        sb.setLength(0);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "-" : "-+-").append("-".repeat(width[i]));
        }
        w.println(sb.append('-'));
        for (String[] c : cells) {
            if (n == 1 && c[0].contains("\n")) {
                for (String part : c[0].split("\n", -1)) {
                    w.println(" " + part);
                }
                continue;
            }
            sb.setLength(0);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? " " : " | ").append(pad(c[i], width[i]));
            }
            w.println(sb.toString().stripTrailing());
        }
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
