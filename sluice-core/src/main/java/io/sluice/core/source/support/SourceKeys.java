package io.sluice.core.source.support;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The keys the network sources share, and their checks: {@code bind} and {@code port}, and the
 * connection limits of the sources that read a stream of lines or messages ({@code netcat},
 * {@code syslogtcp}, {@code multiport_syslogtcp}).
 */
public final class SourceKeys {
    private SourceKeys() {
    }

    /** A required {@code port}, 1 to 65535. */
    public static final ConfigKey<Integer> PORT = ConfigKey.intKey("port", null,
            "TCP/UDP port to listen on.").required().between(1, 65535);

    /** Milliseconds a connection may stay open without sending a byte; then it is closed and counted. */
    public static final ConfigKey<Long> IDLE_TIMEOUT = ConfigKey.longKey("idleTimeout", 300_000L,
            "Milliseconds a connection may stay open without sending a byte (Sluice only).").atLeast(1);

    /** Milliseconds from the first byte of a line or message to its end; a slower one closes the connection. */
    public static final ConfigKey<Long> READ_TIMEOUT = ConfigKey.longKey("readTimeout", 30_000L,
            "Milliseconds from the first byte of a line or message to its end; a slower one closes the"
                    + " connection (Sluice only).").atLeast(1);

    /** Most connections open at once on the source (all its ports together); more are closed when accepted. */
    public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.intKey("maxConnections", 1000,
            "Most open connections; more are closed when accepted and counted (Sluice only).").atLeast(1);

    /** A {@code bind} address with the given default ({@code null}: required). */
    public static ConfigKey<String> bind(String defaultValue) {
        ConfigKey<String> k = ConfigKey.stringKey("bind", defaultValue,
                "Host name or IP address to listen on (0.0.0.0 for every interface).");
        return defaultValue == null ? k.required() : k;
    }

    /** Resolves the bind address, or reports a problem and returns null. */
    public static InetAddress resolveBind(ComponentContext context, ConfigKey<String> key) {
        String host = context.get(key);
        if (host == null) {
            return null;
        }
        try {
            return InetAddress.getByName(host.trim());
        } catch (UnknownHostException e) {
            context.problem(key.name(), host, "is not a resolvable host name or IP address",
                    "use an IP address such as 127.0.0.1 or 0.0.0.0, or a host name this machine can resolve");
            return null;
        }
    }
}
