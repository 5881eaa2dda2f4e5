package io.sluice.flume.bridge;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Where plugins are looked for, read from the JVM system properties the launcher sets:
 * <ul>
 * <li>{@value #PLUGINS_PATH}: plugin directories separated by {@code :} (each holds one directory
 * per plugin with {@code lib/}, {@code libext/} and {@code native/}); default
 * {@code <sluice.home>/plugins.d};</li>
 * <li>{@value #PLUGINS_CLASSPATH}: extra class path entries separated by {@code :}; an entry
 * ending in {@code /*} stands for every jar in that directory; default none;</li>
 * <li>{@value #FLUME_API_PATH}: the directory holding Apache Flume's API jars; default
 * {@code <sluice.home>/lib/flume-api}.</li>
 * </ul>
 * {@value #HOME} is the distribution directory; when unset, the directory above the {@code lib/}
 * that holds this class's jar, else the working directory. Immutable value.
 */
public final class PluginPaths {
    public static final String PLUGINS_PATH = "sluice.plugins.path";
    public static final String PLUGINS_CLASSPATH = "sluice.plugins.classpath";
    public static final String FLUME_API_PATH = "sluice.flume.api.path";
    public static final String HOME = "sluice.home";

    private final List<Path> pluginDirs;
    private final List<String> classpath;
    private final Path flumeApiDir;

    public PluginPaths(List<Path> pluginDirs, List<String> classpath, Path flumeApiDir) {
        this.pluginDirs = List.copyOf(requireNonNull(pluginDirs, "pluginDirs is null"));
        this.classpath = List.copyOf(requireNonNull(classpath, "classpath is null"));
        this.flumeApiDir = requireNonNull(flumeApiDir, "flumeApiDir is null");
    }

    /** From {@link System#getProperties()}. */
    public static PluginPaths fromSystemProperties() {
        return from(System.getProperties());
    }

    static PluginPaths from(Properties props) {
        Path home = home(props.getProperty(HOME));
        List<Path> dirs = new ArrayList<>();
        String pluginsPath = props.getProperty(PLUGINS_PATH);
        if (pluginsPath == null || pluginsPath.isBlank()) {
            dirs.add(home.resolve("plugins.d"));
        } else {
            for (String s : split(pluginsPath)) {
                dirs.add(Path.of(s).toAbsolutePath().normalize());
            }
        }
        String api = props.getProperty(FLUME_API_PATH);
        Path apiDir = api == null || api.isBlank() ? home.resolve("lib").resolve("flume-api")
                : Path.of(api.trim()).toAbsolutePath().normalize();
        return new PluginPaths(dirs, split(props.getProperty(PLUGINS_CLASSPATH, "")), apiDir);
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(":")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static Path home(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim()).toAbsolutePath().normalize();
        }
        try {
            CodeSource cs = PluginPaths.class.getProtectionDomain().getCodeSource();
            if (cs != null) {
                Path jar = Path.of(cs.getLocation().toURI());
                Path lib = jar.getParent();
                if (Files.isRegularFile(jar) && lib != null && lib.getFileName() != null
                        && lib.getFileName().toString().equals("lib") && lib.getParent() != null) {
                    return lib.getParent();
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    public List<Path> pluginDirs() {
        return pluginDirs;
    }

    public List<String> classpath() {
        return classpath;
    }

    public Path flumeApiDir() {
        return flumeApiDir;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PluginPaths)) {
            return false;
        }
        PluginPaths p = (PluginPaths) o;
        return pluginDirs.equals(p.pluginDirs) && classpath.equals(p.classpath) && flumeApiDir.equals(p.flumeApiDir);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pluginDirs, classpath, flumeApiDir);
    }

    @Override
    public String toString() {
        return "plugin dirs " + pluginDirs + ", class path " + classpath + ", Flume API " + flumeApiDir;
    }
}
