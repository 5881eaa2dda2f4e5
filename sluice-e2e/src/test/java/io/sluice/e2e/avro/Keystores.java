package io.sluice.e2e.avro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed server key store and a trust store holding its certificate, made with keytool. */
record Keystores(Path keystore, Path truststore) {
    static final String PASSWORD = "e2e-secret";

    static Keystores create(Path dir) throws IOException, InterruptedException {
        Path ks = dir.resolve("server.jks");
        Path cert = dir.resolve("server.cer");
        Path ts = dir.resolve("trust.jks");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", ks.toString(),
                "-storetype", "JKS", "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(List.of(keytool, "-exportcert", "-alias", "server", "-keystore", ks.toString(), "-storepass", PASSWORD,
                "-file", cert.toString()));
        run(List.of(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore",
                ts.toString(), "-storetype", "JKS", "-storepass", PASSWORD));
        return new Keystores(ks, ts);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + cmd + "\n" + new String(out));
        }
    }
}
