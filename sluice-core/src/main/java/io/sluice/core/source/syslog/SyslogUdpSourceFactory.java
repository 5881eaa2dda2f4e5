package io.sluice.core.source.syslog;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.SourceCounter;
import java.net.InetAddress;
/**
 * The {@code syslogudp} source ({@code org.apache.flume.source.SyslogUDPSource}). Keys, with
 * Apache Flume's names and defaults: {@code host} and {@code port} (required), {@code keepFields}
 * (false), {@code clientIPHeader}, {@code clientHostnameHeader} (unset). Messages are UTF-8. Flume's custom header formats ({@code format.*}) are refused
 * with a configuration error.
 */
public final class SyslogUdpSourceFactory implements ComponentFactory<Source> {
    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "syslogudp")
            .otherNames("org.apache.flume.source.SyslogUDPSource")
            .keys(SyslogKeys.HOST, SyslogKeys.PORT, SyslogKeys.KEEP_FIELDS, SyslogKeys.CLIENT_IP_HEADER,
                SyslogKeys.CLIENT_HOSTNAME_HEADER, SyslogKeys.FORMAT)
            .description("Receives syslog messages (RFC 3164 and RFC 5424) as UDP datagrams.")
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
        if (!formatsOk || host == null || port == null || port < 1 || port > 65535) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new SyslogUdpSource(context.name(), context.label(), host, port,
                KeepFields.parse(context.get(SyslogKeys.KEEP_FIELDS)), SyslogKeys.headers(context, null), counter,
                context.clock());
    }
}
