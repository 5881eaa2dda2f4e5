package io.sluice.sql;

import java.util.function.IntFunction;

/**
 * How many terminal columns text takes, so that tables stay aligned: East Asian wide and
 * fullwidth characters and emoji take two, combining marks and zero-width characters none, others
 * one. Stateless and thread-safe.
 */
public final class DisplayWidth {
    private DisplayWidth() {
    }

    /** The columns one code point takes. */
    public static int of(int cp) {
        if (cp == 0) {
            return 0;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || cp == 0x200B || cp >= 0xFE00 && cp <= 0xFE0F) {
            return 0;
        }
        return isWide(cp) ? 2 : 1;
    }

    /** The columns {@code s} takes. */
    public static int of(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += of(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    private static boolean isWide(int cp) {
        return cp >= 0x1100 && cp <= 0x115F || cp >= 0x2E80 && cp <= 0x303E || cp >= 0x3041 && cp <= 0x33FF
                || cp >= 0x3400 && cp <= 0x4DBF || cp >= 0x4E00 && cp <= 0x9FFF || cp >= 0xA000 && cp <= 0xA4CF
                || cp >= 0xAC00 && cp <= 0xD7A3 || cp >= 0xF900 && cp <= 0xFAFF || cp >= 0xFE30 && cp <= 0xFE4F
                || cp >= 0xFF00 && cp <= 0xFF60 || cp >= 0xFFE0 && cp <= 0xFFE6 || cp >= 0x1F300 && cp <= 0x1F64F
                || cp >= 0x1F900 && cp <= 0x1F9FF || cp >= 0x1F680 && cp <= 0x1F6FF || cp >= 0x2614 && cp <= 0x2615
                || cp >= 0x20000 && cp <= 0x3FFFD;
    }

    /**
     * {@code s} fitted to exactly {@code width} columns: padded with spaces (on the left when
     * {@code right}), or cut and ended with {@code …} when longer and {@code truncate}; a longer
     * value that may not be cut (a number) is returned whole.
     */
    public static String fit(String s, int width, boolean right, boolean truncate) {
        int w = of(s);
        if (w > width && truncate && width >= 1) {
            StringBuilder sb = new StringBuilder();
            int used = 0;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int cw = of(cp);
                if (used + cw > width - 1) {
                    break;
                }
                sb.appendCodePoint(cp);
                used += cw;
                i += Character.charCount(cp);
            }
            sb.append('…');
            used++;
            return sb.append(" ".repeat(width - used)).toString();
        }
        if (w >= width) {
            return s;
        }
        String spaces = " ".repeat(width - w);
        return right ? spaces + s : s + spaces;
    }

    /** Line breaks, tabs and other control characters as visible escapes, so a cell stays on one line. */
    public static String oneLine(String s) {
        return replaceChars(s, c -> c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                : c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : null);
    }

    /** {@code s} with each char for which {@code replacement} gives text replaced by it (null: kept). */
    static String replaceChars(String s, IntFunction<String> replacement) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = replacement.apply(c);
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
