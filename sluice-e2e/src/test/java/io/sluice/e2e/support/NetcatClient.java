package io.sluice.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of a netcat source with {@code ack-every-event = true}: sends one line and reads the
 * answer ({@code OK}, or {@code FAILED: <reason>} when the channel refused it). Not thread-safe:
 * one connection, one thread.
 */
public final class NetcatClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    public NetcatClient(int port, Duration replyTimeout) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout((int) replyTimeout.toMillis());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code line} (a newline is added) and returns the answer line, or {@code null} when
     * none came within the reply timeout.
     *
     * @throws IOException when the connection was closed or broke
     */
    public String send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            String reply = in.readLine();
            if (reply == null) {
                throw new IOException("the source closed the connection after '" + line + "'");
            }
            return reply;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
