package io.sluice.core.source.support;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The {@code bind} and {@code port} keys the network sources share, and their checks. */
public final class SourceKeys {
    private SourceKeys() {
    }

    /** A required {@code port}, 1 to 65535. */
    public static final ConfigKey<Integer> PORT = ConfigKey.intKey("port", null,
            "TCP/UDP port to listen on.").required().between(1, 65535);

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
