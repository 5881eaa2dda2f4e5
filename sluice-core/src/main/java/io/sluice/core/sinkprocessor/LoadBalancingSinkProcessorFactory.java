package io.sluice.core.sinkprocessor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.SinkProcessor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
/**
 * {@code processor.type = load_balance}. Keys: {@code processor.selector} ({@code round_robin},
 * {@code random}, or the class name of a {@link SinkSelector}), {@code processor.backoff} (false):
 * leave failed sinks out for a growing time, {@code processor.selector.maxTimeOut} (30000 ms): the
 * longest such time.
 */
public final class LoadBalancingSinkProcessorFactory implements ComponentFactory<SinkProcessor> {
    public static final ConfigKey<String> SELECTOR = ConfigKey.stringKey("selector", "round_robin",
            "round_robin, random, or a SinkSelector class name");
    public static final ConfigKey<Boolean> BACKOFF = ConfigKey.boolKey("backoff", false,
            "leave a failed sink out for a growing time");
    public static final ConfigKey<Long> MAX_TIMEOUT = ConfigKey.longKey("selector.maxTimeOut", 30000L,
            "the longest a failed sink is left out, in milliseconds").atLeast(0);

    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.SINK_PROCESSOR, "load_balance")
            .otherNames("org.apache.flume.sink.LoadBalancingSinkProcessor")
            .keys(SELECTOR, BACKOFF, MAX_TIMEOUT)
            .description("Spreads batches over its sinks, round robin or at random, backing off from failed ones.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SinkProcessor create(ComponentContext context) {
        String selectorName = context.get(SELECTOR).trim();
        boolean backoff = context.get(BACKOFF);
        long maxTimeout = context.get(MAX_TIMEOUT);
        String label = context.keyPrefix().substring(0, context.keyPrefix().length() - ".processor.".length());
        SinkSelector selector;
        if (selectorName.equalsIgnoreCase("round_robin")) {
            selector = new BackoffSinkSelector(false, backoff, maxTimeout, context.clock());
        } else if (selectorName.equalsIgnoreCase("random")) {
            selector = new BackoffSinkSelector(true, backoff, maxTimeout, context.clock());
        } else {
            selector = custom(context, selectorName);
            if (selector == null) {
                return null;
            }
        }
        return new LoadBalancingSinkProcessor(label, selector);
    }

    private static SinkSelector custom(ComponentContext context, String className) {
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!SinkSelector.class.isAssignableFrom(c)) {
                context.problem("selector", className, "is not round_robin, random, or a class implementing "
                        + SinkSelector.class.getName(), "set it to round_robin or random");
                return null;
            }
            return (SinkSelector) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            context.problem("selector", className, "must be round_robin, random, or a loadable SinkSelector class ("
                    + e + ")", "set it to round_robin or random");
            return null;
        }
    }
}
