package io.sluice.core.selector;

import io.sluice.api.ChannelSelector;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.core.config.AgentProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code selector.type = multiplexing}. Keys: {@code selector.header} ({@code flume.selector.header}),
 * {@code selector.mapping.<value>}, {@code selector.default}, {@code selector.optional.<value>}.
 */
public final class MultiplexingSelectorFactory implements ComponentFactory<ChannelSelector> {
    public static final ConfigKey<String> HEADER = ConfigKey.stringKey("header", "flume.selector.header",
            "the header whose value picks the channels");
    public static final ConfigKey<List<String>> DEFAULT = ConfigKey.listKey("default", List.of(),
            "channels for events whose header value has no mapping");
    /** Prefix keys: {@code mapping.<value>} and {@code optional.<value>}. */
    public static final ConfigKey<String> MAPPING = ConfigKey.stringKey("mapping.", null,
            "mapping.<value> = the channels for that header value");
    public static final ConfigKey<String> OPTIONAL = ConfigKey.stringKey("optional.", null,
            "optional.<value> = optional channels for that header value");

    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.CHANNEL_SELECTOR, "multiplexing")
            .otherNames("org.apache.flume.channel.MultiplexingChannelSelector")
            .keys(HEADER, DEFAULT, MAPPING, OPTIONAL)
            .description("Chooses the channels of each event by the value of one header.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ChannelSelector create(ComponentContext context) {
        String header = context.get(HEADER);
        List<String> defaults = context.get(DEFAULT);
        Map<String, List<String>> mapping = lists(context.subProperties("mapping."));
        Map<String, List<String>> optional = lists(context.subProperties("optional."));
        if (mapping.isEmpty() && defaults.isEmpty()) {
            context.problem("mapping.", null, "a multiplexing selector needs at least one mapping or a default",
                    "add " + context.fullKey("mapping.<value>") + " = <channels> or "
                            + context.fullKey("default") + " = <channels>");
        }
        return new MultiplexingChannelSelector(header, mapping, optional, defaults);
    }

    private static Map<String, List<String>> lists(Map<String, String> raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, AgentProperties.split(v)));
        return out;
    }
}
