package io.sluice.core.source.support;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLException;

/**
 * Tells a source why a connection to its TLS port failed, in words for the person running the
 * sender: a client speaking plain text to a port with {@code ssl = true}, or a handshake that
 * failed. Stateless; thread-safe.
 */
public final class TlsFailures {
    private TlsFailures() {
    }

    /**
     * The reason, phrased to follow "the connection from ADDRESS ...", when {@code cause} (as a
     * Netty pipeline reports it) is a TLS failure; null otherwise.
     */
    public static String reason(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof NotSslRecordException) {
            return "sent plain text to a port with ssl = true; turn TLS on at the sender (rsyslog: StreamDriver=\"gtls\""
                    + " StreamDriverMode=\"1\") or send to a port without ssl";
        }
        if (c instanceof SSLException) {
            return "failed the TLS handshake (does the sender trust this source's certificate, and do its protocols"
                    + " and cipher suites overlap with include-protocols and include-cipher-suites?): " + c.getMessage();
        }
        return null;
    }
}
