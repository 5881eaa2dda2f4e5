package io.sluice.sdk;

import static java.util.Objects.requireNonNull;

/** One agent a client sends to: its reference name in the properties, host and port. Immutable. */
public record HostInfo(String name, String host, int port) {
    public HostInfo {
        requireNonNull(name, "name is null");
        requireNonNull(host, "host is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    /** Parses {@code host:port}. */
    public static HostInfo parse(String name, String hostAndPort) {
        String v = hostAndPort == null ? "" : hostAndPort.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("hosts." + name + " = " + hostAndPort
                    + ": must be host:port (fix: e.g. hosts." + name + " = collector1:41414)");
        }
        try {
            return new HostInfo(name, v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hosts." + name + " = " + hostAndPort
                    + ": the port is not a number (fix: e.g. hosts." + name + " = collector1:41414)");
        }
    }

    public String address() {
        return host + ":" + port;
    }
}
