package io.sluice.bench.files;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code scenario=syslogtcp}: one TCP connection from this JVM writes newline-framed RFC 3164
 * messages of {@value #MESSAGE_BYTES} bytes as fast as the agent reads them, to {@code syslogtcp}
 * -> {@code memory} (capacity 1,000,000, transactionCapacity 1000) -> {@code null} (batchSize 1000).
 * Measured like the other agent scenarios: after the warm-up, the channel's
 * {@code EventTakeSuccessCount} over the window.
 */
final class SyslogTcpBench implements FilesScenario.SourceBench {
    static final int MESSAGE_BYTES = 100;

    static String config(int port) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = syslogtcp",
                "a1.sources.r1.host = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                FilesScenario.MEMORY_TO_NULL);
    }

    /** 64 KiB-ish of messages, each exactly {@value #MESSAGE_BYTES} bytes with its newline. */
    static byte[] chunk() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 650; i++) {
            StringBuilder m = new StringBuilder("<13>Dec  6 12:00:00 benchhost app[42]: message ").append(i).append(' ');
            while (m.length() < MESSAGE_BYTES - 1) {
                m.append('x');
            }
            b.append(m).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Comparison run(BenchContext context) throws Exception {
        BenchOptions o = context.options();
        List<Double> flume = new ArrayList<>();
        List<Double> sluice = new ArrayList<>();
        for (int i = 1; i <= o.runs(); i++) {
            flume.add(measure(context, AgentSide.FLUME, i));
            sluice.add(measure(context, AgentSide.SLUICE, i));
        }
        return new Comparison("syslogtcp", AgentSide.FLUME.label(), sluice, flume);
    }

    private double measure(BenchContext context, AgentSide side, int run) throws Exception {
        BenchOptions o = context.options();
        int port = FreePorts.tcp();
        try (AgentRun agent = AgentRun.start(context, side,
                context.workDirectory().resolve("syslogtcp").resolve(side.label() + "-" + run), config(port));
                Sender sender = new Sender(port)) {
            long deadline = System.currentTimeMillis() + AgentRun.START_TIMEOUT_MILLIS;
            while (!sender.connect()) {
                agent.checkAlive("before listening");
                if (System.currentTimeMillis() > deadline) {
                    throw agent.timedOut("not listening on 127.0.0.1:" + port);
                }
                Thread.sleep(100);
            }
            sender.start();
            while (agent.delivered() <= 0) {
                agent.checkAlive("before delivering an event");
                sender.check();
                if (System.currentTimeMillis() > deadline) {
                    throw agent.timedOut("no event delivered");
                }
                Thread.sleep(100);
            }
            MetricsClient.Window w = agent.metrics().window(AgentRun.GROUP, AgentRun.COUNTER, o.warmupSeconds(),
                    o.windowSeconds());
            agent.checkAlive("during the window");
            sender.check();
            double eps = w.eventsPerSecond();
            context.log(String.format(Locale.ROOT, "syslogtcp run %d/%d %-6s eps=%.0f (%d events in %.2f s)", run,
                    o.runs(), side.label(), eps, w.events(), w.seconds()));
            return eps;
        }
    }

    /** The one sender: a daemon thread writing {@link #chunk()} until closed. */
    private static final class Sender implements AutoCloseable {
        private final int port;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private Socket socket;
        private Thread thread;
        private volatile boolean closing;

        Sender(int port) {
            this.port = port;
        }

        boolean connect() {
            try {
                socket = new Socket("127.0.0.1", port);
                socket.setSendBufferSize(1 << 20);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        void start() {
            byte[] chunk = chunk();
            thread = new Thread(() -> {
                try (OutputStream out = socket.getOutputStream()) {
                    while (!closing) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    if (!closing) {
                        failure.set(e);
                    }
                }
            }, "syslog-sender");
            thread.setDaemon(true);
            thread.start();
        }

        void check() {
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("the syslog sender failed: " + t, t);
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            closing = true;
            if (socket != null) {
                socket.close();
            }
            if (thread != null) {
                thread.join(10_000);
            }
        }
    }
}
