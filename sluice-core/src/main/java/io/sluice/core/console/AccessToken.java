package io.sluice.core.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * The secret a client shows ({@code Authorization: Bearer <token>}) to tap a running agent: 32
 * random bytes, base64url, made at start and written to a file only its owner may read (mode
 * 0600, created so; never readable by others even for an instant). The file is named
 * {@code <agent>-<port>.token} in the run directory, which {@code sluice tap} searches by port.
 * Immutable; {@link #delete()} removes the file when the agent stops.
 */
public final class AccessToken {
    private final String token;
    private final Path file;

    private AccessToken(String token, Path file) {
        this.token = token;
        this.file = file;
    }

    /** The file the token of {@code agent} on {@code port} is written to in {@code runDirectory}. */
    public static Path fileFor(Path runDirectory, String agent, int port) {
        return runDirectory.resolve(agent + "-" + port + ".token");
    }

    /** A new random token, not yet written anywhere. */
    public static AccessToken random() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return new AccessToken(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), null);
    }

    /** This token, written to {@link #fileFor} (replacing a stale file of an agent that died). */
    public AccessToken writtenTo(Path runDirectory, String agent, int port) throws IOException {
        requireNonNull(runDirectory, "runDirectory is null");
        Files.createDirectories(runDirectory);
        Path file = fileFor(runDirectory, agent, port);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException race) {
            throw new IOException("another process wrote " + file + " meanwhile; is a second agent using port " + port
                    + "?", race);
        }
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
        return new AccessToken(token, file);
    }

    /** A token held in memory only (tests). */
    public static AccessToken of(String token) {
        return new AccessToken(requireNonNull(token, "token is null"), null);
    }

    /** The token itself: put it in logs only as part of the console's URL fragment. */
    public String value() {
        return token;
    }

    /** Where it was written, or null. */
    public Path file() {
        return file;
    }

    /** Whether {@code authorization} is exactly {@code Bearer <token>} (compared in constant time). */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Removes the file (the agent stopped); a failure is ignored, the next start replaces it. */
    public void delete() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next start of an agent on this port replaces it
            }
        }
    }
}
