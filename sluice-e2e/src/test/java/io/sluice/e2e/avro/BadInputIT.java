package io.sluice.e2e.avro;

import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.Ports;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.testing.ServerClose.closedByServer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Sluice agent's avro source facing bad peers: garbage bytes, a frame declaring 2 GiB, a frame
 * cut short, and a client that connects and never sends. Each such connection is logged and
 * closed; the agent keeps running and keeps serving a well-behaved client, whose events all
 * arrive.
 */
class BadInputIT {
    @TempDir
    Path dir;

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        return s;
    }

    @Test
    void badConnectionsAreClosedAndTheAgentKeepsServingOthers() throws Exception {
        int port = Ports.free();
        int metrics = Ports.free();
        try (Collector collector = Collector.plain();
                ChildProcess agent = Agents.startSluice("bad-input", dir, Agents.relay("a1", port, collector.port(),
                        10_000, "sources.r1.read-timeout", "1500", "sources.r1.max-frame-bytes", "1048576"), port,
                        "--metrics-port", String.valueOf(metrics))) {
            try (Socket idle = connect(port); Socket garbage = connect(port); Socket huge = connect(port);
                    Socket cut = connect(port)) {
                garbage.getOutputStream().write("\u0000\u0001 this is not avro \r\n".repeat(50).getBytes());
                DataOutputStream h = new DataOutputStream(huge.getOutputStream());
                h.writeInt(1);
                h.writeInt(1);
                h.writeInt(Integer.MAX_VALUE);
                h.writeLong(0);
                h.flush();
                DataOutputStream c = new DataOutputStream(cut.getOutputStream());
                c.writeInt(1);
                c.writeInt(1);
                c.writeInt(4096);
                c.write(new byte[100]);
                c.flush();
                // a well-behaved client is served while the bad ones are still connected
                try (Sender sender = new Sender(port)) {
                    sender.send("good", 0, 500, Duration.ofSeconds(30));
                }
                assertThat(closedByServer(garbage)).isTrue();
                assertThat(closedByServer(huge)).isTrue();
                assertThat(closedByServer(cut)).isTrue();
                assertThat(closedByServer(idle)).isTrue();
            }
            try (Sender sender = new Sender(port)) {
                sender.send("after", 0, 500, Duration.ofSeconds(30));
            }
            collector.awaitDistinct(1000, Duration.ofSeconds(60));
            assertThat(agent.isAlive()).isTrue();
            // one warning per second at most (the rest are counted in the message), every one counted
            agent.awaitLine("Closing connection from", Duration.ofSeconds(10));
            assertThat(MetricsJson.counter(metrics, "SOURCE.r1", "EventReadFail")).isEqualTo(4);
            assertThat(collector.distinctBodies()).hasSize(1000);
        }
    }
}
