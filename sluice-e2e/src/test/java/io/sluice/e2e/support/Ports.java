package io.sluice.e2e.support;

import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import org.awaitility.Awaitility;

/** Free ports on 127.0.0.1 and waiting for a child process to listen. Stateless. */
public final class Ports {
    private Ports() {
    }

    /** A port that was free a moment ago (sluice-testing's {@link FreePorts#tcp()}). */
    public static int free() {
        return FreePorts.tcp();
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until {@code process} listens on {@code port}; fails early, with its output, if the
     * process exits first.
     */
    public static void awaitListening(ChildProcess process, int port, Duration timeout) {
        Awaitility.await(process.name() + " listening on " + port)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(process.name() + " exited before listening on " + port + "\n"
                                + process.tail());
                    }
                    return isListening(port);
                });
    }
}
