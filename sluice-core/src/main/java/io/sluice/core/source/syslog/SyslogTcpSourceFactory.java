package io.sluice.core.source.syslog;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ServerTlsKeys;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The {@code syslogtcp} source ({@code org.apache.flume.source.SyslogTcpSource}). Keys, with
 * Apache Flume's names and defaults: {@code host} and {@code port} (required), {@code eventSize}
 * (2500), {@code keepFields} (false), {@code clientIPHeader}, {@code clientHostnameHeader}
 * (unset). Sluice adds, as for {@code netcat}: {@code idleTimeout} (300000 ms without a byte
 * closes a connection), {@code readTimeout} (30000 ms: a started message, newline-framed or
 * octet-counted, must end within it or the connection is closed) and {@code maxConnections} (1000:
 * more connections are closed when accepted). Messages are UTF-8. Flume's custom header formats
 * ({@code format.*}) are refused with a configuration error. TLS, with Apache Flume 1.11's keys
 * ({@code ssl}, {@code keystore}, {@code keystore-password}, {@code keystore-type},
 * {@code exclude-protocols}, {@code include-protocols}, {@code exclude-cipher-suites},
 * {@code include-cipher-suites}): see {@link ServerTlsKeys}.
 */
public final class SyslogTcpSourceFactory implements ComponentFactory<Source> {
    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "syslogtcp")
            .otherNames("org.apache.flume.source.SyslogTcpSource")
            .keys(SyslogKeys.HOST, SyslogKeys.PORT, SyslogKeys.EVENT_SIZE, SyslogKeys.KEEP_FIELDS,
                SyslogKeys.CLIENT_IP_HEADER, SyslogKeys.CLIENT_HOSTNAME_HEADER, SyslogKeys.FORMAT,
                SyslogKeys.IDLE_TIMEOUT, SyslogKeys.READ_TIMEOUT, SyslogKeys.MAX_CONNECTIONS)
            .keys(ServerTlsKeys.KEYS)
            .description("Receives syslog messages (RFC 3164 and RFC 5424) over TCP or TLS, newline-framed or octet-counted (RFC 6587).")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        boolean formatsOk = SyslogKeys.noCustomFormats(context);
        InetAddress host = SyslogKeys.host(context);
        Integer port = context.get(SyslogKeys.PORT);
        Integer eventSize = context.get(SyslogKeys.EVENT_SIZE);
        SyslogTcpSource.Limits limits = SyslogKeys.limits(context);
        ServerTlsKeys.Result tls = ServerTlsKeys.read(context);
        if (!formatsOk || !tls.ok() || limits == null || host == null || port == null || eventSize == null || eventSize < 1 || port < 1 || port > 65535) {
            return null;
        }
        SyslogTcpSource.Settings settings = new SyslogTcpSource.Settings(host, List.of(port), StandardCharsets.UTF_8,
                Map.of(), eventSize, 100, 2, 1024, KeepFields.parse(context.get(SyslogKeys.KEEP_FIELDS)),
                SyslogKeys.headers(context, null), limits, tls.context());
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new SyslogTcpSource(context.name(), context.label(), "syslogtcp", settings, counter,
                context.clock());
    }
}
