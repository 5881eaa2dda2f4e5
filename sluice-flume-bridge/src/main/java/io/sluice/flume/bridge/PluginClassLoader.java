package io.sluice.flume.bridge;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The class loader of all plugins: plugin jars, then Apache Flume's API jars and their libraries,
 * then the bridge's adapter classes. Its parent shows it only the JDK, Sluice's own classes
 * ({@code io.sluice.*}, except the adapters, which must be defined here to see Flume's types) and
 * SLF4J (so plugins log through Sluice's logging). Everything else, Netty, Avro, Guava, Jackson
 * included, comes from the plugin side, so neither side sees the other's versions, as in Apache
 * Flume's {@code plugins.d}. Native libraries are found in the plugins' {@code native/}
 * directories. Thread-safe (parallel capable).
 */
final class PluginClassLoader extends URLClassLoader {
    static final String ADAPTER_PACKAGE = "io.sluice.flume.bridge.adapter.";

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final List<Path> nativeDirs;

    PluginClassLoader(List<URL> urls, List<Path> nativeDirs, ClassLoader sluice) {
        super("sluice-plugins", urls.toArray(new URL[0]), new SharedClasses(sluice));
        this.nativeDirs = List.copyOf(nativeDirs);
    }

    @Override
    protected String findLibrary(String libname) {
        String file = System.mapLibraryName(libname);
        for (Path dir : nativeDirs) {
            Path p = dir.resolve(file);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return null;
    }

    /** The JDK plus the shared packages of Sluice's own class loader; nothing else. */
    private static final class SharedClasses extends ClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        private final ClassLoader sluice;

        SharedClasses(ClassLoader sluice) {
            super("sluice-shared", ClassLoader.getPlatformClassLoader());
            this.sluice = sluice;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (shared(name)) {
                return sluice.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            String asClass = name.replace('/', '.');
            return shared(asClass) ? sluice.getResource(name) : super.getResource(name);
        }

        private static boolean shared(String name) {
            return (name.startsWith("io.sluice.") && !name.startsWith(ADAPTER_PACKAGE)) || name.startsWith("org.slf4j.");
        }
    }
}
