package io.sluice.thrift;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.ThriftRpcClient;
import io.sluice.sdk.thrift.ThriftMessages;
import io.sluice.sdk.thrift.ThriftProtocol;
import io.sluice.testing.Trickle;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.sluice.testing.ServerClose.closedByServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Raw sockets sending what is not Apache Flume's Thrift protocol to the thrift source. */
class ThriftBadInputTest {
    private Receiver receiver;

    private void start(long readTimeoutMillis, int maxConnections) {
        receiver = Receiver.start(ThriftSourceConfig.plain("127.0.0.1", 0)
                .withLimits(1 << 20, readTimeoutMillis, 0).withConnectionLimits(maxConnections, 1 << 24), 100_000);
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), receiver.port());
        s.setSoTimeout(20_000);
        return s;
    }

    private static byte[] frame(ThriftProtocol protocol, String method, List<Event> events) {
        ByteBuf buf = ThriftMessages.startFrame(ByteBufAllocator.DEFAULT, 256);
        ThriftMessages.writeAppendBatch(buf, protocol, 7, events, 0, events.size());
        ThriftMessages.finishFrame(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        if (!method.equals(ThriftMessages.APPEND_BATCH)) {
            // same length, other name: "appendBatch" -> method (11 characters)
            String wire = new String(bytes, StandardCharsets.ISO_8859_1).replace(ThriftMessages.APPEND_BATCH, method);
            bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        }
        return bytes;
    }

    private void goodClientStillServed(String tag) throws Exception {
        List<Event> events = Receiver.numbered(tag, 10);
        try (ThriftRpcClient c = new ThriftRpcClient(RpcClientConfig.builder().clientType(RpcClientConfig.THRIFT)
                .host("127.0.0.1", receiver.port()).build())) {
            c.appendBatch(events);
        }
        assertThat(receiver.drain()).containsExactlyElementsOf(events);
    }

    @Test
    void garbageClosesOnlyThatConnectionAndIsCounted() throws Exception {
        start(TimeUnit.HOURS.toMillis(1), 100);
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedByServer(s)).isTrue();
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[] {0x00, 0x00, 0x00, 0x05, 0x11, 0x22, 0x33, 0x44, 0x55});
            assertThat(closedByServer(s)).isTrue();
        }
        await().until(() -> receiver.counter(SourceCounter.EVENT_READ_FAIL) == 2);
        assertThat(receiver.channel.size()).isZero();
        goodClientStillServed("after-garbage");
    }

    @Test
    void frameAboveTheLimitNotFollowedByACallIsRefusedBeforeItsBytesArrive() throws Exception {
        start(TimeUnit.HOURS.toMillis(1), 100);
        try (Socket s = connect()) {
            // declares 2 GiB - 1, then a byte that starts no Thrift message: closed at once
            s.getOutputStream().write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x11});
            assertThat(closedByServer(s)).isTrue();
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
            assertThat(closedByServer(s)).isTrue();
        }
        await().until(() -> receiver.counter(SourceCounter.EVENT_READ_FAIL) == 2);
        assertThat(receiver.counter(ThriftSource.TOO_LARGE)).isZero();
        goodClientStillServed("after-big-frame");
    }

    @Test
    void callAboveTheLimitIsAnsweredWithAnExceptionSkippedAndTheConnectionGoesOn() throws Exception {
        start(TimeUnit.HOURS.toMillis(1), 100);
        List<Event> big = Receiver.numbered("big", 60_000); // about 2 MiB, over the 1 MiB limit
        List<Event> small = Receiver.numbered("small", 3);
        for (ThriftProtocol protocol : ThriftProtocol.values()) {
            try (Socket s = connect()) {
                OutputStream out = s.getOutputStream();
                byte[] oversize = frame(protocol, ThriftMessages.APPEND_BATCH, big);
                assertThat(oversize.length).isGreaterThan(1 << 20);
                DataInputStream in = new DataInputStream(s.getInputStream());
                out.write(oversize);
                byte[] reply = new byte[in.readInt()];
                in.readFully(reply);
                ThriftMessages.Reply answer = ThriftMessages.readReply(Unpooled.wrappedBuffer(reply),
                        protocol, ThriftMessages.APPEND_BATCH, 7);
                assertThat(answer.error()).contains("request of " + (oversize.length - 4) + " bytes")
                        .contains("max-frame-bytes = 1048576");
                out.write(frame(protocol, ThriftMessages.APPEND_BATCH, small));
                reply = new byte[in.readInt()];
                in.readFully(reply);
                assertThat(ThriftMessages.readReply(Unpooled.wrappedBuffer(reply), protocol,
                        ThriftMessages.APPEND_BATCH, 7).status()).isEqualTo(ThriftMessages.STATUS_OK);
            }
            assertThat(receiver.drain()).containsExactlyElementsOf(small);
        }
        assertThat(receiver.counter(ThriftSource.TOO_LARGE)).isEqualTo(2);
        assertThat(receiver.counter(SourceCounter.EVENT_READ_FAIL)).isZero();
    }

    @Test
    void unframedMessageIsRefused() throws Exception {
        start(TimeUnit.HOURS.toMillis(1), 100);
        byte[] framed = frame(ThriftProtocol.BINARY, ThriftMessages.APPEND_BATCH, Receiver.numbered("u", 2));
        try (Socket s = connect()) {
            s.getOutputStream().write(framed, 4, framed.length - 4); // a TSocket client without TFramedTransport
            assertThat(closedByServer(s)).isTrue();
        }
        await().until(() -> receiver.counter(SourceCounter.EVENT_READ_FAIL) == 1);
        assertThat(receiver.channel.size()).isZero();
    }

    @Test
    void eventWithoutItsBodyIsRefusedAndNothingOfTheRequestIsStored() throws Exception {
        start(TimeUnit.HOURS.toMillis(1), 100);
        // compact appendBatch #1 with a list of 2 events; the second lacks its body (field 2)
        byte[] message = {(byte) 0x82, 0x21, 0x01, 0x0b, 'a', 'p', 'p', 'e', 'n', 'd', 'B', 'a', 't', 'c', 'h',
            0x19, 0x2c, // field 1: list of 2 structs
            0x1b, 0x00, 0x18, 0x01, 'x', 0x00, // event 1: empty header map, body "x", stop
            0x1b, 0x00, 0x00, // event 2: empty header map, stop (no body)
            0x00};
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0, 0, 0, (byte) message.length});
            out.write(message);
            assertThat(closedByServer(s)).isTrue();
        }
        await().until(() -> receiver.counter(SourceCounter.EVENT_READ_FAIL) == 1);
        assertThat(receiver.channel.size()).isZero();
        goodClientStillServed("after-missing-body");
    }

    @Test
    void unknownMethodIsAnsweredWithAnExceptionAndTheConnectionStaysUsable() throws Exception {
        start(TimeUnit.HOURS.toMillis(1), 100);
        List<Event> events = Receiver.numbered("m", 3);
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(frame(ThriftProtocol.COMPACT, "appendBytes", events));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
            assertThat(reply[1] >> 5).as("message type EXCEPTION").isEqualTo(3);
            assertThat(new String(reply, StandardCharsets.UTF_8)).contains("Invalid method name: 'appendBytes'");
            out.write(frame(ThriftProtocol.COMPACT, ThriftMessages.APPEND_BATCH, events));
            reply = new byte[in.readInt()];
            in.readFully(reply);
            assertThat(reply[1] >> 5).as("message type REPLY").isEqualTo(2);
        }
        assertThat(receiver.drain()).containsExactlyElementsOf(events);
        assertThat(receiver.counter(SourceCounter.EVENT_READ_FAIL)).isZero();
    }

    @Test
    void connectionStalledInsideAFrameIsClosedAfterReadTimeoutButAnIdleOneIsKept() throws Exception {
        start(500, 100);
        try (Socket idle = connect(); Socket stalled = connect()) {
            stalled.getOutputStream().write(new byte[] {0, 0, 0, 100, (byte) 0x82});
            assertThat(closedByServer(stalled)).isTrue();
            await().until(() -> receiver.counter(SourceCounter.EVENT_READ_FAIL) == 1);
            // the idle connection (no partial request) outlived several read-timeouts and still works
            byte[] good = frame(ThriftProtocol.BINARY, ThriftMessages.APPEND_BATCH, Receiver.numbered("idle", 2));
            idle.getOutputStream().write(good);
            DataInputStream in = new DataInputStream(idle.getInputStream());
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
            assertThat(reply).hasSizeGreaterThan(8);
        }
        assertThat(receiver.drain()).containsExactlyElementsOf(Receiver.numbered("idle", 2));
    }

    @Test
    void connectionTricklingAFrameIsClosedReadTimeoutAfterItsFirstByte() throws Exception {
        start(500, 100);
        try (Socket s = connect()) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(new byte[] {0, 0, 0, 100, (byte) 0x82});
            try (Trickle slow = Trickle.start(s, 90, 100)) {
                assertThat(closedByServer(s)).as("closed before the 9 s trickle ends").isTrue();
            }
        }
        await().until(() -> receiver.counter(SourceCounter.EVENT_READ_FAIL) == 1);
        goodClientStillServed("after-trickle");
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosedAndCounted() throws Exception {
        start(TimeUnit.HOURS.toMillis(1), 2);
        try (Socket a = connect(); Socket b = connect()) {
            await().until(() -> receiver.counter(SourceCounter.OPEN_CONNECTIONS) == 2);
            try (Socket c = connect()) {
                assertThat(closedByServer(c)).isTrue();
            }
            assertThat(receiver.source.counter().get(ConnectionLimiter.REFUSED)).isEqualTo(1);
        }
        goodClientStillServed("after-limit");
    }
}
