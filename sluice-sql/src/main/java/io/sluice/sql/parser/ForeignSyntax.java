package io.sluice.sql.parser;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hints for statements written in a neighbour's dialect (ksqlDB, Flink SQL, plain SQL) that rtsql
 * does not parse: instead of a list of expected tokens, a syntax error names the construct and
 * says how rtsql writes it. Also suggests the keyword a misspelt word was meant to be. Stateless
 * and thread-safe.
 */
final class ForeignSyntax {
    private record Rule(Pattern pattern, String hint) {
    }

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("\\bEMIT\\s+(CHANGES|FINAL)\\b", FLAGS),
                    "EMIT CHANGES / EMIT FINAL is ksqlDB syntax: every rtsql SELECT is a continuous query already"
                            + " (windowed aggregates emit each window once, when it closes); remove it"),
            new Rule(Pattern.compile("\\bLIMIT\\s+\\d+", FLAGS),
                    "rtsql has no LIMIT: a SELECT runs until its input ends or it is dropped; in the shell, Ctrl-C"
                            + " stops watching its rows and \\D <flow id> drops it"),
            new Rule(Pattern.compile("\\bORDER\\s+BY\\b", FLAGS),
                    "rtsql has no ORDER BY: rows of a stream come in event-time order, and a windowed aggregate"
                            + " emits its groups in key order when the window closes"),
            new Rule(Pattern.compile("\\bTABLE\\s*\\(\\s*(TUMBLE|HOP|CUMULATE|SESSION)\\s*\\(", FLAGS),
                    "window table functions (Flink's TABLE(TUMBLE(...))) are written in rtsql as a window after"
                            + " GROUP BY: SELECT k, COUNT(*) FROM s GROUP BY k OVER TUMBLING INTERVAL 1 MINUTES"
                            + " (also HOPPING INTERVAL w ADVANCE INTERVAL a, SESSION INTERVAL g)"),
            new Rule(Pattern.compile("\\bGROUP\\s+BY\\b[^;]*?\\b(TUMBLE|HOP|SESSION)\\s*\\(", FLAGS),
                    "group window functions (GROUP BY TUMBLE(ts, INTERVAL ...)) are written in rtsql as a window"
                            + " after GROUP BY: GROUP BY k OVER TUMBLING INTERVAL 1 MINUTES (also HOPPING INTERVAL w"
                            + " ADVANCE INTERVAL a, SESSION INTERVAL g); WINDOW_START() and WINDOW_END() give its bounds"),
            new Rule(Pattern.compile("\\bWINDOW\\s+(TUMBLING|HOPPING|SESSION)\\s*\\(", FLAGS),
                    "ksqlDB's WINDOW TUMBLING (SIZE 1 MINUTE) is written in rtsql after GROUP BY: GROUP BY k OVER"
                            + " TUMBLING INTERVAL 1 MINUTES (HOPPING (SIZE w, ADVANCE BY a) is HOPPING INTERVAL w"
                            + " ADVANCE INTERVAL a; SESSION (g) is SESSION INTERVAL g)"),
            new Rule(Pattern.compile("\\bINTERVAL\\s*'[^']*'", FLAGS),
                    "an rtsql interval is a number and a unit without quotes: INTERVAL 1 MINUTES, not INTERVAL '1'"
                            + " MINUTE"),
            new Rule(Pattern.compile("\\bCREATE\\s+(OR\\s+REPLACE\\s+)?(TABLE|SOURCE\\s+TABLE|VIEW)\\b", FLAGS),
                    "rtsql has streams, not tables or views: CREATE STREAM name (col TYPE, ...) FROM FILE 'path'"
                            + " | SOURCE 'type' | NODE 'agent.component', or CREATE STREAM name AS SELECT ..."),
            new Rule(Pattern.compile("\\bINSERT\\s+INTO\\b", FLAGS),
                    "rtsql has no INSERT INTO: CREATE STREAM name AS SELECT ... names a query's output so other"
                            + " queries and sinks can read it"));

    private static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING",
            "OVER", "WINDOW", "JOIN", "LEFT", "OUTER", "INNER", "ON", "AND", "OR", "NOT", "IN", "LIKE", "BETWEEN",
            "IS", "NULL", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "DISTINCT", "TUMBLING", "HOPPING",
            "SESSION", "RANGE", "INTERVAL", "ADVANCE", "PRECEDING", "FOLLOWING", "CREATE", "STREAM", "STREAMS",
            "LOCAL", "FILE", "NODE", "SOURCE", "KAFKA", "TOPIC", "EVENT", "FORMAT", "PROPERTIES", "EXPLAIN", "DESCRIBE", "SHOW",
            "FLOWS", "FLOW", "FUNCTIONS", "DROP", "SET", "TRUE", "FALSE", "AS");
    /** Clause keywords a misspelling of which is likely anywhere in a statement (and rarely a column). */
    private static final List<String> CLAUSES = List.of("SELECT", "FROM", "WHERE", "GROUP", "HAVING", "OVER",
            "TUMBLING", "HOPPING", "SESSION", "INTERVAL", "PRECEDING", "FOLLOWING", "STREAM", "PROPERTIES");

    private static final Pattern WORD = Pattern.compile("[A-Za-z_]+");

    private ForeignSyntax() {
    }

    /** A hint for {@code text}, whose parse failed at the token {@code offending}; null if none fits. */
    static String hint(String text, String offending) {
        for (Rule r : RULES) {
            if (r.pattern.matcher(text).find()) {
                return r.hint;
            }
        }
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String w = m.group();
            if (w.length() >= 4 && !isKeyword(w)) {
                for (String c : CLAUSES) {
                    if (closeTo(w, c)) {
                        return "'" + w + "' is not a keyword (did you mean '" + c + "'?)";
                    }
                }
            }
        }
        if (offending != null && offending.length() >= 3 && WORD.matcher(offending).matches() && !isKeyword(offending)) {
            for (String k : KEYWORDS) {
                if (closeTo(offending, k)) {
                    return "'" + offending + "' is not a keyword here (did you mean '" + k + "'?)";
                }
            }
        }
        return null;
    }

    private static boolean isKeyword(String w) {
        return KEYWORDS.contains(w.toUpperCase(Locale.ROOT));
    }

    /** One edit (or one swap of neighbours) apart. */
    private static boolean closeTo(String w, String keyword) {
        String a = w.toUpperCase(Locale.ROOT);
        if (a.length() == keyword.length()) {
            int diff = 0;
            int first = -1;
            for (int i = 0; i < a.length(); i++) {
                if (a.charAt(i) != keyword.charAt(i)) {
                    if (first < 0) {
                        first = i;
                    }
                    diff++;
                }
            }
            return diff == 1 || diff == 2 && first + 1 < a.length() && a.charAt(first) == keyword.charAt(first + 1)
                    && a.charAt(first + 1) == keyword.charAt(first);
        }
        String longer = a.length() > keyword.length() ? a : keyword;
        String shorter = longer == a ? keyword : a;
        for (int i = 0; i < longer.length(); i++) {
            if ((longer.substring(0, i) + longer.substring(i + 1)).equals(shorter)) {
                return true;
            }
        }
        return false;
    }
}
