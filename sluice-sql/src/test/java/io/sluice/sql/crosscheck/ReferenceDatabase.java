package io.sluice.sql.crosscheck;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory H2 database holding the same events as the engine read, to compute the expected rows. */
final class ReferenceDatabase implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final Connection conn;

    ReferenceDatabase() throws SQLException {
        conn = DriverManager.getConnection("jdbc:h2:mem:crosscheck" + SEQ.incrementAndGet());
    }

    void load(String table, List<Events.Event> events) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INT, ts BIGINT, k VARCHAR(20), v INT, x DOUBLE PRECISION)");
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?)")) {
            for (Events.Event e : events) {
                ps.setInt(1, e.id());
                ps.setLong(2, e.ts());
                ps.setString(3, e.k());
                if (e.v() == null) {
                    ps.setNull(4, Types.INTEGER);
                } else {
                    ps.setInt(4, e.v());
                }
                ps.setDouble(5, e.x());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
