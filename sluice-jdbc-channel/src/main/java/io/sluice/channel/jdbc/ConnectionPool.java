package io.sluice.channel.jdbc;

import io.sluice.api.ChannelException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * At most {@code max} JDBC connections, opened on demand, with auto-commit off and the configured
 * isolation. A connection that failed is discarded rather than returned. Thread-safe: {@link #lock}
 * guards {@link #idle} and {@link #open}; connections are opened outside it.
 */
final class ConnectionPool implements AutoCloseable {
    private final String label;
    private final String url;
    private final Properties properties;
    private final int isolation;
    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private int open;
    private boolean closed;

    ConnectionPool(String label, String url, Properties properties, int isolation, int max) {
        this.label = requireNonNull(label, "label is null");
        this.url = requireNonNull(url, "url is null");
        this.properties = requireNonNull(properties, "properties is null");
        this.isolation = isolation;
        this.max = max;
    }

    /** A connection, waiting up to 30 s for one when {@code maximum.connections} are in use. */
    Connection borrow() {
        lock.lock();
        try {
            long waitNanos = TimeUnit.SECONDS.toNanos(30);
            while (!closed && idle.isEmpty() && open >= max) {
                if (waitNanos <= 0) {
                    throw new ChannelException(label + " all " + max + " database connections (maximum.connections)"
                            + " stayed in use for 30 s; raise maximum.connections or use fewer concurrent"
                            + " transactions");
                }
                try {
                    waitNanos = returned.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChannelException(label + " interrupted while waiting for a database connection");
                }
            }
            if (closed) {
                throw new ChannelException(label + " is stopped; its database connections are closed");
            }
            Connection c = idle.pollFirst();
            if (c != null) {
                return c;
            }
            open++;
        } finally {
            lock.unlock();
        }
        try {
            return connect();
        } catch (SQLException | RuntimeException e) {
            release(null);
            throw new ChannelException(label + " cannot connect to " + url + ": " + e.getMessage()
                    + "; check driver.url, db.username, db.password and that the database is up", e);
        }
    }

    /** Opens a connection outside the pool's accounting (start-up work). */
    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, properties);
        c.setAutoCommit(false);
        c.setTransactionIsolation(isolation);
        return c;
    }

    /** Gives {@code c} back; {@code broken} closes it instead. */
    void giveBack(Connection c, boolean broken) {
        if (broken) {
            closeQuietly(c);
            release(null);
            return;
        }
        release(c);
    }

    private void release(Connection c) {
        boolean close = false;
        lock.lock();
        try {
            if (c != null && !closed) {
                idle.addFirst(c);
            } else {
                open--;
                close = c != null;
            }
            returned.signal();
        } finally {
            lock.unlock();
        }
        if (close) {
            closeQuietly(c);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Connection c : idle) {
                closeQuietly(c);
                open--;
            }
            idle.clear();
            returned.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // closing is what matters
        }
        try {
            c.close();
        } catch (SQLException e) {
            // already broken; nothing else to do with it
        }
    }
}
