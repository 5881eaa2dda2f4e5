package io.sluice.metrics.query;

import io.sluice.api.text.DidYouMean;
import io.sluice.sql.SqlType;
import io.sluice.sql.expr.Values;
import io.sluice.sql.function.FunctionRegistry;
import io.sluice.sql.function.ScalarFunction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * rtsql's scalar functions, used by {@code map(fn, x, args...)} of the query language: the same
 * registry rtsql uses, so a function written once against {@link ScalarFunction} (listed in
 * {@code META-INF/services/io.sluice.sql.function.ScalarFunction}, its jar on the class path) runs
 * in SQL and on stored series alike, as do rtsql's numeric built-ins ({@code ABS}, {@code ROUND},
 * {@code FLOOR}, {@code CEIL}, {@code SQUARE}, ...). A function is called with each value of a
 * series as a DOUBLE, then the extra arguments (numbers, as DOUBLE); its result must be a number.
 * Thread-safe: the registry is loaded once and functions are thread-safe by contract.
 */
public final class UserFunctions {
    private static final FunctionRegistry REGISTRY = new FunctionRegistry(UserFunctions.class.getClassLoader());

    private UserFunctions() {
    }

    /** A function bound to its argument count: checked once, then called per value. */
    public static final class Bound {
        private final ScalarFunction function;
        private final List<SqlType> argTypes;
        private final Object[] extra;

        private Bound(ScalarFunction function, List<SqlType> argTypes, List<Double> extra) {
            this.function = function;
            this.argTypes = argTypes;
            this.extra = new Object[extra.size()];
            for (int i = 0; i < extra.size(); i++) {
                this.extra[i] = Values.cast(extra.get(i), SqlType.DOUBLE, argTypes.get(i + 1));
                if (this.extra[i] == null) {
                    throw new IllegalArgumentException(function.signature() + ": argument " + (i + 2) + " = "
                            + extra.get(i) + " does not fit " + argTypes.get(i + 1).name());
                }
            }
        }

        /** The function of {@code value}; NaN (a gap) when it gives NULL, a non-number or fails. */
        public double apply(double value) {
            Object[] args = new Object[1 + extra.length];
            args[0] = Values.cast(value, SqlType.DOUBLE, argTypes.get(0));
            System.arraycopy(extra, 0, args, 1, extra.length);
            Object r;
            try {
                r = function.call(args);
            } catch (RuntimeException e) {
                return Double.NaN;
            }
            if (r instanceof BigDecimal d) {
                return d.doubleValue();
            }
            return r instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    /**
     * Binds {@code name} for a series value and {@code extra} numeric arguments.
     *
     * @throws IllegalArgumentException naming the function and what it takes
     */
    public static Bound bind(String name, List<Double> extra) {
        ScalarFunction f = REGISTRY.scalar(name.toLowerCase(Locale.ROOT)).orElse(null);
        if (f == null || REGISTRY.isAggregate(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown function '" + name + "'" + DidYouMean.suggest(name, names())
                    + "; map takes an rtsql scalar function: " + String.join(", ", names()));
        }
        List<SqlType> given = new ArrayList<>();
        given.add(SqlType.DOUBLE.notNull());
        for (double x : extra) {
            // a whole number is an INT, as an integer literal is in rtsql (ROUND(x, 1) takes INT digits)
            boolean whole = x == Math.rint(x) && Math.abs(x) <= Integer.MAX_VALUE;
            given.add((whole ? SqlType.INT : SqlType.DOUBLE).notNull());
        }
        SqlType result;
        try {
            result = f.resultType(given);
        } catch (IllegalArgumentException e) {
            result = null;
        }
        if (result == null || !result.isNumeric()) {
            throw new IllegalArgumentException(f.signature() + " cannot map a series: map needs a function of "
                    + (extra.isEmpty() ? "one number" : 1 + extra.size() + " numbers") + " that returns a number");
        }
        return new Bound(f, f.argumentTypes(given), extra);
    }

    /** The names of the scalar functions, for messages. */
    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (String n : REGISTRY.names()) {
            if (!REGISTRY.isAggregate(n) && REGISTRY.scalar(n).isPresent()) {
                out.add(n);
            }
        }
        return out;
    }
}
