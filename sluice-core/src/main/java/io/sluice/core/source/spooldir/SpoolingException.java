package io.sluice.core.source.spooldir;

/**
 * A spooled file broke the source's assumptions (it changed after pickup, or its name was used
 * again after completion): the source stops, as Apache Flume's does, rather than deliver part of
 * a file in silence. The message names the file and what to do.
 */
final class SpoolingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SpoolingException(String message) {
        super(message);
    }
}
