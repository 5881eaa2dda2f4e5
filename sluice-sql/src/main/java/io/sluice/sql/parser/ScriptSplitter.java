package io.sluice.sql.parser;

import io.sluice.sql.RtsqlException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into statements at top-level {@code ;}, skipping those inside strings, quoted
 * identifiers and comments. Each statement keeps its place in the script: it is prefixed with as
 * many line breaks as lines precede it and as many spaces as columns precede it on its first line,
 * so the positions of errors in it are positions in the script. Statements that hold only blanks
 * and comments are dropped. Thread-safe.
 */
public final class ScriptSplitter {
    private ScriptSplitter() {
    }

    public static List<String> split(String script) throws RtsqlException {
        List<String> out = new ArrayList<>();
        int n = script.length();
        int start = 0;
        int i = 0;
        boolean meaningful = false;
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"') {
                int open = i;
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = script.charAt(i);
                    if (c == '\'' && d == '\\') {
                        i += 2;
                        continue;
                    }
                    if (d == c) {
                        if (i + 1 < n && script.charAt(i + 1) == c) {
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    i++;
                }
                if (!closed) {
                    int[] lc = lineCol(script, open);
                    throw new RtsqlException(lc[0], lc[1], (c == '\'' ? "string" : "quoted identifier")
                            + " is not closed; add the missing " + c);
                }
                meaningful = true;
            } else if ((c == '-' && i + 1 < n && script.charAt(i + 1) == '-')
                    || (c == '/' && i + 1 < n && script.charAt(i + 1) == '/')) {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                if (end < 0) {
                    int[] lc = lineCol(script, i);
                    throw new RtsqlException(lc[0], lc[1], "comment is not closed; add the missing */");
                }
                i = end + 2;
            } else if (c == ';') {
                if (meaningful) {
                    out.add(place(script, start, i));
                }
                i++;
                start = i;
                meaningful = false;
            } else {
                if (!Character.isWhitespace(c)) {
                    meaningful = true;
                }
                i++;
            }
        }
        if (meaningful) {
            out.add(place(script, start, n));
        }
        return out;
    }

    private static String place(String script, int start, int end) {
        int[] lc = lineCol(script, start);
        String body = script.substring(start, end);
        return "\n".repeat(lc[0] - 1) + " ".repeat(lc[1] - 1) + body;
    }

    /** 1-based line and column of offset {@code pos}. */
    static int[] lineCol(String s, int pos) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < pos; i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }
}
