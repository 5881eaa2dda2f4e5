package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds ports that are free on 127.0.0.1 right now (another process may still take them before
 * the test binds; prefer binding port 0 where the code under test allows it). A port is handed out
 * at most once per JVM: the kernel may give the same ephemeral port to two quick bind-and-close
 * calls, and a test that asks for two ports (a source's and its metrics server's) must get two.
 * Thread-safe.
 */
public final class FreePorts {
    private static final int ATTEMPTS = 100;
    private static final Set<Integer> TCP_HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> UDP_HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A TCP port free on 127.0.0.1 a moment ago, never handed out before in this JVM. */
    public static int tcp() {
        return unique("TCP", TCP_HANDED_OUT, () -> {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return s.getLocalPort();
            }
        });
    }

    /** A UDP port free on 127.0.0.1 a moment ago, never handed out before in this JVM. */
    public static int udp() {
        return unique("UDP", UDP_HANDED_OUT, () -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                return s.getLocalPort();
            }
        });
    }

    /** Binds an ephemeral port and closes it again, answering the port. */
    private interface EphemeralBind {
        int bindAndClose() throws IOException;
    }

    private static int unique(String protocol, Set<Integer> handedOut, EphemeralBind bind) {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try {
                port = bind.bindAndClose();
            } catch (IOException e) {
                throw new UncheckedIOException("no free " + protocol + " port on 127.0.0.1", e);
            }
            if (handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no " + protocol + " port on 127.0.0.1 that this JVM has not handed out"
                + " already, after " + ATTEMPTS + " attempts");
    }
}
