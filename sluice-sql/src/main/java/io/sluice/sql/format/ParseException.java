package io.sluice.sql.format;

/** An event that cannot be read into a row; the message says which column and why. */
public final class ParseException extends Exception {
    public ParseException(String reason) {
        super(reason, null, false, false);
    }
}
