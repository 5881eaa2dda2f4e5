package io.sluice.core.config.filter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The {@code external} filter (Apache Flume's {@code ExternalProcessConfigFilter}): runs
 * {@code command} (split on white space) with the key as its last argument and takes the first
 * line of its standard output, decoded with {@code charset} (default UTF-8), as the value. Made
 * for secrets, so values are never logged. A command that exits non-zero, prints nothing or runs
 * longer than {@link #TIMEOUT} is a problem naming the command, the key and its stderr. Each key is
 * looked up once per reading of the configuration. Not thread-safe (one reading, one thread).
 */
final class ExternalCommandFilter implements ConfigFilter {
    /** Sluice only: how long one command may run (Apache Flume waits forever). */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String filterName;
    private final List<String> command;
    private final Charset charset;
    private final Map<String, String> cache = new HashMap<>();

    ExternalCommandFilter(String filterName, String command, Charset charset) {
        this.filterName = requireNonNull(filterName, "filterName is null");
        this.command = List.of(requireNonNull(command, "command is null").trim().split("\\s+"));
        this.charset = requireNonNull(charset, "charset is null");
    }

    @Override
    public String lookup(String key) throws FilterException {
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        String value = run(key);
        cache.put(key, value);
        return value;
    }

    private String run(String key) throws FilterException {
        List<String> argv = new ArrayList<>(command);
        argv.add(key);
        String shown = String.join(" ", argv);
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new FilterException("config filter '" + filterName + "' cannot run '" + shown + "': " + e.getMessage(),
                    "set configfilters." + filterName + ".command to an executable program");
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new FilterException("config filter '" + filterName + "': '" + shown + "' did not finish within "
                        + TIMEOUT.toSeconds() + " s", "make the command answer promptly");
            }
            String stdout = new String(out.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), charset);
            String stderr = new String(err.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), charset).strip();
            if (p.exitValue() != 0) {
                throw new FilterException("config filter '" + filterName + "': '" + shown + "' exited with status "
                        + p.exitValue() + (stderr.isEmpty() ? "" : " (stderr: " + firstLine(stderr) + ")"),
                        "check that the command knows key '" + key + "'");
            }
            if (stdout.isEmpty()) {
                throw new FilterException("config filter '" + filterName + "': '" + shown + "' printed nothing",
                        "make the command print the value of '" + key + "' on its first line");
            }
            return firstLine(stdout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new FilterException("config filter '" + filterName + "': interrupted while running '" + shown + "'",
                    "start the agent again");
        } catch (ExecutionException | TimeoutException | IOException e) {
            p.destroyForcibly();
            throw new FilterException("config filter '" + filterName + "': cannot read the output of '" + shown + "': "
                    + e, "check the command");
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
