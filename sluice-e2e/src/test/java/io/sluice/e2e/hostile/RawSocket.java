package io.sluice.e2e.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain TCP connection to 127.0.0.1 that writes raw bytes and reads until the peer closes. Not thread-safe. */
final class RawSocket implements AutoCloseable {
    private final Socket socket;

    RawSocket(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    }

    RawSocket write(String ascii) throws IOException {
        socket.getOutputStream().write(ascii.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Everything the peer sends until it closes the connection, waiting at most {@code timeout};
     * null if it is still open then.
     */
    String readUntilClosed(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            // reset by the peer: closed as well
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code piece} every {@code every} until the peer closes the connection; returns what
     * it sent, or null if it is still open after {@code timeout}.
     */
    String trickleUntilClosed(String piece, Duration every, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                write(piece);
            } catch (IOException closed) {
                return readUntilClosed(Duration.ofSeconds(5));
            }
            String answer = readUntilClosed(every);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
