package io.sluice.core.source.syslog;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ServerTlsKeys;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code multiport_syslogtcp} source ({@code org.apache.flume.source.MultiportSyslogTCPSource}).
 * Keys, with Apache Flume's names and defaults: {@code host} and {@code ports} (required; a
 * space-separated list), {@code eventSize} (2500), {@code keepFields} (false), {@code portHeader}
 * (unset: no header; else the header that receives the local port), {@code charset.default}
 * (UTF-8), {@code charset.port.<port>} (a port's own charset), {@code batchSize} (100),
 * {@code numProcessors} (the number of CPUs: I/O threads per port), {@code readBufferBytes} (1024
 * bytes, the first receive buffer size; Flume's user guide calls it {@code readBufferSize}, and
 * that name is read too), {@code clientIPHeader}, {@code clientHostnameHeader}. Sluice adds, as
 * for {@code netcat}: {@code idleTimeout} (300000 ms without a byte closes a connection),
 * {@code readTimeout} (30000 ms: a started message must end within it or the connection is
 * closed) and {@code maxConnections} (1000 for all ports together: more connections are closed
 * when accepted). TLS on every port, with Apache Flume 1.11's keys ({@code ssl}, {@code keystore},
 * {@code keystore-password}, {@code keystore-type}, {@code exclude-protocols},
 * {@code include-protocols}, {@code exclude-cipher-suites}, {@code include-cipher-suites}): see
 * {@link ServerTlsKeys}.
 */
public final class MultiportSyslogTcpSourceFactory implements ComponentFactory<Source> {
    static final ConfigKey<List<String>> PORTS = ConfigKey.listKey("ports", null,
            "Space-separated ports to listen on.").required();
    static final ConfigKey<String> PORT_HEADER = ConfigKey.stringKey("portHeader", null,
            "Header that receives the port a message arrived on (unset: none).");
    static final ConfigKey<String> CHARSET_DEFAULT = ConfigKey.stringKey("charset.default", "UTF-8",
            "Character set of the messages, unless charset.port.<port> says otherwise.");
    static final ConfigKey<String> CHARSET_PORT = ConfigKey.stringKey("charset.port.", null,
            "charset.port.<port>: character set of the messages on that port.");
    static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
            "Most events committed in one transaction.").atLeast(1);
    static final ConfigKey<Integer> NUM_PROCESSORS = ConfigKey.intKey("numProcessors", null,
            "I/O threads per port (unset: the number of CPUs).").atLeast(1);
    /** The key Apache Flume 1.11 reads (its user guide calls it readBufferSize, which is read too). */
    static final ConfigKey<Integer> READ_BUFFER_BYTES = ConfigKey.intKey("readBufferBytes", 1024,
            "First size in bytes of a connection's receive buffer.").atLeast(64);
    static final ConfigKey<Integer> READ_BUFFER_SIZE = ConfigKey.intKey("readBufferSize", null,
            "The name Apache Flume's user guide gives readBufferBytes; when set it wins.").atLeast(64);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "multiport_syslogtcp")
            .otherNames("org.apache.flume.source.MultiportSyslogTCPSource")
            .keys(SyslogKeys.HOST, PORTS, SyslogKeys.EVENT_SIZE, SyslogKeys.KEEP_FIELDS, PORT_HEADER,
                CHARSET_DEFAULT, CHARSET_PORT, BATCH_SIZE, NUM_PROCESSORS, READ_BUFFER_BYTES, READ_BUFFER_SIZE,
                SyslogKeys.CLIENT_IP_HEADER, SyslogKeys.CLIENT_HOSTNAME_HEADER, SyslogKeys.IDLE_TIMEOUT,
                SyslogKeys.READ_TIMEOUT, SyslogKeys.MAX_CONNECTIONS)
            .keys(ServerTlsKeys.KEYS)
            .description("Receives syslog messages (RFC 3164 and RFC 5424) over TCP or TLS on several ports at once, with a charset per port.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        InetAddress host = SyslogKeys.host(context);
        List<Integer> ports = ports(context);
        String defaultName = context.get(CHARSET_DEFAULT);
        Charset defaultCharset = defaultName == null ? null
                : SyslogKeys.charset(context, CHARSET_DEFAULT.name(), defaultName);
        Map<Integer, Charset> perPort = new HashMap<>();
        boolean ok = true;
        for (Map.Entry<String, String> e : context.subProperties(CHARSET_PORT.name()).entrySet()) {
            String key = CHARSET_PORT.name() + e.getKey();
            try {
                int port = Integer.parseInt(e.getKey().trim());
                Charset cs = SyslogKeys.charset(context, key, e.getValue());
                if (cs == null) {
                    ok = false;
                } else {
                    perPort.put(port, cs);
                }
            } catch (NumberFormatException ex) {
                context.problem(key, e.getValue(), "does not name a port",
                        "write charset.port.<port>, e.g. charset.port.5140 = ISO-8859-1");
                ok = false;
            }
        }
        Integer eventSize = context.get(SyslogKeys.EVENT_SIZE);
        Integer batchSize = context.get(BATCH_SIZE);
        Integer processors = context.get(NUM_PROCESSORS);
        Integer readBuffer = context.raw(READ_BUFFER_SIZE.name()).isPresent() ? context.get(READ_BUFFER_SIZE)
                : context.get(READ_BUFFER_BYTES);
        SyslogTcpSource.Limits limits = SyslogKeys.limits(context);
        ServerTlsKeys.Result tls = ServerTlsKeys.read(context);
        if (!ok || !tls.ok() || limits == null || host == null || ports == null || defaultCharset == null || eventSize == null || batchSize == null
                || readBuffer == null || eventSize < 1 || batchSize < 1 || readBuffer < 64
                || (processors != null && processors < 1)) {
            return null;
        }
        SyslogTcpSource.Settings settings = new SyslogTcpSource.Settings(host, ports, defaultCharset, perPort,
                eventSize, batchSize, processors == null ? Runtime.getRuntime().availableProcessors() : processors,
                readBuffer, KeepFields.parse(context.get(SyslogKeys.KEEP_FIELDS)),
                SyslogKeys.headers(context, context.get(PORT_HEADER)), limits, tls.context());
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new SyslogTcpSource(context.name(), context.label(), "multiport_syslogtcp", settings,
                counter, context.clock());
    }

    private static List<Integer> ports(ComponentContext context) {
        List<String> raw = context.get(PORTS);
        if (raw == null) {
            return null;
        }
        List<Integer> ports = new ArrayList<>();
        for (String p : raw) {
            try {
                int port = Integer.parseInt(p);
                if (port < 1 || port > 65535 || ports.contains(port)) {
                    throw new NumberFormatException(p);
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                context.problem(PORTS.name(), String.join(" ", raw), "'" + p + "' is not a port of its own (1-65535)",
                        "list distinct ports separated by spaces, e.g. 5140 5141");
                return null;
            }
        }
        if (ports.isEmpty()) {
            context.problem(PORTS.name(), "", "must list at least one port", "list ports separated by spaces");
            return null;
        }
        return ports;
    }
}
