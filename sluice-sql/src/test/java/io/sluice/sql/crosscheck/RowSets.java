package io.sluice.sql.crosscheck;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Compares two multisets of rows, numbers by value (doubles within a relative 1e-9). */
final class RowSets {
    private RowSets() {
    }

    /** Null if equal as multisets; else a description of the first differences. */
    static String diff(List<List<Object>> expected, List<List<Object>> actual) {
        List<List<Object>> want = normalize(expected);
        List<List<Object>> got = normalize(actual);
        StringBuilder sb = new StringBuilder();
        if (want.size() != got.size()) {
            sb.append("expected ").append(want.size()).append(" rows, got ").append(got.size()).append('\n');
        }
        int shown = 0;
        int i = 0;
        int j = 0;
        while ((i < want.size() || j < got.size()) && shown < 20) {
            int c = i >= want.size() ? 1 : j >= got.size() ? -1 : compareRows(want.get(i), got.get(j));
            if (c == 0 && rowsMatch(want.get(i), got.get(j))) {
                i++;
                j++;
            } else if (c <= 0 && i < want.size()) {
                sb.append("  missing ").append(want.get(i++)).append('\n');
                shown++;
            } else {
                sb.append("  extra   ").append(got.get(j++)).append('\n');
                shown++;
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static List<List<Object>> normalize(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            List<Object> n = new ArrayList<>();
            for (Object v : r) {
                n.add(normalize(v));
            }
            out.add(n);
        }
        out.sort(RowSets::compareRows);
        return out;
    }

    /** Numbers compare by value whatever their Java class: integral values as Long, others as Double. */
    private static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger) {
            return ((BigInteger) v).longValueExact();
        }
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            return d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
        }
        if (v instanceof Float || v instanceof Double) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        }
        return v;
    }

    /** Orders rows by their non-double values, so rows differing only in rounding sort together. */
    private static int compareRows(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x instanceof Double && y instanceof Double) {
                continue;
            }
            int c = Comparator.<Object, String>comparing(o -> o == null ? "" : o.getClass().getSimpleName())
                    .thenComparing(o -> o == null ? "" : o instanceof Long ? String.format("%020d", (Long) o + (1L << 62))
                            : o.toString())
                    .compare(x, y);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static boolean rowsMatch(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x instanceof Double && y instanceof Double) {
                double dx = (Double) x;
                double dy = (Double) y;
                if (Math.abs(dx - dy) > 1e-9 * Math.max(1.0, Math.max(Math.abs(dx), Math.abs(dy)))) {
                    return false;
                }
            } else if (x == null ? y != null : !x.equals(y)) {
                return false;
            }
        }
        return true;
    }
}
