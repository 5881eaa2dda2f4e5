package io.sluice.core.source.syslog;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.core.source.support.SourceKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * The keys the syslog sources share, with Apache Flume 1.11's names and defaults, and their checks.
 */
final class SyslogKeys {
    private SyslogKeys() {
    }

    static final ConfigKey<String> HOST = ConfigKey.stringKey("host", null,
            "Host name or IP address to listen on (0.0.0.0 for every interface).").required();
    static final ConfigKey<Integer> PORT = ConfigKey.intKey("port", null, "Port to listen on.").required()
            .between(1, 65535);
    static final ConfigKey<Integer> EVENT_SIZE = ConfigKey.intKey("eventSize", 2500,
            "Longest message in bytes; a longer one is cut and marked flume.syslog.status = Incomplete.").atLeast(1);
    static final ConfigKey<String> KEEP_FIELDS = ConfigKey.stringKey("keepFields", "false",
            "Header fields kept in the body: true/all, false/none, or any of priority version timestamp hostname.");
    static final ConfigKey<String> CLIENT_IP_HEADER = ConfigKey.stringKey("clientIPHeader", null,
            "Header that receives the sender's IP address (unset: none).");
    static final ConfigKey<String> CLIENT_HOSTNAME_HEADER = ConfigKey.stringKey("clientHostnameHeader", null,
            "Header that receives the sender's host name, looked up by reverse DNS (unset: none).");

    /** The connection limits of the TCP sources, shared with {@code netcat}: same names, defaults, meaning. */
    static final ConfigKey<Long> IDLE_TIMEOUT = SourceKeys.IDLE_TIMEOUT;
    static final ConfigKey<Long> READ_TIMEOUT = SourceKeys.READ_TIMEOUT;
    static final ConfigKey<Integer> MAX_CONNECTIONS = SourceKeys.MAX_CONNECTIONS;

    /** Apache Flume's custom header formats ({@code format.regex}, ...), which Sluice refuses. */
    static final ConfigKey<String> FORMAT = ConfigKey.stringKey("format.", null,
            "Not supported: custom header formats (format.regex, format.search, format.replace,"
                    + " format.dateFormat).");

    /** Reports every {@code format.*} key; returns whether there was none. */
    static boolean noCustomFormats(ComponentContext context) {
        boolean none = true;
        for (Map.Entry<String, String> e : context.subProperties(FORMAT.name()).entrySet()) {
            context.problem(FORMAT.name() + e.getKey(), e.getValue(),
                    "custom syslog header formats are not supported: Sluice parses RFC 5424 and RFC 3164",
                    "remove the format.* keys, or turn the body into fields with a regex_extractor interceptor");
            none = false;
        }
        return none;
    }

    static InetAddress host(ComponentContext context) {
        String h = context.get(HOST);
        if (h == null) {
            return null;
        }
        try {
            return InetAddress.getByName(h.trim());
        } catch (UnknownHostException e) {
            context.problem(HOST.name(), h, "is not a resolvable host name or IP address",
                    "use an IP address such as 127.0.0.1 or 0.0.0.0");
            return null;
        }
    }

    static Charset charset(ComponentContext context, String key, String value) {
        try {
            return Charset.forName(value.trim());
        } catch (IllegalArgumentException e) {
            context.problem(key, value, "is not a character set this JVM supports",
                    "use a charset name such as UTF-8 or ISO-8859-1");
            return null;
        }
    }

    /** The TCP sources' timeouts and connection limit, or null when one of them was reported as a problem. */
    static SyslogTcpSource.Limits limits(ComponentContext context) {
        Long idle = context.get(IDLE_TIMEOUT);
        Long read = context.get(READ_TIMEOUT);
        Integer max = context.get(MAX_CONNECTIONS);
        if (idle == null || read == null || max == null || idle < 1 || read < 1 || max < 1) {
            return null;
        }
        return new SyslogTcpSource.Limits(idle, read, max);
    }

    static SyslogTcpHandler.HeaderOptions headers(ComponentContext context, String portHeader) {
        return new SyslogTcpHandler.HeaderOptions(blankToNull(context.get(CLIENT_IP_HEADER)),
                blankToNull(context.get(CLIENT_HOSTNAME_HEADER)), blankToNull(portHeader));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
