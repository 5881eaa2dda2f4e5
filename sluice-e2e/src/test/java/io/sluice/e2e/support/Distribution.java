package io.sluice.e2e.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the built distributions are: the source tree root (the {@code sluice.home} system
 * property, else the first directory from the working directory upwards holding
 * {@code sluice-cli/pom.xml}), Sluice's {@code sluice-cli/target/sluice} and the Apache Flume peer's
 * {@code sluice-bench/flume-peer/target/flume-lib}. Stateless.
 */
public final class Distribution {
    /** JVM options for child JVMs in tests: small heap, quick start-up. */
    public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private Distribution() {
    }

    public static Path home() {
        String configured = System.getProperty("sluice.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("sluice-cli/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the Sluice source tree above " + Path.of("").toAbsolutePath());
    }

    /** {@code sluice-cli/target/sluice}; fails with what to run when it has not been built. */
    public static Path sluice() {
        Path dist = home().resolve("sluice-cli/target/sluice");
        requireJars(dist.resolve("lib"), "mvn -o -q install -pl sluice-cli -DskipTests");
        return dist;
    }

    /** {@code sluice-bench/flume-peer/target/flume-lib}. */
    public static Path flumeLib() {
        Path lib = home().resolve("sluice-bench/flume-peer/target/flume-lib");
        requireJars(lib, "mvn -q install -pl sluice-bench/flume-peer");
        return lib;
    }

    /** {@code <java.home>/bin/java <jvmOptions> -cp <classpath> <mainClass> <args>}. */
    public static List<String> javaCommand(List<String> jvmOptions, String classpath, String mainClass,
            List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(classpath);
        c.add(mainClass);
        c.addAll(args);
        return c;
    }

    /** {@code dir/*}, a classpath of every jar in {@code dir}. */
    public static String wildcard(Path dir) {
        return dir.toAbsolutePath() + File.separator + "*";
    }

    private static void requireJars(Path dir, String build) {
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            if (files.noneMatch(f -> f.toString().endsWith(".jar"))) {
                throw new IllegalStateException(dir + " holds no jars; build it first: " + build);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }
}
