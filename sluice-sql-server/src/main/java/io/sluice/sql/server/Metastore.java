package io.sluice.sql.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.sql.CatalogListener;
import io.sluice.sql.Flow;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The server's persistent catalog: the statement of every declared stream and of every running
 * flow (with its id), in {@code <data-dir>/metastore.json}. Every change rewrites the whole file
 * the durable way: a temp file is written and fsynced, renamed over the old one atomically, and the
 * directory is fsynced; so after {@code kill -9} or a power loss the file is the state before or
 * after the last change, never a mix. On start {@link #restore} declares the streams again in
 * their order and starts each recorded flow under its old id.
 *
 * <p>Format (version 1), one JSON object:
 * <pre>{"version":1,"streams":[{"name":"s","statement":"CREATE STREAM s ..."}],
 *  "flows":[{"id":3,"statement":"SELECT ..."}]}</pre>
 * A file of another version is refused (the server does not start) rather than misread.
 *
 * <p>Thread-safe: the in-memory state and the file are guarded by this object's monitor.
 */
public final class Metastore implements CatalogListener {
    private static final Logger LOG = LoggerFactory.getLogger(Metastore.class);
    /** The file name under the data directory. */
    public static final String FILE = "metastore.json";
    static final int VERSION = 1;

    private final Path dir;
    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> streams = new LinkedHashMap<>();
    private final Map<Long, String> flows = new TreeMap<>();
    private boolean restoring;

    public Metastore(Path dataDir) {
        this.dir = requireNonNull(dataDir, "dataDir is null");
        this.file = dataDir.resolve(FILE);
    }

    /**
     * Reads the file (if any), declares its streams and starts its flows on {@code engine}, then
     * listens to the engine for changes. A stream or flow that cannot be restored is logged with
     * the reason and kept in the file, so a later start (after the cause is fixed) tries again.
     *
     * @return how many streams and flows were restored, for the log
     */
    public synchronized String restore(RtsqlEngine engine) throws IOException {
        Map<String, String> recordedStreams = new LinkedHashMap<>();
        Map<Long, String> recordedFlows = new TreeMap<>();
        if (Files.exists(file)) {
            JsonNode root = json.readTree(file.toFile());
            int version = root.path("version").asInt(-1);
            if (version != VERSION) {
                throw new IOException(file + " has format version " + version + "; this server reads version "
                        + VERSION + ". Use the Sluice release that wrote it, or move the file away to start empty");
            }
            for (JsonNode s : root.path("streams")) {
                recordedStreams.put(s.path("name").asText(), s.path("statement").asText());
            }
            for (JsonNode f : root.path("flows")) {
                recordedFlows.put(f.path("id").asLong(), f.path("statement").asText());
            }
        }
        restoring = true;
        engine.addCatalogListener(this);
        int okStreams = 0;
        int okFlows = 0;
        try {
            for (Map.Entry<String, String> s : recordedStreams.entrySet()) {
                try {
                    engine.execute(s.getValue());
                    okStreams++;
                } catch (RtsqlException e) {
                    LOG.error("[rtsql server] stream '{}' from {} could not be declared again: {}", s.getKey(), file,
                            e.getMessage());
                    streams.put(s.getKey(), s.getValue());
                }
            }
            for (Map.Entry<Long, String> f : recordedFlows.entrySet()) {
                try {
                    engine.execute(f.getValue(), null, f.getKey());
                    okFlows++;
                } catch (RtsqlException e) {
                    LOG.error("[rtsql server] flow {} from {} could not start again: {}", f.getKey(), file,
                            e.getMessage());
                    flows.put(f.getKey(), f.getValue());
                }
            }
        } finally {
            restoring = false;
        }
        write();
        return okStreams + " of " + recordedStreams.size() + " stream(s) and " + okFlows + " of "
                + recordedFlows.size() + " flow(s) restored";
    }

    @Override
    public synchronized void streamCreated(String name, String statement) {
        streams.put(name, statement);
        write();
    }

    @Override
    public synchronized void streamDropped(String name) {
        streams.remove(name);
        write();
    }

    @Override
    public synchronized void flowStarted(long id, String statement) {
        flows.put(id, statement);
        write();
    }

    @Override
    public synchronized void flowEnded(long id, Flow.State state) {
        if (flows.remove(id) != null) {
            write();
        }
    }

    /** The recorded streams (name to statement), in declaration order. */
    public synchronized Map<String, String> streams() {
        return Map.copyOf(streams);
    }

    /** The recorded flows (id to statement). */
    public synchronized Map<Long, String> flows() {
        return Map.copyOf(flows);
    }

    private void write() {
        if (restoring) {
            return;
        }
        ObjectNode root = json.createObjectNode();
        root.put("version", VERSION);
        ArrayNode s = root.putArray("streams");
        streams.forEach((name, st) -> s.addObject().put("name", name).put("statement", st));
        ArrayNode f = root.putArray("flows");
        flows.forEach((id, st) -> f.addObject().put("id", id).put("statement", st));
        try {
            writeAtomically(dir, file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            // the change is live but not recorded: say so loudly, the statement itself succeeded
            LOG.error("[rtsql server] could not record the catalog in {}: {}; the change is lost at the next"
                    + " restart unless the next write succeeds", file, e.toString());
            throw new UncheckedIOException("recording the catalog in " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Temp file + fsync + atomic rename + fsync of the directory. */
    static void writeAtomically(Path dir, Path target, byte[] content) throws IOException {
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + dir + " cannot rename atomically; put --data-dir on a"
                    + " local file system", e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

}
