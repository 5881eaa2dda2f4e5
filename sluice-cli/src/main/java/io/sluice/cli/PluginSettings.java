package io.sluice.cli;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Apache Flume plugins are looked for, as the launcher resolved it into JVM system properties
 * (the plugin bridge reads the same properties): {@code sluice.home} (the distribution directory),
 * {@code sluice.plugins.path} ({@code --plugins-path} directories, default
 * {@code <sluice.home>/plugins.d}, joined by {@code :}) and {@code sluice.plugins.classpath}
 * ({@code -C/--classpath} entries, then {@code FLUME_CLASSPATH} of {@code flume-env.sh}, joined by
 * {@code :}). Immutable.
 *
 * @param home        the distribution directory, or null when not started by the launcher
 * @param pluginsPath the plugins.d directories, or null
 * @param classpath   the extra class path, empty when none
 */
record PluginSettings(String home, String pluginsPath, String classpath) {
    static final String HOME = "sluice.home";
    static final String PLUGINS_PATH = "sluice.plugins.path";
    static final String PLUGINS_CLASSPATH = "sluice.plugins.classpath";

    private static final Logger LOG = LoggerFactory.getLogger(PluginSettings.class);

    PluginSettings {
        classpath = Objects.requireNonNullElse(classpath, "");
    }

    /** From the JVM's system properties. */
    static PluginSettings current() {
        return new PluginSettings(System.getProperty(HOME), System.getProperty(PLUGINS_PATH),
                System.getProperty(PLUGINS_CLASSPATH));
    }

    /** Logs the settings at the start of an agent, so a user sees where plugins come from. */
    void log(String agentName) {
        LOG.info("[{}] {}={} {}={} {}={}", agentName, HOME, home == null ? "(not set)" : home,
                PLUGINS_PATH, pluginsPath == null ? "(not set)" : pluginsPath,
                PLUGINS_CLASSPATH, classpath.isEmpty() ? "(empty)" : classpath);
    }
}
