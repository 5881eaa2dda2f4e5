package io.sluice.metrics.query;

import io.sluice.metrics.store.SeriesKey;
import java.util.List;
import java.util.regex.Pattern;

/** The parsed form of a query (see {@link QueryParser}). Immutable values. */
public sealed interface Expr {

    /** How a label is compared: {@code =}, {@code !=}, {@code =~}, {@code !~}. */
    record Matcher(String label, String op, String value, Pattern regex) {
        private static final String REGEX_SPECIALS = "\\.^$*+?()[]{}";

        static Matcher of(String label, String op, String value) {
            Pattern p = op.endsWith("~") ? Pattern.compile(value) : null;
            return new Matcher(label, op, value, p);
        }

        /** Whether the matcher selects series with the value (true) or without it (false). */
        boolean positive() {
            return op.equals("=") || op.equals("=~");
        }

        /**
         * The exact values the matcher compares with: the value of {@code =} and {@code !=}, the
         * alternatives of a regular expression that is only literals joined by {@code |}
         * ({@code "sda|sdb"}); {@code null} for any other regular expression.
         */
        List<String> literals() {
            if (regex == null) {
                return List.of(value);
            }
            for (int i = 0; i < value.length(); i++) {
                if (REGEX_SPECIALS.indexOf(value.charAt(i)) >= 0) {
                    return null;
                }
            }
            return List.of(value.split("\\|", -1));
        }

        boolean matches(String actual) {
            String v = actual == null ? "" : actual;
            return switch (op) {
                case "=" -> v.equals(value);
                case "!=" -> !v.equals(value);
                case "=~" -> regex.matcher(v).matches();
                default -> !regex.matcher(v).matches();
            };
        }
    }

    /** {@code name{label="v",...}}: the series of that name whose labels match. */
    record Selector(String name, List<Matcher> matchers) implements Expr {
        /** Whether the series {@code key} is selected. */
        public boolean matches(SeriesKey key) {
            if (name != null && !name.equals(key.name())) {
                return false;
            }
            for (Matcher m : matchers) {
                if (!m.matches(key.label(m.label()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A constant. */
    record Number(double value) implements Expr {
    }

    /** {@code delta(x)}, {@code rate(x)}, {@code moving_avg(x, n)}, {@code fill(x[, v])}. */
    record Function(String name, Expr arg, Double param) implements Expr {
    }

    /**
     * {@code map(fn, x, args...)}: the rtsql scalar function {@code fn} applied to every value of
     * every series of {@code x}, with the extra numeric {@code args}.
     */
    record MapFunction(String function, Expr arg, List<Double> args, UserFunctions.Bound bound) implements Expr {
        public MapFunction {
            args = List.copyOf(args);
        }
    }

    /** {@code sum|avg|min|max|count by (labels) (x)}. */
    record Aggregate(String op, List<String> by, Expr arg) implements Expr {
    }

    /** {@code a op b}, series matched on all their labels or on {@code on(...)}'s. */
    record Binary(char op, Expr left, Expr right, List<String> on) implements Expr {
    }
}
