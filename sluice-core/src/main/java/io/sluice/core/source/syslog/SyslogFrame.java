package io.sluice.core.source.syslog;

import static java.util.Objects.requireNonNull;

/**
 * One syslog message as cut from a TCP stream, without its delimiter. Immutable (the array is
 * owned by the frame).
 *
 * @param bytes      the message
 * @param incomplete whether it was cut at {@code eventSize}
 */
record SyslogFrame(byte[] bytes, boolean incomplete) {
    SyslogFrame {
        requireNonNull(bytes, "bytes is null");
    }
}
