package io.sluice.core.source.netcatudp;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.SourceKeys;
import java.net.InetAddress;
/**
 * The {@code netcatudp} source ({@code org.apache.flume.source.NetcatUdpSource}). Keys:
 * {@code bind} (required), {@code port} (required, 1-65535), {@code remoteAddressHeader} (unset:
 * no header).
 */
public final class NetcatUdpSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> BIND = SourceKeys.bind(null);
    public static final ConfigKey<Integer> PORT = SourceKeys.PORT;
    public static final ConfigKey<String> REMOTE_ADDRESS_HEADER = ConfigKey.stringKey("remoteAddressHeader", null,
            "Header that receives the sender's IP address; unset adds none.");

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "netcatudp")
            .otherNames("org.apache.flume.source.NetcatUdpSource")
            .keys(BIND, PORT, REMOTE_ADDRESS_HEADER)
            .description("Receives UDP datagrams and sends each line as an event.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        InetAddress bind = SourceKeys.resolveBind(context, BIND);
        Integer port = context.get(PORT);
        String header = context.get(REMOTE_ADDRESS_HEADER);
        if (bind == null || port == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new NetcatUdpSource(context.name(), context.label(), bind, port,
                header == null || header.isBlank() ? null : header.trim(), counter, context.clock());
    }
}
