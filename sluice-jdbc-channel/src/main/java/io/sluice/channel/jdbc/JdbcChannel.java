package io.sluice.channel.jdbc;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.PutCommitListeners;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code jdbc} channel: every event is a row of {@value #TABLE} ({@code CHANNEL}, {@code SEQ},
 * {@code PAYLOAD}; primary key {@code (CHANNEL, SEQ)}, payload as in {@link EventCodec}), so several
 * channels can share one database. A put commit inserts its rows and commits the database
 * transaction before it returns; a take commit deletes the rows it took and commits. What a database
 * commit keeps survives {@code kill -9} of the agent, and with a database that syncs its commits
 * (embedded Derby does by default) a machine crash too.
 *
 * <p>The channel keeps the row numbers ({@code SEQ}) that can be taken in a queue in memory, in the
 * order their put commits finished, loaded from the table at start (in {@code SEQ} order). A take
 * claims numbers from its head and reads their rows; a rollback gives them back to the head in
 * order. So each channel's table rows must be written only by this channel: one agent per
 * {@code (database, channel name)}.
 *
 * <p>Thread-safe. {@link #lock} guards {@link #queue}; it is never held during database work.
 */
public final class JdbcChannel implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcChannel.class);
    static final String TABLE = "SLUICE_CHANNEL_EVENT";

    private final String name;
    private final String label;
    private final JdbcChannelConfig config;
    private final ChannelCounter counter;
    private final Clock clock;
    private final PutCommitListeners putListeners = new PutCommitListeners();
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Long> queue = new ArrayDeque<>();
    private final AtomicLong nextSeq = new AtomicLong();
    /** Events committed or being committed, and not yet taken by a committed take: checked against maximum.capacity. */
    private final AtomicLong held = new AtomicLong();
    private volatile ConnectionPool pool;
    private volatile State state = State.IDLE;

    public JdbcChannel(String name, String label, JdbcChannelConfig config, ChannelCounter counter, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.label = requireNonNull(label, "label is null");
        this.config = requireNonNull(config, "config is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public State lifecycleState() {
        return state;
    }

    public JdbcChannelConfig config() {
        return config;
    }

    /** Connects, creates the table when asked to and loads the queue of events left from before. */
    @Override
    public synchronized void start() {
        if (state == State.STARTED) {
            return;
        }
        state = State.STARTING;
        for (Map.Entry<String, String> p : config.systemProperties().entrySet()) {
            System.setProperty(p.getKey(), p.getValue());
        }
        if (config.driverClass() != null && !config.driverClass().isBlank()) {
            try {
                Class.forName(config.driverClass().trim());
            } catch (ClassNotFoundException e) {
                state = State.ERROR;
                throw new ChannelException(label + " driver.class " + config.driverClass() + " is not on the class"
                        + " path; put the JDBC driver's jar in the distribution's lib/ (or plugins.d/<name>/lib)");
            }
        }
        ConnectionPool p = new ConnectionPool(label, config.url(), config.connectionProperties(), config.isolation(),
                config.maximumConnections());
        try (Connection c = p.connect()) {
            ensureTable(c);
            loadQueue(c);
            c.commit();
        } catch (SQLException e) {
            p.close();
            state = State.ERROR;
            throw new ChannelException(label + " cannot open its table in " + config.url() + ": " + e.getMessage()
                    + " (SQL state " + e.getSQLState() + "); check driver.url, db.username and db.password", e);
        } catch (RuntimeException e) {
            p.close();
            state = State.ERROR;
            throw e;
        }
        pool = p;
        counter.setCapacity(config.maximumCapacity());
        counter.markStarted(clock.millis());
        state = State.STARTED;
        LOG.info("{} jdbc channel started on {}: {} events queued, maximum.capacity {}", label, config.url(),
                queue.size(), config.maximumCapacity() == 0 ? "unlimited" : config.maximumCapacity());
    }

    private void ensureTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM " + TABLE + " WHERE 1 = 0").close();
            return;
        } catch (SQLException missing) {
            c.rollback();
            if (!config.createSchema()) {
                throw new ChannelException(label + " the table " + TABLE + " does not exist in " + config.url()
                        + " and create.schema is false: set create.schema = true, or create it with: "
                        + createTableSql() + " (" + missing.getMessage() + ")");
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(createTableSql());
        }
        c.commit();
        LOG.info("{} created table {} in {}", label, TABLE, config.url());
    }

    String createTableSql() {
        DatabaseType t = config.type();
        return "CREATE TABLE " + TABLE + " (CHANNEL VARCHAR(250) NOT NULL, SEQ " + t.bigint() + " NOT NULL, PAYLOAD "
                + t.binary() + " NOT NULL, PRIMARY KEY (CHANNEL, SEQ))";
    }

    private void loadQueue(Connection c) throws SQLException {
        long max = -1;
        lock.lock();
        try {
            queue.clear();
            try (PreparedStatement s = c.prepareStatement("SELECT SEQ FROM " + TABLE + " WHERE CHANNEL = ? ORDER BY SEQ")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        queue.addLast(seq);
                        max = seq;
                    }
                }
            }
            held.set(queue.size());
            counter.setSize(queue.size());
        } finally {
            lock.unlock();
        }
        nextSeq.set(max + 1);
    }

    /** Closes the connections; an embedded Derby database is shut down so its files are released. */
    @Override
    public synchronized void stop() {
        if (state != State.STARTED) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPING;
        ConnectionPool p = pool;
        pool = null;
        if (p != null) {
            p.close();
        }
        shutdownEmbeddedDerby();
        counter.markStopped(clock.millis());
        state = State.STOPPED;
        LOG.info("{} jdbc channel stopped; {} events stay in the database", label, size());
    }

    private void shutdownEmbeddedDerby() {
        String url = config.url();
        if (!url.startsWith("jdbc:derby:") || url.startsWith("jdbc:derby://")) {
            return;
        }
        int semi = url.indexOf(';');
        String shutdown = (semi < 0 ? url : url.substring(0, semi)) + ";shutdown=true";
        try {
            DriverManager.getConnection(shutdown).close();
        } catch (SQLException e) {
            // Derby reports a successful database shutdown as SQL state 08006
            if (!"08006".equals(e.getSQLState())) {
                LOG.warn("{} embedded Derby did not shut down cleanly: {}", label, e.getMessage());
            }
        }
    }

    @Override
    public Transaction getTransaction() {
        return new JdbcTransaction(this);
    }

    @Override
    public boolean addPutCommitListener(Runnable listener) {
        putListeners.add(listener);
        return true;
    }

    @Override
    public void removePutCommitListener(Runnable listener) {
        putListeners.remove(listener);
    }

    /** Events that can be taken now. */
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    String label() {
        return label;
    }

    String channelName() {
        return name;
    }

    ChannelCounter counter() {
        return counter;
    }

    ConnectionPool pool() {
        ConnectionPool p = pool;
        if (p == null || state != State.STARTED) {
            throw new ChannelException(label + " is " + state + ", not STARTED; start it before using transactions");
        }
        return p;
    }

    /** Reserves room for {@code n} puts and their row numbers; fails as full past maximum.capacity. */
    long reservePuts(int n) {
        long max = config.maximumCapacity();
        long now = held.addAndGet(n);
        if (max > 0 && now > max) {
            held.addAndGet(-n);
            throw new ChannelFullException(label + " jdbc channel is full: it holds " + (now - n) + " of " + max
                    + " events (maximum.capacity) and " + n + " more do not fit. The sinks are not keeping up: add or"
                    + " speed up sinks, or raise " + label + ".maximum.capacity");
        }
        return nextSeq.getAndAdd(n);
    }

    /** Gives back room reserved by {@link #reservePuts} for a commit that failed. */
    void releasePuts(int n) {
        held.addAndGet(-n);
    }

    /** Makes committed rows {@code first .. first + n - 1} takeable, after every other one. */
    void putsCommitted(long first, int n) {
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                queue.addLast(first + i);
            }
            counter.setSize(queue.size());
        } finally {
            lock.unlock();
        }
        counter.addPutSuccesses(n);
        putListeners.fire();
    }

    /** Claims up to {@code max} row numbers from the head into {@code out}. */
    int claim(int max, List<Long> out) {
        lock.lock();
        try {
            int n = 0;
            while (n < max && !queue.isEmpty()) {
                out.add(queue.pollFirst());
                n++;
            }
            counter.setSize(queue.size());
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Puts claimed row numbers back at the head, in their order. */
    void unclaim(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (int i = seqs.size() - 1; i >= 0; i--) {
                queue.addFirst(seqs.get(i));
            }
            counter.setSize(queue.size());
        } finally {
            lock.unlock();
        }
        putListeners.fire();
    }

    void takesCommitted(int n) {
        held.addAndGet(-n);
        counter.addTakeSuccesses(n);
    }

    @Override
    public String toString() {
        return "JdbcChannel" + label;
    }
}
