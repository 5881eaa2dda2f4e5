package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static java.util.Objects.requireNonNull;

/**
 * Puts this machine's address (or canonical host name, when {@code useIP} is false) into a header,
 * {@code host} by default. The address is looked up once, when the interceptor is built.
 * Immutable and thread-safe.
 */
public final class HostInterceptor implements Interceptor {
    private final String header;
    private final String host;
    private final boolean preserveExisting;

    HostInterceptor(String header, String host, boolean preserveExisting) {
        this.header = requireNonNull(header, "header is null");
        this.host = requireNonNull(host, "host is null");
        this.preserveExisting = preserveExisting;
    }

    /** The value this interceptor writes. */
    public String host() {
        return host;
    }

    @Override
    public Event intercept(Event event) {
        if (preserveExisting && event.header(header) != null) {
            return event;
        }
        return event.withHeader(header, host);
    }

    /**
     * {@code host} ({@code org.apache.flume.interceptor.HostInterceptor$Builder}). Keys:
     * {@code preserveExisting} (false), {@code useIP} (true), {@code hostHeader} ({@code host}).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<Boolean> PRESERVE_EXISTING = ConfigKey.boolKey("preserveExisting", false,
                "Keep a host header the event already has.");
        public static final ConfigKey<Boolean> USE_IP = ConfigKey.boolKey("useIP", true,
                "Write the IP address; false writes the canonical host name.");
        public static final ConfigKey<String> HOST_HEADER = ConfigKey.stringKey("hostHeader", "host",
                "Header that receives the host.");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.INTERCEPTOR, "host")
                .otherNames("org.apache.flume.interceptor.HostInterceptor$Builder")
                .keys(PRESERVE_EXISTING, USE_IP, HOST_HEADER)
                .description("Adds a header holding the host name or IP address of the agent.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public HostInterceptor create(ComponentContext context) {
            boolean useIp = context.get(USE_IP);
            String host;
            try {
                InetAddress local = InetAddress.getLocalHost();
                host = useIp ? local.getHostAddress() : local.getCanonicalHostName();
            } catch (UnknownHostException e) {
                context.problem(USE_IP.name(), String.valueOf(useIp),
                        "this machine's own host name cannot be resolved (" + e.getMessage() + ")",
                        "add the host name to /etc/hosts or fix DNS, or use a static interceptor instead");
                return null;
            }
            return new HostInterceptor(context.get(HOST_HEADER), host, context.get(PRESERVE_EXISTING));
        }
    }
}
