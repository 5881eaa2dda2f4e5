package io.sluice.sql.format;

import io.sluice.sql.Column;
import io.sluice.sql.expr.Values;

import java.util.List;

/**
 * Fills a row from text fields and checks NOT NULL columns and the event-time column. An event
 * two or more of whose fields fail to parse and none parse is rejected (a header line, a line of
 * another file). Shared by the text formats.
 * Thread-safe (holds no state beyond its configuration).
 */
final class RowBuilder {
    private final List<Column> columns;
    private final String nullSequence;
    private final String listDelim;
    private final int timeColumn;

    /**
     * @param timeColumn the column named by {@code timestamp.col}, or -1: an event whose event time
     *                   is missing or does not parse is rejected, whether or not the column is NOT NULL
     */
    RowBuilder(List<Column> columns, String nullSequence, String listDelim, int timeColumn) {
        this.columns = columns;
        this.nullSequence = nullSequence;
        this.listDelim = listDelim;
        this.timeColumn = timeColumn;
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
        int failed = 0;
        int parsed = 0;
        Failure firstFailure = null;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Failure f) {
                if (!columns.get(i).type().nullable()) {
                    throw new ParseException(f.reason());
                }
                if (i == timeColumn) {
                    throw new ParseException(f.reason() + "; it is the event time (timestamp.col), so the event is rejected");
                }
                failed++;
                if (firstFailure == null) {
                    firstFailure = f;
                }
                values[i] = null;
            } else if (v == null && !columns.get(i).type().nullable()) {
                throw new ParseException("column '" + columns.get(i).name() + "' is NOT NULL but the event has no value for it");
            } else if (v == null && i == timeColumn) {
                throw new ParseException("column '" + columns.get(i).name() + "' is the event time (timestamp.col) but "
                        + "the event has no value for it");
            } else if (v != null) {
                parsed++;
            }
        }
        if (failed >= 2 && parsed == 0) {
            throw new ParseException("no field of the event parses as its column's type (a header line?); first: "
                    + firstFailure.reason());
        }
        return values;
    }

    /** Rejects an event that is not a record of the format at all. */
    static ParseException notARecord(String what) {
        return new ParseException(what + "; the event is rejected");
    }
}
