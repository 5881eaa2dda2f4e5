package io.sluice.core.source.spooldir;

/** What the {@code spooldir} source does with bytes that are not valid in {@code inputCharset}. */
public enum DecodeErrorPolicy {
    /** Stop reading: the source reports the file and offset and stops. */
    FAIL,
    /** Put U+FFFD in place of the bad bytes. */
    REPLACE,
    /** Drop the bad bytes. */
    IGNORE
}
