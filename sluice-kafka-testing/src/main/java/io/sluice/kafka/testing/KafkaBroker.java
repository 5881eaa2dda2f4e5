package io.sluice.kafka.testing;

import io.sluice.testing.FreePorts;
import io.sluice.testing.TestKeystores;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * One Apache Kafka broker in KRaft mode (node 1 is both broker and controller), started in this JVM
 * from Kafka's own server classes on 127.0.0.1. Ports are chosen free when the broker is created and
 * kept for its whole life: {@link #stop()} then {@link #start()} brings the same node back on the
 * same ports and log directory, with every record it had acknowledged, which is how tests restart
 * a broker under a running client.
 *
 * <p>Internal topics (consumer offsets, transaction state) have one partition and one replica, so a
 * single node serves consumer groups and transactions. Thread-safe: the lifecycle methods are
 * synchronized; the helpers open their own clients.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** The SASL mechanism of {@link #startSecured}'s SASL_SSL listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final int sslPort;
    private final int saslSslPort;
    private final TestKeystores keys;
    private final Map<String, String> scramUsers;
    private final Properties serverProperties;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDir, Map<String, String> overrides, TestKeystores keys, Map<String, String> scramUsers) {
        this.logDir = requireNonNull(logDir, "logDir is null");
        this.brokerPort = FreePorts.tcp();
        this.controllerPort = FreePorts.tcp();
        this.keys = keys;
        this.scramUsers = Map.copyOf(scramUsers);
        this.sslPort = keys == null ? -1 : FreePorts.tcp();
        this.saslSslPort = keys == null ? -1 : FreePorts.tcp();
        this.serverProperties = serverProperties(overrides);
    }

    /** Formats {@code directory} and starts a broker whose data lives there. */
    public static KafkaBroker start(Path directory) {
        return start(directory, Map.of());
    }

    /** As {@link #start(Path)}, with broker settings added or replaced (e.g. {@code num.partitions}). */
    public static KafkaBroker start(Path directory, Map<String, String> brokerOverrides) {
        KafkaBroker broker = new KafkaBroker(directory.resolve("kafka-logs"), brokerOverrides, null, Map.of());
        broker.format();
        broker.start();
        return broker;
    }

    /**
     * A broker with two more listeners: {@code SSL} (server authentication with {@code keys}' key store;
     * clients trust its trust store) and {@code SASL_SSL} with {@value #SCRAM_MECHANISM}, whose users
     * and passwords ({@code scramUsers}) are written when the log directory is formatted. The plaintext
     * listener stays for the broker's own traffic and the helpers ({@link #admin()}, {@link #readAll}).
     */
    public static KafkaBroker startSecured(Path directory, TestKeystores keys, Map<String, String> scramUsers) {
        requireNonNull(keys, "keys is null");
        KafkaBroker broker = new KafkaBroker(directory.resolve("kafka-logs"), Map.of(), keys, scramUsers);
        broker.format();
        broker.start();
        return broker;
    }

    /** {@code 127.0.0.1:port} of the SSL listener; only for a broker from {@link #startSecured}. */
    public String sslBootstrapServers() {
        requireSecured();
        return "127.0.0.1:" + sslPort;
    }

    /** {@code 127.0.0.1:port} of the SASL_SSL listener; only for a broker from {@link #startSecured}. */
    public String saslSslBootstrapServers() {
        requireSecured();
        return "127.0.0.1:" + saslSslPort;
    }

    private void requireSecured() {
        if (keys == null) {
            throw new IllegalStateException("this broker has no TLS listeners; start it with KafkaBroker.startSecured");
        }
    }

    /** {@code 127.0.0.1:port}, the value of a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int port() {
        return brokerPort;
    }

    /** Starts the broker again after {@link #stop()}; waits until it serves requests. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(serverProperties, false), Time.SYSTEM);
        s.startup();
        server = s;
        awaitReady();
        LOG.info("Kafka broker serving on {} (log directory {})", bootstrapServers(), logDir);
    }

    /** Shuts the broker down in an orderly way and waits until it has; its data stays on disk. */
    public synchronized void stop() {
        KafkaRaftServer s = server;
        if (s == null) {
            return;
        }
        server = null;
        s.shutdown();
        s.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Creates a topic with one replica; does nothing when it exists already. */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + topic + ": " + e.getCause(),
                            e.getCause());
                }
            }
            awaitLeaders(admin, topic, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + topic + " was not created within 60 s", e);
        }
    }

    /**
     * Waits until every partition's leader answers a latest-offset request: a topic is announced a moment
     * before its partitions take writes, and an idempotent producer writing in that moment can stall
     * (OUT_OF_ORDER_SEQUENCE_NUMBER, KAFKA-15591), which would make a test fail for the broker's reason.
     */
    private static void awaitLeaders(Admin admin, String topic, int partitions)
            throws InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the leaders of topic " + topic + " did not answer within 60 s: " + e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** A new admin client of this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * The partitions each member of consumer group {@code group} is assigned now, by member id (a
     * member that joined but holds no partition maps to an empty set); empty when no member has
     * joined the group yet.
     */
    public Map<String, Set<TopicPartition>> groupAssignment(String group) {
        try (Admin admin = admin()) {
            ConsumerGroupDescription d;
            try {
                d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    return Map.of(); // no member has joined yet
                }
                throw new IllegalStateException("could not describe group " + group + ": " + e.getCause(), e.getCause());
            }
            Map<String, Set<TopicPartition>> out = new TreeMap<>();
            for (MemberDescription m : d.members()) {
                out.put(m.consumerId(), Set.copyOf(m.assignment().topicPartitions()));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing group " + group, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("group " + group + " was not described within 30 s", e);
        }
    }

    /** How many members of consumer group {@code group} hold at least one partition now. */
    public int assignedMembers(String group) {
        return (int) groupAssignment(group).values().stream().filter(s -> !s.isEmpty()).count();
    }

    /** A new byte-array producer with {@code acks=all}, plus {@code extra} settings; the caller closes it. */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(extra);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes {@code bodies} to {@code topic} (no key), waiting for every acknowledgement. */
    public void produce(String topic, Collection<byte[]> bodies) {
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (byte[] body : bodies) {
                producer.send(new ProducerRecord<>(topic, body));
            }
            producer.flush();
        }
    }

    /**
     * Reads every record of {@code topic} from the beginning to its end as of now, with the given
     * isolation level ({@code read_committed} or {@code read_uncommitted}), without a consumer group.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolationLevel) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!reachedEnd(consumer, partitions, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end + " within 120 s");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                records.forEach(out::add);
            }
            return out;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < end.get(p)) {
                return false;
            }
        }
        return true;
    }

    private Properties serverProperties(Map<String, String> overrides) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER
                + "://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("controlled.shutdown.enable", "true");
        if (keys != null) {
            p.setProperty("listeners", p.getProperty("listeners") + ",SSL://127.0.0.1:" + sslPort
                    + ",SASL_SSL://127.0.0.1:" + saslSslPort);
            p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + ",SSL://127.0.0.1:" + sslPort
                    + ",SASL_SSL://127.0.0.1:" + saslSslPort);
            p.setProperty("listener.security.protocol.map", p.getProperty("listener.security.protocol.map")
                    + ",SSL:SSL,SASL_SSL:SASL_SSL");
            p.setProperty("ssl.keystore.location", keys.keystore().toString());
            p.setProperty("ssl.keystore.password", TestKeystores.PASSWORD);
            p.setProperty("ssl.key.password", TestKeystores.PASSWORD);
            p.setProperty("ssl.keystore.type", keys.type());
            p.setProperty("sasl.enabled.mechanisms", SCRAM_MECHANISM);
            p.setProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        overrides.forEach(p::setProperty);
        return p;
    }

    private void format() {
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setScramArguments(scramArguments())
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not format the Kafka log directory " + logDir + ": " + e, e);
        }
    }

    private List<String> scramArguments() {
        List<String> out = new ArrayList<>();
        scramUsers.forEach((user, password) -> out.add(SCRAM_MECHANISM + "=[name=" + user + ",password=" + password + "]"));
        return out;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
            }
        }
        throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not serve within "
                + READY_TIMEOUT.toSeconds() + " s: " + last, last);
    }
}
