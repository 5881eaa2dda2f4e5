package io.sluice.core.registry;

import io.sluice.api.Channel;
import io.sluice.api.ChannelSelector;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Configurable;
import io.sluice.api.Interceptor;
import io.sluice.api.Sink;
import io.sluice.api.SinkProcessor;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Finds the factory for a configured type name, per component kind: first the built-in list
 * ({@link BuiltinComponents#all()}), then plugins registered through {@code ServiceLoader}, then a
 * fully qualified class name (a {@link ComponentFactory}, or a {@link Configurable} component with
 * a public no-arg constructor), and last the {@link ComponentResolver}s registered through
 * {@code ServiceLoader} (the Apache Flume plugin bridge). Aliases are matched case-insensitively, as
 * Apache Flume does; class names exactly. Flume's short names of components Sluice does not
 * implement ({@code irc}, {@code jms}, {@code hbase2}, ...) stand for Flume's class names
 * ({@link FlumePluginAliases}), so they reach the resolvers too. Immutable and thread-safe once built.
 */
public final class ComponentRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentRegistry.class);
    private static volatile ComponentRegistry standard;

    private final Map<ComponentKind, Map<String, ComponentFactory<?>>> byKind = new EnumMap<>(ComponentKind.class);
    private final Map<ComponentKind, List<String>> aliases = new EnumMap<>(ComponentKind.class);
    private final ClassLoader classLoader;
    private final List<ComponentResolver> resolvers;

    public ComponentRegistry(Collection<? extends ComponentFactory<?>> factories, ClassLoader classLoader) {
        this(factories, classLoader, List.of());
    }

    /** With {@code resolvers} asked, in order, for class names nothing else knows. */
    public ComponentRegistry(Collection<? extends ComponentFactory<?>> factories, ClassLoader classLoader,
            List<ComponentResolver> resolvers) {
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
        this.resolvers = List.copyOf(requireNonNull(resolvers, "resolvers is null"));
        for (ComponentKind k : ComponentKind.values()) {
            byKind.put(k, new LinkedHashMap<>());
            aliases.put(k, new ArrayList<>());
        }
        for (ComponentFactory<?> f : factories) {
            add(f);
        }
    }

    /** Built-in types plus every {@code ServiceLoader} plugin visible to this class's loader. Cached. */
    public static ComponentRegistry standard() {
        ComponentRegistry r = standard;
        if (r == null) {
            synchronized (ComponentRegistry.class) {
                r = standard;
                if (r == null) {
                    r = withPlugins(Thread.currentThread().getContextClassLoader() != null
                            ? Thread.currentThread().getContextClassLoader() : ComponentRegistry.class.getClassLoader());
                    standard = r;
                }
            }
        }
        return r;
    }

    /** Built-in types plus the {@code ServiceLoader} plugins visible to {@code loader}. */
    public static ComponentRegistry withPlugins(ClassLoader loader) {
        return new ComponentRegistry(discover(loader), loader, resolvers(loader));
    }

    /**
     * The factories {@link #withPlugins} registers, before duplicates are dropped: the built-in
     * ones, then the {@code ServiceLoader} plugins visible to {@code loader} sorted by class name.
     * {@code ServiceLoader} follows the class path, and a launcher's {@code lib/*} expands in the
     * file system's directory order, which differs between machines; sorting keeps the lists in
     * messages and the winner of a name two plugins claim the same everywhere. Plugins that cannot
     * be loaded are logged and skipped.
     */
    @SuppressWarnings("rawtypes")
    public static List<ComponentFactory<?>> discover(ClassLoader loader) {
        List<ComponentFactory<?>> plugins = new ArrayList<>();
        Iterator<ComponentFactory> it = ServiceLoader.load(ComponentFactory.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                plugins.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("Skipping a component plugin that cannot be loaded (check its jar and its "
                        + "META-INF/services/io.sluice.api.ComponentFactory entry): {}", e.getMessage());
            }
        }
        plugins.sort(Comparator.comparing(f -> f.getClass().getName()));
        List<ComponentFactory<?>> all = new ArrayList<>(BuiltinComponents.all());
        all.addAll(plugins);
        return List.copyOf(all);
    }

    private static List<ComponentResolver> resolvers(ClassLoader loader) {
        List<ComponentResolver> out = new ArrayList<>();
        Iterator<ComponentResolver> it = ServiceLoader.load(ComponentResolver.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("Skipping a component resolver that cannot be loaded (check its jar and its "
                        + "META-INF/services/io.sluice.core.registry.ComponentResolver entry): {}", e.getMessage());
            }
        }
    }

    private void add(ComponentFactory<?> f) {
        ComponentDescriptor d = f.descriptor();
        Map<String, ComponentFactory<?>> m = byKind.get(d.kind());
        String alias = d.alias().toLowerCase(Locale.ROOT);
        ComponentFactory<?> previous = m.putIfAbsent(alias, f);
        if (previous != null && previous.getClass() != f.getClass()) {
            LOG.warn("Two factories for {} type '{}': keeping {}, ignoring {}", d.kind(), d.alias(),
                    previous.getClass().getName(), f.getClass().getName());
            return;
        }
        aliases.get(d.kind()).add(d.alias());
        for (String other : d.otherNames()) {
            m.putIfAbsent(other, f);
            m.putIfAbsent(other.toLowerCase(Locale.ROOT), f);
        }
        m.putIfAbsent(f.getClass().getName(), f);
    }

    /** Aliases registered for {@code kind}, for "did you mean" and listings. */
    public List<String> aliases(ComponentKind kind) {
        return List.copyOf(aliases.get(kind));
    }

    /** Every registered factory of {@code kind}, one per alias. */
    public List<ComponentFactory<?>> factories(ComponentKind kind) {
        List<ComponentFactory<?>> out = new ArrayList<>();
        for (String a : aliases.get(kind)) {
            out.add(byKind.get(kind).get(a.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /** The factory for {@code type}: an alias, another registered name, or a class name. */
    public Optional<ComponentFactory<?>> find(ComponentKind kind, String type) {
        requireNonNull(kind, "kind is null");
        requireNonNull(type, "type is null");
        String t = type.trim();
        Map<String, ComponentFactory<?>> m = byKind.get(kind);
        ComponentFactory<?> f = m.get(t);
        if (f == null) {
            f = m.get(t.toLowerCase(Locale.ROOT));
        }
        if (f != null) {
            return Optional.of(f);
        }
        if (t.indexOf('.') < 0) {
            // Flume's short name of a component Sluice leaves to Flume's own jar in plugins.d
            String flumeClass = FlumePluginAliases.className(kind, t);
            if (flumeClass == null) {
                return Optional.empty();
            }
            t = flumeClass;
        }
        Optional<ComponentFactory<?>> own = fromClassName(kind, t);
        if (own.isPresent()) {
            return own;
        }
        for (ComponentResolver r : resolvers) {
            Optional<ComponentFactory<?>> resolved = r.resolve(kind, t);
            if (resolved.isPresent()) {
                return resolved;
            }
        }
        return Optional.empty();
    }

    /**
     * A part named by a class that is not on Sluice's class path, from the resolvers (see
     * {@link ComponentResolver#part}); empty when none knows it.
     */
    public <T> Optional<T> part(Class<T> type, String className, ComponentContext context,
            String key) {
        for (ComponentResolver r : resolvers) {
            Optional<T> p = r.part(type, className, context, key);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Optional<ComponentFactory<?>> fromClassName(ComponentKind kind, String className) {
        Class<?> c;
        try {
            c = Class.forName(className, true, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        if (ComponentFactory.class.isAssignableFrom(c)) {
            try {
                ComponentFactory<?> f = (ComponentFactory<?>) c.getConstructor().newInstance();
                return f.descriptor().kind() == kind ? Optional.of(f) : Optional.empty();
            } catch (ReflectiveOperationException e) {
                LOG.warn("Factory class {} has no public no-arg constructor", className);
                return Optional.empty();
            }
        }
        Class<?> expected = interfaceOf(kind);
        if (expected != null && expected.isAssignableFrom(c) && Configurable.class.isAssignableFrom(c)) {
            try {
                c.getConstructor();
            } catch (NoSuchMethodException e) {
                return Optional.empty();
            }
            return Optional.of(new ClassComponentFactory(kind, c));
        }
        return Optional.empty();
    }

    /** The interface a class named as a type of {@code kind} must implement. */
    static Class<?> interfaceOf(ComponentKind kind) {
        switch (kind) {
            case SOURCE:
                return Source.class;
            case CHANNEL:
                return Channel.class;
            case SINK:
                return Sink.class;
            case SINK_PROCESSOR:
                return SinkProcessor.class;
            case CHANNEL_SELECTOR:
                return ChannelSelector.class;
            case INTERCEPTOR:
                return Interceptor.class;
            default:
                return null;
        }
    }
}
