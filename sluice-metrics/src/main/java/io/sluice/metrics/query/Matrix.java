package io.sluice.metrics.query;

import java.util.List;
import java.util.Map;

/**
 * A query's answer: the bucket start times of the ring it read, and one row per series with a
 * value per time ({@code NaN} where the series has none). Immutable by convention: the arrays are
 * not copied, and nobody writes them once the matrix is built.
 */
public record Matrix(long resolutionMillis, long[] times, List<Row> rows) {
    /** One series: its labels ({@code __name__} included while it is a stored series) and values. */
    public record Row(Map<String, String> labels, double[] values) {
    }
}
