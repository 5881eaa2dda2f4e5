package io.sluice.testing;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow client (slowloris): writes one zero byte at a time to a socket, on a timer, so that each
 * byte arrives well within a server's idle or read timeout of the one before. Only a deadline from
 * the first byte of a request closes such a connection. Close it to stop writing; it stops by
 * itself once the server has closed the connection or {@code bytes} were written. Thread-safe.
 */
public final class Trickle implements AutoCloseable {
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trickle");
        t.setDaemon(true);
        return t;
    });

    private Trickle(Socket socket, int bytes, long periodMillis) {
        AtomicInteger sent = new AtomicInteger();
        writer.scheduleAtFixedRate(() -> {
            try {
                if (sent.incrementAndGet() <= bytes) {
                    socket.getOutputStream().write(0);
                }
            } catch (IOException e) {
                writer.shutdown(); // closed by the server
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts writing {@code bytes} bytes to {@code socket}, one every {@code periodMillis}. */
    public static Trickle start(Socket socket, int bytes, long periodMillis) {
        return new Trickle(socket, bytes, periodMillis);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
