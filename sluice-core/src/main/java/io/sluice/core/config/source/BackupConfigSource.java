package io.sluice.core.config.source;

import io.sluice.core.config.OrderedProperties;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Apache Flume's {@code -b/--backup-directory}: the merged configuration of {@code sources} is
 * copied to {@code <dir>/.<agent>.properties} after every successful read, and when the sources
 * cannot be read (a configuration server down at start) the copy is used instead, with a warning.
 * The copy is written as a temporary file, fsync'ed and atomically renamed, so a crash never
 * leaves half a copy. Thread-safe as far as its sources are; reads are serialized.
 */
public final class BackupConfigSource implements ConfigSource {
    private static final Logger LOG = LoggerFactory.getLogger(BackupConfigSource.class);

    private final List<ConfigSource> sources;
    private final Path backupFile;

    public BackupConfigSource(List<? extends ConfigSource> sources, Path backupDirectory, String agentName) {
        this.sources = List.copyOf(requireNonNull(sources, "sources is null"));
        if (this.sources.isEmpty()) {
            throw new IllegalArgumentException("sources is empty");
        }
        this.backupFile = requireNonNull(backupDirectory, "backupDirectory is null").resolve("." + agentName + ".properties");
    }

    /** {@code <dir>/.<agent>.properties}, where Apache Flume keeps its copy too. */
    public Path backupFile() {
        return backupFile;
    }

    @Override
    public String describe() {
        return String.join(" + ", sources.stream().map(ConfigSource::describe).toList()) + " (copy in " + backupFile + ")";
    }

    @Override
    public synchronized Content read() throws IOException {
        Map<String, String> merged;
        try {
            merged = ConfigSources.merge(sources);
        } catch (ConfigSources.SourceReadException e) {
            if (!Files.isRegularFile(backupFile)) {
                throw new IOException(e.getMessage() + "; and there is no copy in " + backupFile + " to fall back on",
                        e.getCause());
            }
            LOG.warn("cannot read {} ({}); using the copy of the last configuration read, {}", e.source().describe(),
                    e.getCause().getMessage(), backupFile);
            byte[] raw = Files.readAllBytes(backupFile);
            return new Content(raw, OrderedProperties.load(backupFile));
        }
        byte[] raw = serialize(merged);
        write(raw);
        return new Content(raw, merged);
    }

    /**
     * The properties in file order, escaped as {@link Properties#store} escapes them, without the
     * date comment, in UTF-8: the charset every configuration file is read in.
     */
    static byte[] serialize(Map<String, String> properties) {
        StringBuilder out = new StringBuilder("# The configuration last read by Sluice; used when its sources cannot be read.\n");
        for (Map.Entry<String, String> e : properties.entrySet()) {
            Properties one = new Properties();
            one.setProperty(e.getKey(), e.getValue());
            StringWriter w = new StringWriter();
            try {
                one.store(w, null);
            } catch (IOException impossible) {
                throw new IllegalStateException("writing to a string cannot fail", impossible);
            }
            w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> out.append(l).append('\n'));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void write(byte[] raw) {
        try {
            Path dir = backupFile.getParent();
            Files.createDirectories(dir);
            if (Files.isRegularFile(backupFile) && Arrays.equals(Files.readAllBytes(backupFile), raw)) {
                return;
            }
            Path tmp = dir.resolve(backupFile.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(raw));
                ch.force(true);
            }
            try {
                Files.move(tmp, backupFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, backupFile, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException notOnThisFileSystem) {
                // some file systems cannot sync a directory; the rename is still atomic
            }
        } catch (IOException e) {
            LOG.warn("cannot write the configuration copy {} ({}); the agent runs on, without a fresh copy", backupFile,
                    e.toString());
        }
    }

    @Override
    public void watch(Runnable listener) {
        sources.forEach(s -> s.watch(listener));
    }

    @Override
    public void close() {
        sources.forEach(ConfigSource::close);
    }
}
