package io.sluice.channel.jdbc;

import java.util.Locale;

/**
 * The {@code db.type} values (Apache Flume's names) and the column types the channel's table uses
 * on each.
 */
enum DatabaseType {
    DERBY("BIGINT", "BLOB"),
    MYSQL("BIGINT", "LONGBLOB"),
    POSTGRESQL("BIGINT", "BYTEA"),
    ORACLE("NUMBER(19)", "BLOB"),
    OTHER("BIGINT", "BLOB");

    private final String bigint;
    private final String binary;

    DatabaseType(String bigint, String binary) {
        this.bigint = bigint;
        this.binary = binary;
    }

    String bigint() {
        return bigint;
    }

    String binary() {
        return binary;
    }

    /** The type named {@code s} (any case), or null. */
    static DatabaseType byName(String s) {
        for (DatabaseType t : values()) {
            if (t.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }
}
