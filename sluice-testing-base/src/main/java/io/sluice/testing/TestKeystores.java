package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A self-signed server key (CN=localhost, SAN 127.0.0.1) in a key store, and a trust store holding
 * its certificate, written by the JDK's real {@code keytool} into a directory of the test's. Both
 * are protected by {@link #PASSWORD}. Immutable.
 */
public final class TestKeystores {
    public static final String PASSWORD = "changeit";

    private final Path keystore;
    private final Path truststore;
    private final String type;

    private TestKeystores(Path keystore, Path truststore, String type) {
        this.keystore = requireNonNull(keystore, "keystore is null");
        this.truststore = requireNonNull(truststore, "truststore is null");
        this.type = requireNonNull(type, "type is null");
    }

    /**
     * Writes {@code server.<ext>} and {@code trust.<ext>} into {@code dir}.
     *
     * @param type JKS or PKCS12
     * @throws IOException naming the keytool command when it fails
     */
    public static TestKeystores create(Path dir, String type) throws IOException, InterruptedException {
        String ext = "PKCS12".equalsIgnoreCase(type) ? "p12" : "jks";
        Path ks = dir.resolve("server." + ext);
        Path cert = dir.resolve("server.cer");
        Path ts = dir.resolve("trust." + ext);
        keytool(List.of("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", ks.toString(),
                "-storetype", type, "-storepass", PASSWORD, "-keypass", PASSWORD));
        keytool(List.of("-exportcert", "-alias", "server", "-keystore", ks.toString(), "-storetype", type,
                "-storepass", PASSWORD, "-file", cert.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore",
                ts.toString(), "-storetype", type, "-storepass", PASSWORD));
        return new TestKeystores(ks, ts, type);
    }

    /** The key store with the server's key and certificate. */
    public Path keystore() {
        return keystore;
    }

    /** The trust store with the server's certificate. */
    public Path truststore() {
        return truststore;
    }

    /** JKS or PKCS12. */
    public String type() {
        return type;
    }

    private static void keytool(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + cmd + "\n" + out);
        }
        Path written = Path.of(cmd.get(cmd.indexOf("-keystore") + 1));
        if (!Files.exists(written) && !args.contains("-exportcert")) {
            throw new IOException("keytool did not write " + written + ": " + cmd);
        }
    }
}
