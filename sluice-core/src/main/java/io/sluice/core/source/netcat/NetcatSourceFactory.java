package io.sluice.core.source.netcat;

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
 * The {@code netcat} source ({@code org.apache.flume.source.NetcatSource}). Keys, with Apache
 * Flume's names and defaults: {@code bind} (required), {@code port} (required, 1-65535),
 * {@code max-line-length} (512, counting the newline, and a {@code \r} before it), {@code ack-every-event}
 * (true). Sluice adds {@code idleTimeout} (300000 ms without a byte closes a connection),
 * {@code readTimeout} (30000 ms: a started line must end within it) and {@code maxConnections}
 * (1000: more connections are closed when accepted).
 */
public final class NetcatSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> BIND = SourceKeys.bind(null);
    public static final ConfigKey<Integer> PORT = SourceKeys.PORT;
    public static final ConfigKey<Integer> MAX_LINE_LENGTH = ConfigKey.intKey("max-line-length", 512,
            "Longest line accepted, in bytes, counting the newline; longer lines are refused.").atLeast(2);
    public static final ConfigKey<Boolean> ACK_EVERY_EVENT = ConfigKey.boolKey("ack-every-event", true,
            "Answer OK for every committed line.");

    public static final ConfigKey<Long> IDLE_TIMEOUT = SourceKeys.IDLE_TIMEOUT;
    public static final ConfigKey<Long> READ_TIMEOUT = SourceKeys.READ_TIMEOUT;
    public static final ConfigKey<Integer> MAX_CONNECTIONS = SourceKeys.MAX_CONNECTIONS;

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "netcat")
            .otherNames("org.apache.flume.source.NetcatSource")
            .keys(BIND, PORT, MAX_LINE_LENGTH, ACK_EVERY_EVENT, IDLE_TIMEOUT, READ_TIMEOUT, MAX_CONNECTIONS)
            .description("Listens on a TCP port and sends each line received as an event.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        InetAddress bind = SourceKeys.resolveBind(context, BIND);
        Integer port = context.get(PORT);
        int maxLineLength = context.get(MAX_LINE_LENGTH);
        boolean ack = context.get(ACK_EVERY_EVENT);
        if (bind == null || port == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new NetcatSource(context.name(), context.label(), bind, port, maxLineLength, ack,
                context.get(IDLE_TIMEOUT), context.get(READ_TIMEOUT), context.get(MAX_CONNECTIONS), counter,
                context.clock());
    }
}
