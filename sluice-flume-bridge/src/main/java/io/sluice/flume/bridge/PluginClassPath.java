package io.sluice.flume.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The class path a {@link PluginPaths} stands for, in Apache Flume's order: for each plugin
 * directory, each plugin in it (sorted by name) contributes {@code lib/*.jar} and
 * {@code libext/*.jar} and, for native libraries, its {@code native/} directory; then the extra
 * class path entries. Also keeps a description of every place searched, for error messages.
 * Immutable value.
 */
public final class PluginClassPath {
    private final List<URL> pluginUrls;
    private final List<URL> apiUrls;
    private final List<Path> nativeDirs;
    private final List<String> searched;

    private PluginClassPath(List<URL> pluginUrls, List<URL> apiUrls, List<Path> nativeDirs, List<String> searched) {
        this.pluginUrls = List.copyOf(pluginUrls);
        this.apiUrls = List.copyOf(apiUrls);
        this.nativeDirs = List.copyOf(nativeDirs);
        this.searched = List.copyOf(searched);
    }

    /** Lists the directories now; jars added later are seen only by a new scan (a restart). */
    public static PluginClassPath scan(PluginPaths paths) {
        requireNonNull(paths, "paths is null");
        List<URL> urls = new ArrayList<>();
        List<Path> natives = new ArrayList<>();
        List<String> searched = new ArrayList<>();
        for (Path dir : paths.pluginDirs()) {
            if (!Files.isDirectory(dir)) {
                searched.add(dir + "/*/{lib,libext} (does not exist)");
                continue;
            }
            int jars = 0;
            for (Path plugin : list(dir)) {
                if (!Files.isDirectory(plugin)) {
                    continue;
                }
                jars += addJars(plugin.resolve("lib"), urls);
                jars += addJars(plugin.resolve("libext"), urls);
                if (Files.isDirectory(plugin.resolve("native"))) {
                    natives.add(plugin.resolve("native"));
                }
            }
            searched.add(dir + "/*/{lib,libext} (" + jars + " jar" + (jars == 1 ? "" : "s") + ")");
        }
        for (String entry : paths.classpath()) {
            if (entry.endsWith("/*") || entry.equals("*")) {
                Path d = Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath().normalize();
                int jars = addJars(d, urls);
                searched.add("class path " + entry + " (" + jars + " jar" + (jars == 1 ? "" : "s") + ")");
            } else {
                Path p = Path.of(entry).toAbsolutePath().normalize();
                if (Files.exists(p)) {
                    urls.add(url(p));
                    searched.add("class path " + p);
                } else {
                    searched.add("class path " + p + " (does not exist)");
                }
            }
        }
        List<URL> api = new ArrayList<>();
        int apiJars = addJars(paths.flumeApiDir(), api);
        if (apiJars == 0) {
            searched.add(paths.flumeApiDir() + " (Apache Flume API: no jars)");
        }
        return new PluginClassPath(urls, api, natives, searched);
    }

    private static int addJars(Path dir, List<URL> out) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        for (Path p : list(dir)) {
            if (p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)) {
                out.add(url(p));
                n++;
            }
        }
        return n;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugin directory " + dir, e);
        }
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable class path entry: " + p, e);
        }
    }

    /** Plugin jars and class path entries, in search order. */
    public List<URL> pluginUrls() {
        return pluginUrls;
    }

    /** The jars of Apache Flume's API directory; empty when it holds none. */
    public List<URL> apiUrls() {
        return apiUrls;
    }

    /** The {@code native/} directories, searched for native libraries in this order. */
    public List<Path> nativeDirs() {
        return nativeDirs;
    }

    /** Every place searched, for messages: {@code /opt/sluice/plugins.d/*}{@code /{lib,libext} (3 jars)}. */
    public List<String> searched() {
        return searched;
    }
}
