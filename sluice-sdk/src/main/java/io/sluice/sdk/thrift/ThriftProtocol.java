package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * The two Thrift protocols Apache Flume speaks over framed transport: {@code compact} (Flume's
 * default) and {@code binary}. Their first byte tells them apart: a compact message starts with
 * {@code 0x82}, a strict binary message with {@code 0x80}.
 */
public enum ThriftProtocol {
    COMPACT("compact"),
    BINARY("binary");

    private final String key;

    ThriftProtocol(String key) {
        this.key = key;
    }

    /** The value of the {@code protocol} key naming this protocol. */
    public String key() {
        return key;
    }

    /**
     * The protocol named by a {@code protocol} key (case-insensitive).
     *
     * @throws IllegalArgumentException when it is neither {@code compact} nor {@code binary}
     */
    public static ThriftProtocol parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (ThriftProtocol p : values()) {
            if (p.key.equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("protocol = " + value + ": must be compact or binary");
    }

    ThriftWriter writer(ByteBuf out) {
        return this == COMPACT ? new CompactWriter(out) : new BinaryWriter(out);
    }
}
