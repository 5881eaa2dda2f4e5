package io.sluice.flume.bridge;

import io.sluice.testing.EmbeddedAgent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Apache Flume's own {@code irc} sink (not implemented by Sluice), named by Flume's short type name
 * {@code irc}, from its 1.11.0 jar in
 * {@code plugins.d/flume-irc/lib} with the IRC library it needs in {@code libext}, run by a Sluice
 * agent against a local IRC server that records every line it is sent.
 */
class FlumeIrcSinkTest {
    private ServerSocket server;
    private Thread acceptor;
    private final List<String> lines = new ArrayList<>();

    @BeforeEach
    void startIrcServer() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept();
                        BufferedReader in = new BufferedReader(
                                new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                } catch (IOException e) {
                    // the server was closed, or the client went away: accept the next one
                }
            }
        }, "fake-irc-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopIrcServer() throws IOException {
        server.close();
    }

    private List<String> privmsgs() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith("PRIVMSG ")).toList();
        }
    }

    @Test
    void flumesIrcSinkRunsThroughThePluginBridge() throws Exception {
        try (EmbeddedAgent a = EmbeddedAgent.start("i1", String.join("\n",
                "i1.sources = r1", "i1.channels = c1", "i1.sinks = k1",
                "i1.sources.r1.type = seq", "i1.sources.r1.totalEvents = 20", "i1.sources.r1.channels = c1",
                "i1.channels.c1.type = memory",
                "i1.sinks.k1.channel = c1",
                "i1.sinks.k1.type = irc",
                "i1.sinks.k1.hostname = 127.0.0.1", "i1.sinks.k1.port = " + server.getLocalPort(),
                "i1.sinks.k1.nick = sluice", "i1.sinks.k1.chan = migration"))) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("PRIVMSG #migration :" + i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> privmsgs().size() >= 20);
            assertThat(privmsgs()).isEqualTo(expected);
            synchronized (lines) {
                assertThat(lines).contains("NICK sluice").anyMatch(l -> l.equalsIgnoreCase("join #migration"));
            }
        }
    }
}
