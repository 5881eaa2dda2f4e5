package io.sluice.e2e.agent;

import com.sun.net.httpserver.HttpServer;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Distribution;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Apache Flume's {@code flume-ng agent} command lines, run as real {@code bin/flume-ng} and
 * {@code bin/sluice} processes (with {@code SLUICE_NO_BUILD=1}): JVM options, {@code conf/flume-env.sh},
 * the plugin properties, the log level, {@code --dryrun}, a configuration fetched from a URL (with
 * basic authentication, merged with a file) and from ZooKeeper, each reloaded when it changes.
 */
class FlumeLauncherIT {

    @TempDir
    Path dir;

    private ChildProcess launch(String script, String name, String... args) throws Exception {
        Distribution.sluice(); // fails early, saying what to build, when the distribution is missing
        List<String> command = new ArrayList<>(List.of("bash", Distribution.home().resolve("bin/" + script).toString()));
        command.addAll(Arrays.asList(args));
        return ChildProcess.start(name, command, dir, Map.of("SLUICE_NO_BUILD", "1",
                "SLUICE_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
    }

    private static AgentConfig netcatToLogger(Object port) {
        return AgentConfig.of("a1").components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "logger").set("sinks.k1.channel", "c1");
    }

    private static String commandLineOf(ChildProcess p) throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")),
                StandardCharsets.UTF_8).replace('\0', ' ');
    }

    @Test
    void flumeNgAgentTakesJvmOptionsEnvScriptPluginPathsAndLogLevel() throws Exception {
        int port = Ports.free();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("flume-env.sh"), String.join("\n",
                "echo 'flume-env.sh speaking'",
                "export JAVA_OPTS=\"-Dfrom.env.script=yes -Xss4m\"",
                "FLUME_CLASSPATH=\"/opt/flume-extra/*\"",
                "export LAUNCHER_TEST_PORT=" + port,
                "JAVA_HOME=/no/such/java",
                ""));
        Path config = netcatToLogger("${env:LAUNCHER_TEST_PORT}").writeTo(conf);

        try (ChildProcess agent = launch("flume-ng", "flume-ng-agent", "agent", "-n", "a1", "-c", conf.toString(),
                "-f", config.toString(), "-C", "/extra/a.jar", "--plugins-path", "/p1:/p2", "-Xmx200m",
                "-XX:+UseSerialGC", "-Dflume.root.logger=DEBUG,console", "--no-reload-conf",
                "--data-dir", dir.resolve("data").toString())) {
            // The port comes from a variable flume-env.sh exports: the script was read.
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));

            assertThat(commandLineOf(agent)).as("the agent JVM's command line")
                    .contains(" -Xmx200m ").contains(" -XX:+UseSerialGC ").contains(" -Xss4m ")
                    .contains(" -Dfrom.env.script=yes ");
            assertThat(agent.output())
                    .contains("sluice.home=" + Distribution.sluice())
                    .contains("sluice.plugins.path=/p1:/p2")
                    .contains("sluice.plugins.classpath=/extra/a.jar:/opt/flume-extra/*")
                    .contains("DEBUG [main] AgentCommand - [a1] configuration from " + config);
            assertThat(agent.stderr()).contains("flume-env.sh speaking");

            try (NetcatClient nc = new NetcatClient(port, Duration.ofSeconds(30))) {
                assertThat(nc.send("through flume-ng")).isEqualTo("OK");
            }
            agent.awaitLine("through flume-ng", Duration.ofSeconds(30));
        }
    }

    @Test
    void pluginsPathDefaultsToPluginsDirOfTheDistributionAndWarnHidesInfo() throws Exception {
        int port = Ports.free();
        Path config = netcatToLogger(port).writeTo(dir);

        try (ChildProcess agent = launch("sluice", "sluice-default-plugins", "agent", "-n", "a1", "-f",
                config.toString(), "--no-reload-conf", "--data-dir", dir.resolve("data").toString())) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            agent.awaitLine("sluice.plugins.path=" + Distribution.sluice().resolve("plugins.d")
                    + " sluice.plugins.classpath=(empty)", Duration.ofSeconds(10));
        }
        try (ChildProcess quiet = launch("sluice", "sluice-warn", "agent", "-n", "a1", "-f", config.toString(),
                "--no-reload-conf", "--data-dir", dir.resolve("data").toString(), "-Dflume.root.logger=WARN,console")) {
            Ports.awaitListening(quiet, port, Duration.ofSeconds(60));
            assertThat(quiet.stdout()).noneMatch(l -> l.contains(" INFO "));
        }
    }

    @Test
    void dryrunPrintsTheCommandValidatesAndExitsZeroOrOne() throws Exception {
        int port = Ports.free();
        Path good = netcatToLogger(port).writeTo(dir);
        try (ChildProcess dry = launch("flume-ng", "flume-ng-dryrun", "agent", "-n", "a1", "-f", good.toString(),
                "--dryrun", "-Xmx100m")) {
            assertThat(dry.awaitExit(Duration.ofSeconds(60))).as(dry.tail()).isZero();
            assertThat(dry.stderr()).contains("sluice: dry run; the command would be:");
            assertThat(dry.output()).contains("-Xmx100m").contains("Configuration OK");
        }
        assertThat(Ports.isListening(port)).as("nothing was started").isFalse();

        Path bad = Files.writeString(dir.resolve("bad.conf"), netcatToLogger(port).set("channels.c1.capacity", -5).text());
        try (ChildProcess dry = launch("flume-ng", "flume-ng-dryrun-bad", "agent", "-n", "a1", "-f", bad.toString(),
                "-d")) {
            assertThat(dry.awaitExit(Duration.ofSeconds(60))).as(dry.tail()).isEqualTo(1);
            assertThat(dry.output()).contains("a1.channels.c1.capacity = -5");
        }
    }

    @Test
    void confUriWithBasicAuthIsMergedOverTheFileAndReloadedWhenTheServerChangesIt() throws Exception {
        int first = Ports.free();
        int second = Ports.free();
        Path base = netcatToLogger(first).writeTo(dir);
        AtomicReference<String> served = new AtomicReference<>("# nothing to override yet\n");
        String expected = "Basic " + Base64.getEncoder().encodeToString("flume:s3cret".getBytes(StandardCharsets.UTF_8));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/a1.properties", exchange -> {
            byte[] body = served.get().getBytes(StandardCharsets.ISO_8859_1);
            if (expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(401, -1);
            }
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/a1.properties";
        try (ChildProcess agent = launch("flume-ng", "flume-ng-conf-uri", "agent", "-n", "a1", "-f", base.toString(),
                "-u", url, "--conf-user", "flume", "--conf-password", "s3cret", "-i", "1",
                "--data-dir", dir.resolve("data").toString())) {
            Ports.awaitListening(agent, first, Duration.ofSeconds(60));

            served.set("a1.sources.r1.port = " + second + "\n");

            Ports.awaitListening(agent, second, Duration.ofSeconds(60));
            await("the old port closed").atMost(Duration.ofSeconds(30)).until(() -> !Ports.isListening(first));
            agent.awaitLine("[a1] reloaded: kept: channels.c1, sinks.k1; restarted: sources.r1",
                    Duration.ofSeconds(10));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void zooKeeperNodeIsReadAndItsChangeReloadsTheAgentThroughTheWatch() throws Exception {
        int first = Ports.free();
        int second = Ports.free();
        ZooKeeperServer zkServer = new ZooKeeperServer(dir.resolve("zk").toFile(), dir.resolve("zk").toFile(), 200);
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
        factory.startup(zkServer);
        String connect = "127.0.0.1:" + factory.getLocalPort();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper admin = new ZooKeeper(connect, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        try {
            assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();
            admin.create("/agents", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            admin.create("/agents/a1", netcatToLogger(first).text().getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // An hour between polls: the reload below can only come from the ZooKeeper watch.
            try (ChildProcess agent = launch("flume-ng", "flume-ng-zookeeper", "agent", "-n", "a1", "-z", connect,
                    "-p", "/agents", "-i", "3600", "--data-dir", dir.resolve("data").toString())) {
                Ports.awaitListening(agent, first, Duration.ofSeconds(60));

                admin.setData("/agents/a1", netcatToLogger(second).text().getBytes(StandardCharsets.UTF_8), -1);

                Ports.awaitListening(agent, second, Duration.ofSeconds(60));
                agent.awaitLine("[a1] reloaded: kept: channels.c1, sinks.k1; restarted: sources.r1",
                        Duration.ofSeconds(10));
                assertThat(agent.output()).contains("zookeeper " + connect + "/agents/a1");
            }
        } finally {
            admin.close();
            factory.shutdown();
        }
    }

    @Test
    void flumeNgVersionHelpAndUnknownCommandsAnswerAsFlumesScript() throws Exception {
        try (ChildProcess version = launch("flume-ng", "flume-ng-version", "version")) {
            assertThat(version.awaitExit(Duration.ofSeconds(60))).as(version.tail()).isZero();
            assertThat(version.stdout()).singleElement().asString().startsWith("Sluice ");
        }
        try (ChildProcess help = launch("flume-ng", "flume-ng-help", "help")) {
            assertThat(help.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(help.output()).contains("Usage: flume-ng <command>").contains("--plugins-path")
                    .contains("--zkConnString,-z").contains("avro-client");
        }
        try (ChildProcess unknown = launch("flume-ng", "flume-ng-unknown", "agnet", "-n", "a1")) {
            assertThat(unknown.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(unknown.stderr()).contains("Error: Unknown or unspecified command 'agnet'");
        }
    }

    @Test
    void backupDirectoryLetsTheAgentStartWhenTheConfigurationServerIsDown() throws Exception {
        int port = Ports.free();
        String config = netcatToLogger(port).text();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/a1.properties", exchange -> {
            byte[] body = config.getBytes(StandardCharsets.ISO_8859_1);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/a1.properties";
        Path backups = dir.resolve("backups");
        try (ChildProcess agent = launch("flume-ng", "flume-ng-backup-1", "agent", "-n", "a1", "-u", url,
                "-b", backups.toString(), "--data-dir", dir.resolve("data").toString())) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            assertThat(backups.resolve(".a1.properties")).exists();
            agent.terminate();
            agent.awaitLine("[a1] stopped", Duration.ofSeconds(60));
        } finally {
            server.stop(0);
        }

        try (ChildProcess agent = launch("flume-ng", "flume-ng-backup-2", "agent", "-n", "a1", "-u", url,
                "-b", backups.toString(), "--data-dir", dir.resolve("data").toString())) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            assertThat(agent.output()).contains("using the copy of the last configuration read");
        }
    }
}
