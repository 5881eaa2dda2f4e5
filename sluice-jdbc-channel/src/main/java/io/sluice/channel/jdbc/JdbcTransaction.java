package io.sluice.channel.jdbc;

import io.sluice.api.BasicTransaction;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One transaction on a {@link JdbcChannel}, and one database transaction on a connection it holds
 * from its first take (or its commit) to its end. Puts stay here until commit, which inserts them
 * and deletes the taken rows in the same database transaction. Takes claim row numbers at once and
 * read their rows; rollback gives the numbers back to the head of the channel in their order.
 * Owned by one thread.
 */
final class JdbcTransaction extends BasicTransaction {
    private final JdbcChannel channel;
    private final String table = JdbcChannel.TABLE;
    private final List<Event> puts = new ArrayList<>();
    private final List<Long> claimed = new ArrayList<>();
    private Connection connection;
    private boolean broken;

    JdbcTransaction(JdbcChannel channel) {
        this.channel = channel;
    }

    @Override
    protected void doBegin() {
        channel.pool();
    }

    @Override
    protected void doPut(Event event) {
        channel.counter().addPutAttempts(1);
        puts.add(event);
    }

    @Override
    protected Event doTake() {
        List<Event> one = new ArrayList<>(1);
        return doTakeBatch(1, one) == 0 ? null : one.get(0);
    }

    @Override
    protected int doTakeBatch(int max, List<? super Event> out) {
        List<Long> seqs = new ArrayList<>(Math.min(max, 1024));
        int n = channel.claim(max, seqs);
        channel.counter().addTakeAttempts(n < max ? n + 1 : n);
        if (n == 0) {
            return 0;
        }
        claimed.addAll(seqs);
        Map<Long, Event> rows = new HashMap<>(n * 2);
        try {
            Connection c = connection();
            try (PreparedStatement s = c.prepareStatement("SELECT SEQ, PAYLOAD FROM " + table
                    + " WHERE CHANNEL = ? AND SEQ >= ? AND SEQ <= ?")) {
                for (long[] run : runs(seqs)) {
                    s.setString(1, channel.channelName());
                    s.setLong(2, run[0]);
                    s.setLong(3, run[1]);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            rows.put(rs.getLong(1), EventCodec.decode(rs.getBytes(2)));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            broken = true;
            throw new ChannelException(channel.label() + " could not read " + n + " event(s) from " + table + ": "
                    + e.getMessage() + " (SQL state " + e.getSQLState() + "); roll back and retry", e);
        } catch (IOException e) {
            throw new ChannelException(channel.label() + " an event row of " + table + " is unreadable: "
                    + e.getMessage(), e);
        }
        for (long seq : seqs) {
            Event e = rows.get(seq);
            if (e == null) {
                throw new ChannelException(channel.label() + " row " + seq + " of channel '" + channel.channelName()
                        + "' is gone from " + table + "; something other than this channel changed the table");
            }
            out.add(e);
        }
        return n;
    }

    /** Splits ascending-or-not row numbers into runs of consecutive numbers, {@code [first, last]} each. */
    private static List<long[]> runs(List<Long> seqs) {
        List<long[]> out = new ArrayList<>();
        long first = seqs.get(0);
        long last = first;
        for (int i = 1; i < seqs.size(); i++) {
            long s = seqs.get(i);
            if (s == last + 1) {
                last = s;
            } else {
                out.add(new long[] {first, last});
                first = s;
                last = s;
            }
        }
        out.add(new long[] {first, last});
        return out;
    }

    private Connection connection() {
        if (connection == null) {
            connection = channel.pool().borrow();
        }
        return connection;
    }

    @Override
    protected void doCommit() {
        if (puts.isEmpty() && claimed.isEmpty()) {
            giveBack();
            return;
        }
        long start = System.nanoTime();
        int n = puts.size();
        long first = n > 0 ? channel.reservePuts(n) : 0;
        try {
            Connection c = connection();
            if (n > 0) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                        + " (CHANNEL, SEQ, PAYLOAD) VALUES (?, ?, ?)")) {
                    for (int i = 0; i < n; i++) {
                        s.setString(1, channel.channelName());
                        s.setLong(2, first + i);
                        s.setBytes(3, EventCodec.encode(puts.get(i)));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            if (!claimed.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                        + " WHERE CHANNEL = ? AND SEQ >= ? AND SEQ <= ?")) {
                    for (long[] run : runs(claimed)) {
                        s.setString(1, channel.channelName());
                        s.setLong(2, run[0]);
                        s.setLong(3, run[1]);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            if (n > 0) {
                channel.releasePuts(n);
            }
            broken = e instanceof SQLException;
            rollbackQuietly();
            if (e instanceof ChannelException) {
                throw (ChannelException) e;
            }
            throw new ChannelException(channel.label() + " the database commit failed, nothing of this transaction"
                    + " was kept: " + e.getMessage() + (e instanceof SQLException ? " (SQL state "
                    + ((SQLException) e).getSQLState() + ")" : "") + "; roll back and retry", e);
        }
        channel.counter().commitLatency(n, claimed.size(), System.nanoTime() - start);
        if (n > 0) {
            channel.putsCommitted(first, n);
        }
        if (!claimed.isEmpty()) {
            channel.takesCommitted(claimed.size());
        }
        puts.clear();
        claimed.clear();
        giveBack();
    }

    @Override
    protected void doRollback() {
        puts.clear();
        rollbackQuietly();
        channel.unclaim(claimed);
        claimed.clear();
        giveBack();
    }

    private void rollbackQuietly() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                broken = true;
            }
        }
    }

    @Override
    protected void doClose() {
        giveBack();
    }

    private void giveBack() {
        if (connection != null) {
            channel.pool().giveBack(connection, broken);
            connection = null;
        }
    }
}
