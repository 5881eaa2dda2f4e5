package io.sluice.flume.bridge;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Configurable;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.registry.ComponentResolver;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component registry's last resort for class names: looks the class up in the plugin class
 * path ({@link PluginPaths}, read when a name is looked up) and adapts what it finds. A Sluice
 * {@link ComponentFactory} class found there is used as it is; any other class goes to the Apache
 * Flume adapters. A class found nowhere gives a problem that lists every place searched.
 *
 * <p>One {@link PluginClassLoader} is made per distinct set of paths and kept for the life of the
 * process (as Apache Flume does, a changed plugin jar needs a restart). Thread-safe.
 */
public final class FlumeBridgeResolver implements ComponentResolver {
    private static final Logger LOG = LoggerFactory.getLogger(FlumeBridgeResolver.class);
    static final String ADAPTER_ENTRY = PluginClassLoader.ADAPTER_PACKAGE + "FlumeComponents";
    private static final Map<PluginPaths, Plugins> LOADERS = new ConcurrentHashMap<>();

    @Override
    public Optional<ComponentFactory<?>> resolve(ComponentKind kind, String className) {
        return Optional.of(resolve(kind, className, PluginPaths.fromSystemProperties()));
    }

    /** The factory for {@code className} from the plugins under {@code paths}; never null. */
    public static ComponentFactory<?> resolve(ComponentKind kind, String className, PluginPaths paths) {
        Plugins plugins = LOADERS.computeIfAbsent(paths, Plugins::open);
        Class<?> c;
        try {
            c = Class.forName(className, false, plugins.loader);
        } catch (ClassNotFoundException e) {
            return new ProblemFactory(kind, className, "class " + className + " was not found in the plugin class path"
                    + " (searched " + String.join(", ", plugins.classPath.searched()) + ")",
                    "put the jar that holds it in plugins.d/<plugin>/lib (or libext), or add it with -C/--classpath;"
                            + " check the spelling of the class name");
        } catch (LinkageError e) {
            return new ProblemFactory(kind, className, "class " + className + " cannot be loaded: " + e,
                    "put the jars it depends on in the same plugins.d/<plugin>/libext directory");
        }
        if (ComponentFactory.class.isAssignableFrom(c)) {
            return sluiceFactory(kind, className, c);
        }
        FlumeClassResolver flume = plugins.flume();
        if (flume == null) {
            return new ProblemFactory(kind, className, "class " + className + " needs Apache Flume's API, whose jars"
                    + " were not found in " + paths.flumeApiDir(), "reinstall the distribution (its lib/flume-api"
                    + " directory), or point -D" + PluginPaths.FLUME_API_PATH + " at Flume 1.11's API jars");
        }
        return flume.factoryFor(kind, c);
    }

    @Override
    public <T> Optional<T> part(Class<T> type, String className, ComponentContext context, String key) {
        Plugins plugins = LOADERS.computeIfAbsent(PluginPaths.fromSystemProperties(), Plugins::open);
        Class<?> c;
        try {
            c = Class.forName(className, false, plugins.loader);
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (LinkageError e) {
            context.problem(key, className, "class " + className + " cannot be loaded: " + e,
                    "put the jars it depends on in the same plugins.d/<plugin>/libext directory");
            return Optional.empty();
        }
        if (type.isAssignableFrom(c)) { // a Sluice part installed in plugins.d
            try {
                Object o = c.getConstructor().newInstance();
                if (o instanceof Configurable) {
                    ((Configurable) o).configure(context.child(context.kind(), context.name(), key + "."));
                }
                return Optional.of(type.cast(o));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                context.problem(key, className, "class " + className + " could not be created: " + e,
                        "give it a public no-argument constructor and check its keys");
                return Optional.empty();
            }
        }
        FlumeClassResolver flume = plugins.flume();
        if (flume == null) {
            context.problem(key, className, "class " + className + " needs Apache Flume's API, whose jars were not found",
                    "reinstall the distribution (its lib/flume-api directory)");
            return Optional.empty();
        }
        return flume.part(type, c, context, key);
    }

    private static ComponentFactory<?> sluiceFactory(ComponentKind kind, String className, Class<?> c) {
        ComponentFactory<?> f;
        try {
            f = (ComponentFactory<?>) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new ProblemFactory(kind, className, "factory class " + className + " cannot be created: " + e,
                    "give it a public no-argument constructor and put its dependencies in its plugin's libext");
        }
        ComponentKind declared = f.descriptor().kind();
        if (declared != kind) {
            return new ProblemFactory(kind, className, "class " + className + " is a Sluice factory of "
                    + declared.configWord() + ", not of " + kind.configWord(), "name it where a " + declared.configWord()
                    + " type is expected");
        }
        return f;
    }

    /** Where the bridge's own classes are (its jar, or its classes directory in a build). */
    static URL bridgeLocation() {
        CodeSource cs = FlumeBridgeResolver.class.getProtectionDomain().getCodeSource();
        try {
            return Path.of(cs.getLocation().toURI()).toUri().toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalStateException("cannot locate the bridge's own classes at " + cs.getLocation(), e);
        }
    }

    /** One plugin class loader and its adapter entry point. */
    private static final class Plugins {
        final PluginClassPath classPath;
        final PluginClassLoader loader;
        private volatile FlumeClassResolver flume;
        private volatile boolean flumeTried;

        private Plugins(PluginClassPath classPath, PluginClassLoader loader) {
            this.classPath = classPath;
            this.loader = loader;
        }

        static Plugins open(PluginPaths paths) {
            PluginClassPath cp = PluginClassPath.scan(paths);
            List<URL> urls = new ArrayList<>(cp.pluginUrls());
            urls.addAll(cp.apiUrls());
            if (!cp.apiUrls().isEmpty()) {
                urls.add(bridgeLocation());
            }
            LOG.info("Plugin class path: {} plugin jar(s) from {}; {} Apache Flume API jar(s) from {}",
                    cp.pluginUrls().size(), paths.pluginDirs(), cp.apiUrls().size(), paths.flumeApiDir());
            return new Plugins(cp, new PluginClassLoader(urls, cp.nativeDirs(), FlumeBridgeResolver.class.getClassLoader()));
        }

        synchronized FlumeClassResolver flume() {
            if (!flumeTried) {
                flumeTried = true;
                if (classPath.apiUrls().isEmpty()) {
                    return null;
                }
                try {
                    flume = (FlumeClassResolver) Class.forName(ADAPTER_ENTRY, true, loader).getConstructor()
                            .newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    LOG.error("The Apache Flume adapters cannot be loaded next to the API jars; Flume plugins are"
                            + " unavailable", e);
                }
            }
            return flume;
        }
    }
}
