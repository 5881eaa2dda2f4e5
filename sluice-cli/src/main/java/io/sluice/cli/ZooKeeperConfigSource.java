package io.sluice.cli;

import io.sluice.core.config.OrderedProperties;
import io.sluice.core.config.source.ConfigSource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * An agent's configuration in a ZooKeeper node, where Apache Flume keeps it: {@code <basePath>/<agent>}
 * ({@code -z/--zkConnString}, {@code -p/--zkBasePath}, default base path {@code /flume}), its data
 * being the properties text (UTF-8). Every read sets a data watch, so a change of the node tells
 * the supervisor at once through the {@link #watch} listener. The ZooKeeper client reconnects by
 * itself; an expired session is replaced on the next read. Thread-safe: the client is guarded by
 * this object's monitor, which is never held while waiting on the network.
 */
final class ZooKeeperConfigSource implements ConfigSource {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperConfigSource.class);
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final String connectString;
    private final String path;
    private volatile Runnable listener = () -> { };
    private ZooKeeper client;
    private CountDownLatch connected;
    private boolean closed;

    private ZooKeeperConfigSource(String connectString, String path) {
        this.connectString = connectString;
        this.path = path;
    }

    /**
     * @throws IllegalArgumentException naming the option when the connection string or base path is bad
     */
    static ZooKeeperConfigSource connect(String connectString, String basePath, String agentName) {
        requireNonNull(connectString, "connectString is null");
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("-z/--zkConnString is empty (expected: host:port[,host:port...])");
        }
        String base = basePath == null || basePath.isBlank() ? ConfigSourceOptions.DEFAULT_ZK_BASE_PATH : basePath.trim();
        if (!base.startsWith("/")) {
            throw new IllegalArgumentException("-p/--zkBasePath " + basePath + ": must start with '/' (e.g. /flume)");
        }
        String path = (base.endsWith("/") ? base : base + "/") + agentName;
        return new ZooKeeperConfigSource(connectString.trim(), path);
    }

    /** The node read, e.g. {@code /flume/a1}. */
    String path() {
        return path;
    }

    @Override
    public String describe() {
        return "zookeeper " + connectString + path;
    }

    @Override
    public void watch(Runnable onChange) {
        this.listener = requireNonNull(onChange, "onChange is null");
    }

    @Override
    public Content read() throws IOException {
        ZooKeeper zk = client();
        try {
            byte[] data = zk.getData(path, this::nodeEvent, null);
            byte[] raw = data == null ? new byte[0] : data;
            return new Content(raw, OrderedProperties.loadUtf8(raw, describe()));
        } catch (KeeperException.NoNodeException e) {
            // Watch for its creation, so the agent starts reading it as soon as it appears.
            existsWatch(zk);
            throw new IOException("node " + path + " does not exist; create it with the agent's configuration as its"
                    + " data (e.g. zkCli.sh create " + path + " \"$(cat flume.conf)\"), or fix -p/--zkBasePath");
        } catch (KeeperException.SessionExpiredException e) {
            replaceExpired(zk);
            throw new IOException("the ZooKeeper session to " + connectString + " expired; a new one is being opened", e);
        } catch (KeeperException e) {
            throw new IOException("cannot read " + path + " from ZooKeeper at " + connectString + ": " + e.getMessage()
                    + "; check that the servers are up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + path + " from ZooKeeper", e);
        }
    }

    private void existsWatch(ZooKeeper zk) {
        try {
            zk.exists(path, this::nodeEvent);
        } catch (KeeperException e) {
            LOG.debug("cannot watch {} for creation: {}", path, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void nodeEvent(WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            LOG.debug("{}: {}", path, event);
            listener.run();
        }
    }

    /** The client, connected; opens one when there is none. Waits for the connection without the monitor. */
    private ZooKeeper client() throws IOException {
        ZooKeeper zk;
        CountDownLatch latch;
        synchronized (this) {
            if (closed) {
                throw new IOException("the ZooKeeper configuration source " + describe() + " is closed");
            }
            if (client == null) {
                CountDownLatch c = new CountDownLatch(1);
                client = new ZooKeeper(connectString, (int) SESSION_TIMEOUT.toMillis(), event -> {
                    if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        c.countDown();
                    }
                });
                connected = c;
            }
            zk = client;
            latch = connected;
        }
        try {
            if (!latch.await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("cannot connect to ZooKeeper at " + connectString + " within "
                        + CONNECT_TIMEOUT.toSeconds() + " s; check -z/--zkConnString and that the servers are up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to ZooKeeper at " + connectString, e);
        }
        return zk;
    }

    private void replaceExpired(ZooKeeper expired) {
        synchronized (this) {
            if (client != expired) {
                return;
            }
            client = null;
        }
        closeClient(expired);
    }

    private static void closeClient(ZooKeeper zk) {
        try {
            zk.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ZooKeeper zk;
        synchronized (this) {
            closed = true;
            zk = client;
            client = null;
        }
        if (zk != null) {
            closeClient(zk);
        }
    }
}
