package io.sluice.sql.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prints DOUBLE and FLOAT values in the shortest decimal form that reads back as the same value,
 * laid out as Java's {@code Double.toString} lays it out ({@code 100.0}, {@code 0.001},
 * {@code 1.0E23}, {@code 1.0E-5}; plain between 10^-3 and 10^7, else scientific).
 *
 * <p>Java 17's {@code Double.toString} sometimes prints more digits than needed
 * ({@code 1.0E23} as {@code 9.999999999999999E22}; fixed in Java 19). This class finds the fewest
 * significant digits p (at least 2, as Java 19+ does, so {@code Double.MIN_VALUE} is
 * {@code 4.9E-324}) for which some p-digit decimal rounds back to the value, checking both p-digit
 * neighbours of the value with exact {@link BigDecimal} arithmetic, and among two that do, takes
 * the closer (the even one on a tie). Stateless and thread-safe.
 */
public final class ShortestDouble {
    private ShortestDouble() {
    }

    /** The shortest round-trip text of {@code d}. */
    public static String of(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
            return Double.toString(d); // NaN, Infinity, -Infinity, 0.0, -0.0
        }
        return shortest(d, Double.toString(d), false);
    }

    /** The shortest round-trip text of {@code f}, as FLOAT. */
    public static String of(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f) || f == 0) {
            return Float.toString(f);
        }
        return shortest(f, Float.toString(f), true);
    }

    /** Fewer digits than Java's own text {@code java} when some read back as {@code v}; else Java's text. */
    private static String shortest(double v, String java, boolean asFloat) {
        int javaDigits = significantDigits(java);
        BigDecimal exact = asFloat ? new BigDecimal((float) v) : new BigDecimal(v);
        double abs = Math.abs(v);
        for (int p = 2; p < javaDigits; p++) {
            BigDecimal r = shortest(exact, p, v, asFloat);
            if (r != null) {
                return layout(r, abs >= 1e-3 && abs < 1e7);
            }
        }
        return java;
    }

    /** The p-digit decimal nearest {@code exact} that reads back as {@code v}, or null. */
    private static BigDecimal shortest(BigDecimal exact, int p, double v, boolean asFloat) {
        BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
        boolean downOk = readsBack(down, v, asFloat);
        boolean upOk = readsBack(up, v, asFloat);
        if (downOk && upOk) {
            int c = exact.subtract(down).compareTo(up.subtract(exact));
            if (c != 0) {
                return c < 0 ? down : up;
            }
            return exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        }
        return downOk ? down : upOk ? up : null;
    }

    private static boolean readsBack(BigDecimal x, double v, boolean asFloat) {
        return asFloat ? x.floatValue() == (float) v : x.doubleValue() == v;
    }

    /** Digits of Java's text before the exponent, without sign, point and leading zeros. */
    private static int significantDigits(String s) {
        int e = s.indexOf('E');
        String m = e < 0 ? s : s.substring(0, e);
        String digits = m.replace("-", "").replace(".", "");
        int from = 0;
        while (from < digits.length() - 1 && digits.charAt(from) == '0') {
            from++;
        }
        int to = digits.length();
        while (to > from + 1 && digits.charAt(to - 1) == '0') {
            to--;
        }
        return to - from;
    }

    private static String layout(BigDecimal r, boolean plain) {
        r = r.stripTrailingZeros();
        String sign = r.signum() < 0 ? "-" : "";
        BigDecimal a = r.abs();
        if (plain) {
            String s = a.toPlainString();
            return sign + (s.indexOf('.') < 0 ? s + ".0" : s);
        }
        String digits = a.unscaledValue().toString();
        int exp = digits.length() - 1 - a.scale();
        String frac = digits.length() > 1 ? digits.substring(1) : "0";
        return sign + digits.charAt(0) + "." + frac + "E" + exp;
    }
}
