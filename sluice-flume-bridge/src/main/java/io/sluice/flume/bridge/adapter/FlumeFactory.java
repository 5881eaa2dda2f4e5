package io.sluice.flume.bridge.adapter;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.serialization.EventSerializer;
import io.sluice.flume.bridge.FlumeCounters;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.conf.Configurable;

import static java.util.Objects.requireNonNull;

/**
 * Builds one Apache Flume plugin class as a Sluice component, the way Apache Flume does: a public
 * no-argument constructor, {@code setName} with the configured name, then {@code configure} with
 * the component's keys as a Flume {@code Context} (for selectors and sink processors, after their
 * channels or sinks are set). A plugin that cannot be created or rejects its configuration is a
 * problem naming the component and the plugin's own message. The plugin's keys are its own, so
 * none is reported as unknown. Thread-safe.
 */
final class FlumeFactory implements ComponentFactory<Object> {
    private final ComponentKind kind;
    private final FlumeKind flumeKind;
    private final Class<?> type;
    private final ComponentDescriptor descriptor;

    FlumeFactory(ComponentKind kind, FlumeKind flumeKind, Class<?> type) {
        this.kind = requireNonNull(kind, "kind is null");
        this.flumeKind = requireNonNull(flumeKind, "flumeKind is null");
        this.type = requireNonNull(type, "type is null");
        this.descriptor = ComponentDescriptor.builder(kind, type.getName())
                .description("The Apache Flume plugin " + type.getName() + ", run through the plugin bridge.")
                .build();
    }

    @Override
    public ComponentDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Object create(ComponentContext context) {
        Map<String, String> props = context.properties();
        for (String k : props.keySet()) {
            context.raw(k); // the plugin reads its keys through Context: none of them is unknown
        }
        String label = context.keyPrefix().endsWith(".")
                ? context.keyPrefix().substring(0, context.keyPrefix().length() - 1) : context.keyPrefix();
        String what = flumeKind.description().substring(2).replace(" (not its Builder)", "") + " " + type.getName();
        ClassLoader loader = type.getClassLoader();
        Object instance;
        try {
            instance = withLoader(loader, () -> type.getConstructor().newInstance());
        } catch (InvocationTargetException e) {
            context.problem(what + " could not be created: " + e.getCause(), "check the plugin's jar and the jars it"
                    + " needs in its plugins.d libext directory");
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            context.problem(what + " could not be created: " + e, "check the plugin's jar and the jars it needs in its"
                    + " plugins.d libext directory");
            return null;
        }
        Context flumeContext = new Context(props);
        PluginCalls calls;
        switch (kind) {
            case SOURCE: {
                org.apache.flume.Source s = (org.apache.flume.Source) instance;
                FlumeCounters counters = context.counters().register(new FlumeCounters("SOURCE", context.name()));
                calls = new PluginCalls(label, what, loader, counters);
                if (!configure(context, calls, s, context.name(), flumeContext, what)) {
                    return null;
                }
                return s instanceof org.apache.flume.PollableSource
                        ? new PollableSourceAdapter(context.name(), (org.apache.flume.PollableSource) s, calls, counters,
                                context.clock())
                        : new EventDrivenSourceAdapter(context.name(), s, calls, counters, context.clock());
            }
            case SINK: {
                org.apache.flume.Sink s = (org.apache.flume.Sink) instance;
                FlumeCounters counters = context.counters().register(new FlumeCounters("SINK", context.name()));
                calls = new PluginCalls(label, what, loader, counters);
                if (!configure(context, calls, s, context.name(), flumeContext, what)) {
                    return null;
                }
                return new SinkAdapter(context.name(), s, calls, counters, context.clock());
            }
            case CHANNEL: {
                org.apache.flume.Channel c = (org.apache.flume.Channel) instance;
                FlumeCounters counters = context.counters().register(new FlumeCounters("CHANNEL", context.name()));
                calls = new PluginCalls(label, what, loader, counters);
                if (!configure(context, calls, c, context.name(), flumeContext, what)) {
                    return null;
                }
                return new ChannelAdapter(context.name(), c, calls, counters, context.clock());
            }
            case INTERCEPTOR: {
                org.apache.flume.interceptor.Interceptor.Builder b =
                        (org.apache.flume.interceptor.Interceptor.Builder) instance;
                calls = new PluginCalls(label, what, loader, null);
                if (!configure(context, calls, b, null, flumeContext, what)) {
                    return null;
                }
                try {
                    return new InterceptorAdapter(withLoader(loader, b::build));
                } catch (Exception | LinkageError e) {
                    context.problem(what + " failed to build its interceptor: " + e, "fix the keys under "
                            + context.keyPrefix());
                    return null;
                }
            }
            case EVENT_SERIALIZER: {
                org.apache.flume.serialization.EventSerializer.Builder b =
                        (org.apache.flume.serialization.EventSerializer.Builder) instance;
                EventSerializer.Builder sluiceBuilder = out -> new SerializerAdapter(b.build(flumeContext, out));
                return sluiceBuilder;
            }
            case CHANNEL_SELECTOR: {
                org.apache.flume.ChannelSelector s = (org.apache.flume.ChannelSelector) instance;
                calls = new PluginCalls(label, what, loader, null);
                calls.run(() -> s.setName(context.name()));
                return new SelectorAdapter(s, context, flumeContext, calls); // configured once it has its channels
            }
            case SINK_PROCESSOR: {
                org.apache.flume.SinkProcessor p = (org.apache.flume.SinkProcessor) instance;
                calls = new PluginCalls(label, what, loader, null);
                return new SinkProcessorAdapter(p, context, flumeContext, calls); // configured once it has its sinks
            }
            default:
                context.problem(what + " cannot be used as " + kind.configWord(), "name a Flume component of that kind");
                return null;
        }
    }

    /** Sets the name (for named components) and configures; false when the plugin threw (reported). */
    private static boolean configure(ComponentContext context, PluginCalls calls, Object plugin, String name,
            Context flumeContext, String what) {
        try {
            calls.run(() -> {
                if (name != null && plugin instanceof org.apache.flume.NamedComponent) {
                    ((org.apache.flume.NamedComponent) plugin).setName(name);
                }
                if (plugin instanceof Configurable) {
                    ((Configurable) plugin).configure(flumeContext);
                }
            });
            return true;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            context.problem(what + " rejected its configuration: " + e, "fix the keys under " + context.keyPrefix()
                    + " as the plugin's documentation says");
            return false;
        }
    }

    private interface Action<T> {
        T call() throws Exception;
    }

    private static <T> T withLoader(ClassLoader loader, Action<T> action) throws ReflectiveOperationException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.call();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
