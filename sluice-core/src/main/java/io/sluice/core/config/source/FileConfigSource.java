package io.sluice.core.config.source;

import io.sluice.core.config.OrderedProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A configuration file ({@code -f/--conf-file}, or a {@code file:} URI). Immutable and thread-safe.
 *
 * @param file the file
 */
public record FileConfigSource(Path file) implements ConfigSource {

    public FileConfigSource {
        requireNonNull(file, "file is null");
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Content read() throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file.toAbsolutePath() + " is a directory; pass a file with -f/--conf-file");
        }
        try {
            return new Content(Files.readAllBytes(file), OrderedProperties.load(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toAbsolutePath().toString(), null,
                    "does not exist; pass an existing file with -f/--conf-file");
        }
    }
}
