package io.sluice.sql.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The server's bearer token, kept in {@code <data-dir>/token}: 32 random bytes from
 * {@link SecureRandom} as 64 hex digits. Written on first start with mode 0600 (created with that
 * mode, so it is never readable by others, even briefly); read on later starts. A token file that
 * others can read is refused with what to do. Stateless helpers; thread-safe.
 */
public final class TokenFile {
    /** The file name under the data directory. */
    public static final String NAME = "token";

    private TokenFile() {
    }

    /** Reads the token of {@code dataDir}, creating it (mode 0600) if there is none. */
    public static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String token = HexFormat.of().formatHex(raw);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
                return token;
            } catch (FileAlreadyExistsException e) {
                // another start won the race; read what it wrote
            }
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("token file " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
                    + "); run chmod 600 " + file + ", or delete it to have a new token made");
        }
        String token = read(file);
        if (token.isEmpty()) {
            throw new IOException("token file " + file + " is empty; delete it to have a new token made");
        }
        return token;
    }

    /** Reads a token file (a client's {@code --token-file}): its content without surrounding blanks. */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /** Compares a presented token with the real one in time independent of where they differ. */
    static boolean matches(String expected, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
