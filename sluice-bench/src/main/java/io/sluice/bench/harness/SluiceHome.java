package io.sluice.bench.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The Sluice source tree and the distributions built in it: Sluice's
 * ({@code sluice-cli/target/sluice/lib}) and the Apache Flume 1.11 peer's
 * ({@code sluice-bench/flume-peer/target/flume-lib}). Immutable.
 */
public final class SluiceHome {
    private final Path root;

    public SluiceHome(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /**
     * The tree named by the {@code sluice.home} system property (set by {@code bin/sluice-bench}),
     * else the first directory from the working directory upwards that holds
     * {@code sluice-cli/pom.xml}.
     */
    public static SluiceHome locate() {
        String configured = System.getProperty("sluice.home");
        if (configured != null && !configured.isBlank()) {
            return new SluiceHome(Path.of(configured));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("sluice-cli/pom.xml"))) {
                return new SluiceHome(p);
            }
        }
        throw new IllegalStateException("cannot find the Sluice source tree from "
                + Path.of("").toAbsolutePath() + ": run from inside it or set -Dsluice.home=<dir>");
    }

    public Path root() {
        return root;
    }

    /** {@code sluice-cli/target/sluice/lib}, checked to hold jars. */
    public Path sluiceLib() throws IOException {
        return requireJars(root.resolve("sluice-cli/target/sluice/lib"),
                "build Sluice first: mvn -B -DskipTests install (or run bin/sluice-bench, which does)");
    }

    /** {@code sluice-bench/flume-peer/target/flume-lib}, checked to hold jars. */
    public Path flumeLib() throws IOException {
        return requireJars(root.resolve("sluice-bench/flume-peer/target/flume-lib"),
                "lay out the Apache Flume peer first: mvn -B -DskipTests install (or run bin/sluice-bench)");
    }

    /**
     * {@code sluice-flume-bridge/test-plugins/target/plugins.d}: plugins written against Apache
     * Flume's API, laid out as Flume's {@code plugins.d}, checked to hold the test plugin jar.
     */
    public Path testPlugins() throws IOException {
        Path dir = root.resolve("sluice-flume-bridge/test-plugins/target/plugins.d");
        requireJars(dir.resolve("acme/lib"), "build the test plugins first: mvn -B -DskipTests install");
        return dir;
    }

    /** The Log4j 2 configuration for the Apache Flume peer. */
    public Path flumeLog4jConfig() {
        return root.resolve("sluice-bench/flume-peer/target/flume-conf/log4j2.xml");
    }

    /** A classpath of every jar in {@code dir} ({@code dir/*}). */
    public static String wildcard(Path dir) {
        return dir.toAbsolutePath() + File.separator + "*";
    }

    private static Path requireJars(Path dir, String fix) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"))) {
                    return dir;
                }
            }
        }
        throw new IllegalStateException(dir + " holds no jars: " + fix);
    }
}
