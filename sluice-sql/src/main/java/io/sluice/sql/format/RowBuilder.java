package io.sluice.sql.format;

import io.sluice.sql.Column;
import io.sluice.sql.expr.Values;

import java.util.List;

/**
 * Fills a row from text fields and checks NOT NULL columns. Shared by the text formats.
 * Thread-safe (holds no state beyond its configuration).
 */
final class RowBuilder {
    private final List<Column> columns;
    private final String nullSequence;
    private final String listDelim;

    RowBuilder(List<Column> columns, String nullSequence, String listDelim) {
        this.columns = columns;
        this.nullSequence = nullSequence;
        this.listDelim = listDelim;
    }

    int size() {
        return columns.size();
    }

    /** Sets column {@code i} from text; records the first failure on a NOT NULL column. */
    Object parseField(int i, String text) {
        if (text == null || text.equals(nullSequence)) {
            return null;
        }
        Object v = Values.parse(text, columns.get(i).type(), listDelim);
        return v == Values.FAILED ? failed(i, text) : v;
    }

    private Object failed(int i, String text) {
        return new Failure("column '" + columns.get(i).name() + "' (" + columns.get(i).type() + "): '"
                + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "' does not parse as "
                + columns.get(i).type().name());
    }

    /** Marks a field that did not parse. */
    record Failure(String reason) {
    }

    /**
     * Replaces failures by NULL, and rejects the row when a NOT NULL column is NULL or failed.
     */
    Object[] finish(Object[] values) throws ParseException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Failure f) {
                if (!columns.get(i).type().nullable()) {
                    throw new ParseException(f.reason());
                }
                values[i] = null;
            } else if (v == null && !columns.get(i).type().nullable()) {
                throw new ParseException("column '" + columns.get(i).name() + "' is NOT NULL but the event has no value for it");
            }
        }
        return values;
    }
}
