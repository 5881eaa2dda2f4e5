package io.sluice.metrics.sink;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The query API's live feed, {@code /api/v1/stream}, over real sockets. */
class SampleStreamTest {
    private static final String TOKEN = "s3cret";

    @TempDir
    Path dir;

    private MetricsSink sink;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (sink != null) {
            sink.stop();
        }
    }

    private MetricsSink start(MemoryChannel channel) {
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.SINK, "k1").agentDataDirectory(dir)
                .keys("snapshot.file", "none", "query.port", "0", "query.token", TOKEN).build();
        sink = (MetricsSink) new MetricsSinkFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        sink.setChannel(channel);
        sink.start();
        return sink;
    }

    private static MemoryChannel channel() {
        MemoryChannel ch = new MemoryChannel("c1", "a1.channels.c1", 1000, 1000, Long.MAX_VALUE, 0,
                new ChannelCounter("c1"));
        ch.start();
        return ch;
    }

    private static void put(MemoryChannel ch, String body, long time) {
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.put(Event.of(Map.of("timestamp", Long.toString(time)), body.getBytes(StandardCharsets.UTF_8)));
            tx.commit();
        }
    }

    /** A GET on the sink's query port; the answer is read by {@link Answer}. */
    private Answer get(String pathAndQuery, String token) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", sink.queryPort()), 5000);
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new Answer(new BufferedInputStream(s.getInputStream()));
    }

    private static String stream(String... selectors) {
        StringBuilder sb = new StringBuilder("/api/v1/stream?");
        for (String sel : selectors) {
            sb.append(sb.charAt(sb.length() - 1) == '?' ? "" : "&").append("match%5B%5D=")
                    .append(URLEncoder.encode(sel, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** An HTTP/1.1 answer read from a socket: status, then the lines of its (chunked or sized) body. */
    private static final class Answer {
        private final InputStream in;
        final int status;
        private final boolean chunked;
        private int chunkLeft;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Answer(InputStream in) throws IOException {
            this.in = in;
            String statusLine = rawLine();
            this.status = Integer.parseInt(statusLine.split(" ")[1]);
            boolean ch = false;
            int length = 0;
            for (String h = rawLine(); !h.isEmpty(); h = rawLine()) {
                String lower = h.toLowerCase(Locale.ROOT);
                ch |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            this.chunked = ch;
            this.chunkLeft = ch ? 0 : length;
        }

        private String rawLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        private int bodyByte() throws IOException {
            if (chunked && chunkLeft == 0) {
                String size = rawLine();
                if (size.isEmpty()) {
                    size = rawLine();
                }
                chunkLeft = Integer.parseInt(size.trim(), 16);
                if (chunkLeft == 0) {
                    return -1;
                }
            }
            if (!chunked && chunkLeft == 0) {
                return -1;
            }
            int c = in.read();
            chunkLeft--;
            return c;
        }

        /** The next line of the body, or null at its end. */
        String line() throws IOException {
            line.reset();
            for (int c = bodyByte(); c != '\n'; c = bodyByte()) {
                if (c < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                line.write(c);
            }
            return line.toString(StandardCharsets.UTF_8);
        }

        /** The next line that is not a {"dropped":n} heartbeat. */
        String sample() throws IOException {
            for (String l = line(); l != null; l = line()) {
                if (!l.startsWith("{\"dropped\"")) {
                    return l;
                }
            }
            return null;
        }
    }

    @Test
    void streamsTheMatchingSamplesAsTheyAreStoredWithTheirTypes() throws Exception {
        MemoryChannel ch = channel();
        start(ch);
        Answer a = get(stream("temperature{dc=\"jb\"}", "motd", "up"), TOKEN);
        assertThat(a.status).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.queryStreamsOpen() == 1);
        long t = 1_700_000_040_000L;
        put(ch, """
                temperature{dc="jb",rack="r1"} 41.5
                temperature{dc="par",rack="r9"} 99
                temperature{dc="jb",rack="r2"} 38 1700000041000
                motd "all \\"good\\""
                up true
                disk_free{dc="jb"} 12
                """, t);
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(a.sample()).isEqualTo("{\"name\":\"temperature\",\"labels\":{\"dc\":\"jb\",\"rack\":\"r1\"},"
                + "\"type\":\"double\",\"value\":41.5,\"ts\":1700000040000}");
        assertThat(a.sample()).isEqualTo("{\"name\":\"temperature\",\"labels\":{\"dc\":\"jb\",\"rack\":\"r2\"},"
                + "\"type\":\"integer\",\"value\":38,\"ts\":1700000041000}");
        assertThat(a.sample()).isEqualTo("{\"name\":\"motd\",\"labels\":{},\"type\":\"string\",\"value\":null,"
                + "\"text\":\"all \\\"good\\\"\",\"ts\":1700000040000}");
        assertThat(a.sample()).isEqualTo("{\"name\":\"up\",\"labels\":{},\"type\":\"boolean\",\"value\":1,"
                + "\"ts\":1700000040000}");
    }

    @Test
    void aWrongTokenOrSelectorIsAnsweredWithWhatToFix() throws Exception {
        start(channel());
        Answer noToken = get(stream("temperature"), null);
        assertThat(noToken.status).isEqualTo(401);
        Answer wrong = get(stream("temperature"), "nope");
        assertThat(wrong.status).isEqualTo(401);
        assertThat(wrong.line()).contains("Authorization: Bearer");
        Answer bad = get(stream("temperature{dc=jb}"), TOKEN);
        assertThat(bad.status).isEqualTo(400);
        assertThat(bad.line()).contains("expected a quoted value");
        Answer function = get(stream("rate(temperature)"), TOKEN);
        assertThat(function.status).isEqualTo(400);
        assertThat(function.line()).contains("is not a selector");
        Answer none = get("/api/v1/stream", TOKEN);
        assertThat(none.status).isEqualTo(400);
        assertThat(none.line()).contains("match[] is required");
        Answer buffer = get(stream("temperature") + "&buffer=0", TOKEN);
        assertThat(buffer.status).isEqualTo(400);
        assertThat(buffer.line()).contains("buffer=0 (expected: 1 to 1000000");
    }

    @Test
    void aReaderThatDoesNotKeepUpLosesSamplesToItsBoundedBufferAndIsToldHowMany() throws Exception {
        start(channel());
        Answer a = get(stream("load") + "&buffer=100", TOKEN);
        assertThat(a.status).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.queryStreamsOpen() == 1);
        int total = 200_000;
        long t0 = 1_700_000_000_000L;
        // the store's writer never waits for the reader, which reads nothing while this runs
        SeriesKey[] keys = new SeriesKey[50];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = SeriesKey.of("load", Map.of("host", "h" + i));
        }
        int stored = 0;
        for (int i = 0; i < total; i++) {
            stored += sink.store().add(keys[i % keys.length], ValueType.INTEGER, t0 + i, i) ? 1 : 0;
        }
        assertThat(stored).isEqualTo(total);
        long received = 0;
        long dropped = 0;
        while (received + dropped < total) {
            String l = a.line();
            assertThat(l).as("stream ended after %d samples and %d dropped", received, dropped).isNotNull();
            if (l.startsWith("{\"dropped\":")) {
                dropped = Long.parseLong(l.substring(11, l.length() - 1));
            } else {
                received++;
            }
        }
        assertThat(dropped).isPositive();
        assertThat(received + dropped).isEqualTo(total);
    }
}
