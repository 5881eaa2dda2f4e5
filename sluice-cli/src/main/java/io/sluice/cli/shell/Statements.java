package io.sluice.cli.shell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small facts about statement text the shell needs. Stateless. */
final class Statements {
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s+|--[^\\n]*|//[^\\n]*|/\\*.*?\\*/)*",
            Pattern.DOTALL);

    private Statements() {
    }

    /** The statement without leading whitespace and comments. */
    static String stripLeading(String statement) {
        Matcher m = LEADING_COMMENTS.matcher(statement);
        return m.lookingAt() ? statement.substring(m.end()) : statement;
    }

    /** True if the statement is a SELECT (whose rows the shell prints), not CREATE STREAM ... AS SELECT. */
    static boolean isSelect(String statement) {
        return stripLeading(statement).regionMatches(true, 0, "SELECT", 0, 6);
    }

    /** The first line of the statement, shortened, to name it in messages. */
    static String brief(String statement) {
        String s = stripLeading(statement).strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl) + " ...";
        }
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /**
     * True if {@code text} ends a statement: its last character outside strings, quoted identifiers
     * and comments is {@code ;}. Text holding only whitespace and comments also counts as complete.
     */
    static boolean isComplete(String text) {
        char last = 0;
        boolean any = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                boolean closed = false;
                while (j < n) {
                    char d = text.charAt(j);
                    if (d == '\\' && c == '\'' && j + 1 < n) {
                        j += 2;
                        continue;
                    }
                    if (d == c) {
                        if (j + 1 < n && text.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    j++;
                }
                if (!closed) {
                    return false;
                }
                last = c;
                any = true;
                i = j + 1;
            } else if ((c == '-' && i + 1 < n && text.charAt(i + 1) == '-')
                    || (c == '/' && i + 1 < n && text.charAt(i + 1) == '/')) {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    return false;
                }
                i = end + 2;
            } else {
                if (!Character.isWhitespace(c)) {
                    last = c;
                    any = true;
                }
                i++;
            }
        }
        return !any || last == ';';
    }
}
