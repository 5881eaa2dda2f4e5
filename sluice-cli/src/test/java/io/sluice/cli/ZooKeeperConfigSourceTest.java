package io.sluice.cli;

import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.AgentSupervisor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The configuration in a ZooKeeper node, against a real ZooKeeper server started in-process on
 * 127.0.0.1 from Apache ZooKeeper's jar: read from {@code <basePath>/<agent>}, and a change of the
 * node reloads the agent through the watch, long before the poll interval.
 */
class ZooKeeperConfigSourceTest {
    @TempDir
    Path dir;

    private ServerCnxnFactory factory;
    private ZooKeeper admin;

    @BeforeEach
    void startZooKeeper() throws Exception {
        ZooKeeperServer server = new ZooKeeperServer(dir.resolve("zk").toFile(), dir.resolve("zk").toFile(), 200);
        factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
        factory.startup(server);
        CountDownLatch connected = new CountDownLatch(1);
        admin = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(30, TimeUnit.SECONDS)).as("connected to the test ZooKeeper").isTrue();
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        admin.close();
        factory.shutdown();
    }

    private String connectString() {
        return "127.0.0.1:" + factory.getLocalPort();
    }

    private void write(String path, String content) throws Exception {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        if (admin.exists(path, false) == null) {
            admin.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } else {
            admin.setData(path, data, -1);
        }
    }

    private static String pipeline(String sink, int total) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = " + sink,
                "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + total, "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks." + sink + ".type = null", "a1.sinks." + sink + ".channel = c1", "");
    }

    @Test
    void agentRunsFromTheNodeAndReloadsWhenItChanges() throws Exception {
        write("/flume", "");
        write("/flume/a1", pipeline("k1", 30));
        ZooKeeperConfigSource source = ZooKeeperConfigSource.connect(connectString(), "/flume", "a1");
        AgentSpec spec = AgentSpec.fromSources("a1", List.of(source), Map.of(), dir.resolve("data"));
        // An hour between polls: only the ZooKeeper watch can make the reload happen within the test.
        try (AgentSupervisor sup = new AgentSupervisor(spec, true, Duration.ofHours(1))) {
            sup.start();
            Agent first = sup.current();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    first.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS) == 30);

            write("/flume/a1", pipeline("k2", 12));

            await().atMost(Duration.ofSeconds(30)).until(() -> sup.reloads() == 1);
            Agent second = sup.current();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    second.counters().find("SINK", "k2").get(SinkCounter.DRAIN_SUCCESS) == 12);
        }
    }

    @Test
    void aMissingNodeSaysHowToCreateIt() {
        try (ZooKeeperConfigSource source = ZooKeeperConfigSource.connect(connectString(), "/sluice", "a9")) {
            assertThatThrownBy(source::read).isInstanceOf(IOException.class)
                    .hasMessageContaining("node /sluice/a9 does not exist")
                    .hasMessageContaining("zkCli.sh create /sluice/a9");
        }
    }
}
