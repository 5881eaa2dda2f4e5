package io.sluice.cli;

import java.util.Map;
import java.util.Objects;

/**
 * Whether and where an agent serves its counters over HTTP, decided from {@code --metrics-port}
 * or Apache Flume's {@code -Dflume.monitoring.type=http -Dflume.monitoring.port=N} (41414 when the
 * type is set and the port is not, as in Flume). Immutable.
 *
 * @param enabled  whether to start the metrics server
 * @param bindHost the address to bind
 * @param port     the port (0 picks a free one)
 */
record MetricsSettings(boolean enabled, String bindHost, int port) {
    static final String TYPE_KEY = "flume.monitoring.type";
    static final String PORT_KEY = "flume.monitoring.port";
    static final int FLUME_DEFAULT_PORT = 41414;

    MetricsSettings {
        Objects.requireNonNull(bindHost, "bindHost is null");
    }

    /**
     * @param metricsPort {@code --metrics-port}, or null
     * @param bindHost    {@code --metrics-bind}
     * @param properties  {@code -D} properties given to the command, looked up before JVM system properties
     * @throws IllegalArgumentException naming the option and the expected range when a value is bad
     */
    static MetricsSettings resolve(Integer metricsPort, String bindHost, Map<String, String> properties) {
        if (metricsPort != null) {
            return new MetricsSettings(true, bindHost, checkPort("--metrics-port", String.valueOf(metricsPort)));
        }
        String type = lookup(TYPE_KEY, properties);
        if (type == null || type.isBlank()) {
            return new MetricsSettings(false, bindHost, 0);
        }
        if (!type.trim().equalsIgnoreCase("http")) {
            throw new IllegalArgumentException(TYPE_KEY + " = " + type
                    + ": only 'http' is supported (it serves /metrics as JSON and /prometheus); "
                    + "use -D" + TYPE_KEY + "=http or --metrics-port N");
        }
        String port = lookup(PORT_KEY, properties);
        int p = port == null ? FLUME_DEFAULT_PORT : checkPort(PORT_KEY, port);
        return new MetricsSettings(true, bindHost, p);
    }

    private static String lookup(String key, Map<String, String> properties) {
        String v = properties.get(key);
        return v != null ? v : System.getProperty(key);
    }

    private static int checkPort(String what, String value) {
        int p;
        try {
            p = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " = " + value + ": not a number (expected: 0-65535)");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(what + " = " + value + ": out of range (expected: 0-65535)");
        }
        return p;
    }
}
