package io.sluice.avro;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sdk.NettyRpcClient;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.wire.AvroBinary;
import io.sluice.sdk.wire.AvroRpcProtocol;
import io.sluice.sdk.wire.Calls;
import io.sluice.sdk.wire.EventCodec;
import io.sluice.sdk.wire.Handshake;
import io.sluice.testing.Trickle;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.sluice.testing.ServerClose.closedByServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BadInputTest {
    private final CollectingProcessor processor = new CollectingProcessor();
    private AvroSource source;

    @BeforeEach
    void start() {
        startWithReadTimeout(700);
    }

    private void startWithReadTimeout(long readTimeoutMillis) {
        source = new AvroSource("r1", "a1.sources.r1", AvroSourceConfig.plain("127.0.0.1", 0)
                .withLimits(1 << 20, readTimeoutMillis), new SourceCounter("r1"));
        source.setChannelProcessor(processor);
        source.start();
    }

    /**
     * Restarts the source with a read-timeout far longer than the sockets' 20 s read timeout, so a
     * connection the test sees closed was closed by the refusal itself, never by the read-timeout.
     */
    private void restartWithoutReadTimeout() {
        source.stop();
        startWithReadTimeout(TimeUnit.HOURS.toMillis(1));
    }

    @AfterEach
    void stop() {
        source.stop();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), source.port());
        s.setSoTimeout(20_000);
        return s;
    }

    private void goodClientStillServed(String tag) throws Exception {
        int before = processor.size();
        try (NettyRpcClient c = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", source.port())
                .build())) {
            c.appendBatch(Events.numbered(tag, 3));
        }
        assertThat(processor.size()).isEqualTo(before + 3);
    }

    @Test
    void garbageBytesCloseOnlyThatConnection() throws Exception {
        try (Socket idleGood = connect(); Socket bad = connect()) {
            bad.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3).getBytes());
            assertThat(closedByServer(bad)).isTrue();
            assertThat(idleGood.isClosed()).isFalse();
        }
        goodClientStillServed("after-garbage");
        assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(1); // counted once per connection
    }

    @Test
    void hugeDeclaredFrameLengthIsRefusedWithoutWaitingForIt() throws Exception {
        restartWithoutReadTimeout();
        try (Socket bad = connect()) {
            DataOutputStream out = new DataOutputStream(bad.getOutputStream());
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(Integer.MAX_VALUE); // 2 GiB promised, limit is 1 MiB
            out.writeInt(0);
            out.flush();
            assertThat(closedByServer(bad)).isTrue();
        }
        assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(1);
        goodClientStillServed("after-huge");
    }

    @Test
    void truncatedFrameIsClosedAfterReadTimeout() throws Exception {
        try (Socket bad = connect()) {
            DataOutputStream out = new DataOutputStream(bad.getOutputStream());
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(500_000); // within the limit, but only 10 bytes follow
            out.write(new byte[10]);
            out.flush();
            assertThat(closedByServer(bad)).isTrue();
        }
        goodClientStillServed("after-truncated");
    }

    @Test
    void firstRequestOverTheLimitGetsTheHandshakeAndAnErrorAndTheConnectionGoesOn() throws Exception {
        restartWithoutReadTimeout();
        try (Socket s = connect()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            // as Avro's clients write it: the handshake and call header in the first buffer, then the
            // batch in buffers of 8 KiB, 2 MiB in all against a limit of 1 MiB
            ByteBuf head = Unpooled.buffer();
            Handshake.writeRequest(head);
            Calls.writeRequestHeader(head, AvroRpcProtocol.APPEND_BATCH);
            int buffers = 256;
            out.writeInt(1);
            out.writeInt(1 + buffers);
            out.writeInt(head.readableBytes());
            out.write(bytes(head));
            for (int i = 0; i < buffers; i++) {
                out.writeInt(8192);
                out.write(new byte[8192]);
            }
            out.flush();
            ByteBuf answer = readFrame(in, 1);
            assertThat(Handshake.readResponse(answer).match()).isEqualTo(Handshake.MATCH_BOTH);
            assertThat(Calls.readResult(answer).error()).containsPattern("request of at least 10[0-9]{5} bytes")
                    .contains("over this agent's max-frame-bytes = 1048576");
            // the same connection, handshake done: a request that fits is served
            ByteBuf next = Unpooled.buffer();
            Calls.writeRequestHeader(next, AvroRpcProtocol.APPEND_BATCH);
            EventCodec.writeBatch(next, Events.numbered("after", 2), 0, 2);
            out.writeInt(2);
            out.writeInt(1);
            out.writeInt(next.readableBytes());
            out.write(bytes(next));
            out.flush();
            assertThat(Calls.readResult(readFrame(in, 2)).status()).isEqualTo(AvroRpcProtocol.STATUS_OK);
        }
        assertThat(processor.size()).isEqualTo(2);
        assertThat(source.counter().get(AvroSource.TOO_LARGE)).isEqualTo(1);
        assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isZero();
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    /** Reads one answer frame with {@code serial}, its buffers joined. */
    private static ByteBuf readFrame(DataInputStream in, int serial) throws IOException {
        assertThat(in.readInt()).as("serial").isEqualTo(serial);
        int count = in.readInt();
        ByteBuf payload = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            payload.writeBytes(b);
        }
        return payload;
    }

    @Test
    void connectionTricklingARequestIsClosedReadTimeoutAfterItsFirstByte() throws Exception {
        try (Socket s = connect()) {
            s.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            ByteBuf ping = Unpooled.buffer(); // the handshake first: afterwards silence between requests is fine
            Handshake.writeRequest(ping);
            Calls.writeRequestHeader(ping, "");
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(ping.readableBytes());
            out.write(bytes(ping));
            out.flush();
            assertThat(Handshake.readResponse(readFrame(new DataInputStream(s.getInputStream()), 1)).match())
                    .isEqualTo(Handshake.MATCH_BOTH);
            out.writeInt(2);
            out.writeInt(1);
            out.writeInt(1000); // within the limit; then one byte per 100 ms against a read-timeout of 700 ms
            out.flush();
            try (Trickle slow = Trickle.start(s, 90, 100)) {
                assertThat(closedByServer(s)).as("closed before the 9 s trickle ends").isTrue();
            }
        }
        assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(1);
        goodClientStillServed("after-trickle");
    }

    @Test
    void requestWhoseEventOverrunsTheFrameIsRefusedAndNothingIsDelivered() throws Exception {
        ByteBuf payload = Unpooled.buffer();
        Handshake.writeRequest(payload);
        Calls.writeRequestHeader(payload, AvroRpcProtocol.APPEND_BATCH);
        AvroBinary.writeLong(payload, 2); // two events...
        AvroBinary.writeLong(payload, 0);
        AvroBinary.writeLong(payload, 3);
        payload.writeBytes("abc".getBytes());
        AvroBinary.writeLong(payload, 0);
        AvroBinary.writeLong(payload, 1000); // ...the second declares 1000 body bytes, 5 follow
        payload.writeZero(5);
        byte[] bytes = new byte[payload.readableBytes()];
        payload.readBytes(bytes);
        restartWithoutReadTimeout();
        try (Socket bad = connect()) {
            DataOutputStream out = new DataOutputStream(bad.getOutputStream());
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            assertThat(closedByServer(bad)).isTrue();
        }
        assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(1);
        assertThat(processor.size()).isZero();
        goodClientStillServed("after-overrun");
    }

    @Test
    void clientThatConnectsAndNeverSendsIsClosed() throws Exception {
        // the client's first use in this JVM loads its classes, which on a loaded machine alone can take
        // longer than the 700 ms read-timeout: warm it up against a source without that timeout
        restartWithoutReadTimeout();
        goodClientStillServed("before-silent");
        source.stop();
        startWithReadTimeout(700);
        try (Socket silent = connect()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> source.counter().get(SourceCounter.OPEN_CONNECTIONS) == 1);
            assertThat(closedByServer(silent)).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> source.counter().get(SourceCounter.OPEN_CONNECTIONS) == 0);
        goodClientStillServed("after-silent");
    }
}
