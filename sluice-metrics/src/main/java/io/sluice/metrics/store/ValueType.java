package io.sluice.metrics.store;

/**
 * Artimon's four value types. Integers and doubles aggregate as numbers; a boolean is stored as 1
 * (true) or 0 (false), so a bucket's mean is the share of true samples, its min and max say whether
 * any sample was false or true; a string series keeps its latest value and, per bucket, only the
 * number of samples (min, max, first, last and sum are 0).
 */
public enum ValueType {
    INTEGER, DOUBLE, BOOLEAN, STRING;

    private static final ValueType[] VALUES = values();

    static ValueType ofCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("value type code " + code + " (expected: 0 to " + (VALUES.length - 1)
                    + ")");
        }
        return VALUES[code];
    }

    boolean numeric() {
        return this != STRING;
    }
}
