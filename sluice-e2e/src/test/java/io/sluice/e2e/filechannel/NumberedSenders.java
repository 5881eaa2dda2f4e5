package io.sluice.e2e.filechannel;

import io.sluice.e2e.support.NetcatClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Connections that send numbered lines ({@code s<connection>-<n>}) to a netcat source as fast as it
 * answers, through agent restarts: a line counts as acknowledged only when the source answered
 * {@code OK} (it does so after the channel committed it). On a broken connection the sender
 * reconnects and goes on with the next number. Thread-safe.
 */
public final class NumberedSenders implements AutoCloseable {
    private final int port;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread[] threads;

    public NumberedSenders(int port, int connections) {
        this.port = port;
        this.threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int connection = c;
            threads[c] = new Thread(() -> send(connection), "sender-" + c);
            threads[c].setDaemon(true);
            threads[c].start();
        }
    }

    private void send(int connection) {
        long n = 0;
        while (running.get()) {
            try (NetcatClient client = new NetcatClient(port, Duration.ofSeconds(10))) {
                while (running.get()) {
                    String line = "s" + connection + "-" + n++;
                    String reply = client.send(line);
                    if ("OK".equals(reply)) {
                        acknowledged.add(line);
                    } else {
                        unanswered.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the agent is down (killed or starting): try again shortly
                unanswered.incrementAndGet();
                LockSupport.parkNanos(50_000_000L);
            }
        }
    }

    public Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    public long unanswered() {
        return unanswered.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
