package io.sluice.cli.shell;

import io.sluice.sql.Column;
import io.sluice.sql.DisplayWidth;
import io.sluice.sql.StatementResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints the small result table of DESCRIBE, SHOW and EXPLAIN, padded into columns, within the terminal's width. Stateless. */
final class ResultTables {
    private ResultTables() {
    }

    static void print(StatementResult r, PrintWriter w) {
        print(r, w, Integer.MAX_VALUE);
    }

    /**
     * Prints the table within {@code maxWidth} terminal columns: a one-column multi-line result
     * (EXPLAIN) has its long lines wrapped with an indent; in other tables the widest column is cut
     * with {@code …} until the table fits.
     */
    static void print(StatementResult r, PrintWriter w, int maxWidth) {
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
                    width[i] = Math.max(width[i], DisplayWidth.of(part));
                }
            }
            cells.add(c);
        }
        if (n > 1) {
            // the rule line is 2 + widths + 3 per separator: cut the widest column until it fits
            while (true) {
                int total = 2;
                int widest = 0;
                for (int i = 0; i < n; i++) {
                    total += width[i] + (i > 0 ? 3 : 0);
                    widest = width[i] > width[widest] ? i : widest;
                }
                if (total <= maxWidth || width[widest] <= 8) {
                    break;
                }
                width[widest] = Math.max(8, width[widest] - (total - maxWidth));
            }
        } else {
            width[0] = Math.min(width[0], Math.max(8, maxWidth - 2));
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
            if (n == 1) {
                for (String part : c[0].split("\n", -1)) {
                    wrap(part, maxWidth - 1, w);
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
        return DisplayWidth.fit(s.replace('\n', ' '), w, false, true);
    }

    /** Prints {@code line} indented by one space, in pieces of at most {@code width} columns. */
    private static void wrap(String line, int width, PrintWriter w) {
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        String prefix = " ";
        String rest = line;
        while (DisplayWidth.of(rest) > width - (prefix.length() - 1) && width > 20) {
            int room = width - (prefix.length() - 1);
            int cut = 0;
            int used = 0;
            while (cut < rest.length()) {
                int cp = rest.codePointAt(cut);
                int cw = DisplayWidth.of(cp);
                if (used + cw > room) {
                    break;
                }
                used += cw;
                cut += Character.charCount(cp);
            }
            int space = rest.lastIndexOf(' ', cut);
            if (space > indent + 1) {
                cut = space;
            }
            w.println(prefix + rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
            prefix = " " + " ".repeat(indent + 4);
        }
        w.println(prefix + rest);
    }
}
