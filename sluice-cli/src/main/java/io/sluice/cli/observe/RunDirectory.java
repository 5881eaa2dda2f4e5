package io.sluice.cli.observe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a running agent writes the token of its metrics port ({@code <agent>-<port>.token}) and
 * where {@code sluice tap} looks for it: {@code -Dsluice.run.dir} when set; else
 * {@code <sluice.home>/run} (the distribution, which {@code bin/sluice} names); else
 * {@code <data dir>/run}.
 */
public final class RunDirectory {
    static final String PROPERTY = "sluice.run.dir";
    static final String HOME = "sluice.home";

    private RunDirectory() {
    }

    /** The run directory of an agent whose data directory is {@code dataDirectory}. */
    public static Path of(Path dataDirectory) {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String home = System.getProperty(HOME);
        if (home != null && !home.isBlank()) {
            return Path.of(home, "run");
        }
        return dataDirectory.resolve("run");
    }

    /** Every place an agent started from here may have written its token, in the order {@link #of} prefers them. */
    static List<Path> candidates() {
        List<Path> dirs = new ArrayList<>();
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            dirs.add(Path.of(explicit));
        }
        String home = System.getProperty(HOME);
        if (home != null && !home.isBlank()) {
            dirs.add(Path.of(home, "run"));
        }
        Path data = Path.of("data");
        if (Files.isDirectory(data)) {
            try (DirectoryStream<Path> agents = Files.newDirectoryStream(data)) {
                for (Path a : agents) {
                    dirs.add(a.resolve("run"));
                }
            } catch (IOException ignored) {
                // nothing to find there
            }
        }
        return dirs;
    }

    /** The token files for {@code port} in the candidate directories. */
    static List<Path> tokenFiles(int port) {
        List<Path> found = new ArrayList<>();
        for (Path dir : candidates()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*-" + port + ".token")) {
                for (Path f : files) {
                    found.add(f);
                }
            } catch (IOException ignored) {
                // unreadable: not ours
            }
        }
        return found;
    }
}
