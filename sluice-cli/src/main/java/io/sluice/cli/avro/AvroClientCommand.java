package io.sluice.cli.avro;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.config.GlobalSsl;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice avro-client -H host -p port [-F file] [-R headerFile] [--dirname dir]} or
 * {@code -P rpcProps}: sends every line (without its line ending) as one event, in batches of the
 * client's batch size, with the headers of the header file (Java properties) on every event. Reads
 * standard input when neither {@code -F} nor {@code --dirname} is given; {@code --dirname} sends
 * the files of a directory oldest first and renames each one, once all its events were answered
 * {@code OK}, to {@code NAME.COMPLETED} (Apache Flume's avro-client does both). Unset TLS keys of
 * {@code -P} fall back to Apache Flume's global settings ({@code javax.net.ssl.*}, {@code FLUME_SSL_*}).
 * Exits 0 when every batch was answered
 * {@code OK}; otherwise prints one line saying why and exits 1 (2 for wrong options).
 */
@Command(name = "avro-client", mixinStandardHelpOptions = true,
        description = "Send lines of a file, a directory or stdin as events to an avro source.")
public final class AvroClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Host of the avro source.")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port of the avro source.")
    Integer port;

    @Option(names = {"-F", "--filename"}, paramLabel = "FILE", description = "File to send (default: stdin).")
    Path file;

    @Option(names = "--dirname", paramLabel = "DIR", description = "Send every file in DIR (oldest first) and rename"
            + " each one sent to NAME.COMPLETED; hidden and .COMPLETED files are skipped.")
    Path dir;

    @Option(names = {"-R", "--headerFile"}, paramLabel = "FILE",
            description = "Java properties file whose entries become headers of every event.")
    Path headerFile;

    @Option(names = {"-P", "--rpcProps"}, paramLabel = "FILE",
            description = "Client properties (hosts, client.type, batch-size, compression-type, ssl, ...) "
                    + "instead of -H and -p.")
    Path rpcProps;

    @Option(names = {"-c", "--conf"}, paramLabel = "DIR", description = "Accepted for compatibility; unused.")
    Path confDir;

    /** What {@code --dirname} appends to the name of each file it has sent, as Apache Flume does. */
    static final String COMPLETED_SUFFIX = ".COMPLETED";

    @Override
    public Integer call() {
        GlobalSsl.initFromEnvironment();
        PrintWriter err = spec.commandLine().getErr();
        if (rpcProps == null && (host == null || port == null)) {
            err.println("avro-client: give -H HOST and -p PORT, or -P RPC_PROPERTIES_FILE");
            err.flush();
            return 2;
        }
        if (file != null && dir != null) {
            err.println("avro-client: give either -F FILE or --dirname DIR, not both");
            err.flush();
            return 2;
        }
        long sent = 0;
        try (RpcClient client = open()) {
            Map<String, String> headers = readHeaders();
            if (dir != null) {
                for (Path f : files(dir)) {
                    try (InputStream in = Files.newInputStream(f)) {
                        sent += send(client, in, headers);
                    }
                    markCompleted(f);
                }
            } else if (file != null) {
                try (InputStream in = Files.newInputStream(file)) {
                    sent += send(client, in, headers);
                }
            } else {
                sent += send(client, System.in, headers);
            }
        } catch (EventDeliveryException | IOException | RuntimeException e) {
            err.println("avro-client: " + oneLine(e) + (sent > 0 ? " (" + sent + " event(s) were sent before)" : ""));
            err.flush();
            return 1;
        }
        err.println("avro-client: sent " + sent + " event(s)");
        err.flush();
        return 0;
    }

    private RpcClient open() throws EventDeliveryException, IOException {
        if (rpcProps != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(rpcProps, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            return RpcClientFactory.getInstance(p);
        }
        return RpcClientFactory.getDefaultInstance(host, port);
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (headerFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(headerFile, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().stream().sorted().forEach(k -> headers.put(k, p.getProperty(k)));
        }
        return headers;
    }

    /**
     * The files {@code --dirname} sends, as Apache Flume's avro-client picks them from its spooling
     * directory: regular files, neither hidden nor already renamed with {@link #COMPLETED_SUFFIX},
     * oldest (last modified) first, then by name.
     */
    static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("--dirname " + directory + " is not a directory");
        }
        List<Path> out;
        try (Stream<Path> s = Files.list(directory)) {
            out = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.endsWith(COMPLETED_SUFFIX);
            }).toList();
        }
        Map<Path, Long> modified = new LinkedHashMap<>();
        for (Path p : out) {
            modified.put(p, Files.getLastModifiedTime(p).toMillis());
        }
        List<Path> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing((Path p) -> modified.get(p)).thenComparing(Path::toString));
        return sorted;
    }

    /**
     * Renames a file whose every event was acknowledged to {@code <name>.COMPLETED}, as Apache Flume's
     * avro-client does, so running the command again sends only new files. Never replaces a file.
     */
    static void markCompleted(Path f) throws IOException {
        Path done = f.resolveSibling(f.getFileName() + COMPLETED_SUFFIX);
        try {
            Files.move(f, done);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("sent " + f + " but cannot rename it to " + done.getFileName() + ": that file exists"
                    + " (was a file name used twice?); move one of them away before sending the directory again", e);
        }
    }

    private static long send(RpcClient client, InputStream in, Map<String, String> headers)
            throws IOException, EventDeliveryException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        int batchSize = client.getBatchSize();
        List<Event> batch = new ArrayList<>(batchSize);
        long sent = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            batch.add(Event.wrap(headers, line.getBytes(StandardCharsets.UTF_8)));
            if (batch.size() == batchSize) {
                client.appendBatch(batch);
                sent += batch.size();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            client.appendBatch(batch);
            sent += batch.size();
        }
        return sent;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchFileException) {
            m = "no such file: " + m;
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
