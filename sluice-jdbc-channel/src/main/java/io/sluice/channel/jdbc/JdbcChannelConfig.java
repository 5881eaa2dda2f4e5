package io.sluice.channel.jdbc;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The typed configuration of a {@code jdbc} channel: Apache Flume 1.11's keys and defaults, except
 * that the default embedded Derby database lives under the agent's data directory
 * ({@code <data>/channels/<name>/db}), never in the user's home, unless {@code sysprop.user.home}
 * asks for Flume's place. Immutable.
 */
public final class JdbcChannelConfig {
    static final String DERBY_DRIVER = "org.apache.derby.jdbc.EmbeddedDriver";

    public static final ConfigKey<String> DB_TYPE = ConfigKey.choiceKey("db.type", "DERBY",
            "The database: DERBY, MYSQL, POSTGRESQL, ORACLE or OTHER; it picks the column types of the table.",
            "DERBY", "MYSQL", "POSTGRESQL", "ORACLE", "OTHER");
    public static final ConfigKey<String> DRIVER_CLASS = ConfigKey.stringKey("driver.class", DERBY_DRIVER,
            "The JDBC driver class, loaded before connecting; its jar goes in lib/ or plugins.d/.");
    public static final ConfigKey<String> DRIVER_URL = ConfigKey.stringKey("driver.url", null,
            "The JDBC URL. Default: an embedded Derby database in <agent data dir>/channels/<name>/db.");
    public static final ConfigKey<String> DB_USERNAME = ConfigKey.stringKey("db.username", "sa",
            "The database user.");
    public static final ConfigKey<String> DB_PASSWORD = ConfigKey.stringKey("db.password", "",
            "The database user's password.");
    public static final ConfigKey<String> CONNECTION_PROPERTIES_FILE = ConfigKey.stringKey(
            "connection.properties.file", null,
            "A properties file whose entries are passed to the driver when connecting (db.username and"
                    + " db.password win over its user and password).");
    public static final ConfigKey<Boolean> CREATE_SCHEMA = ConfigKey.boolKey("create.schema", true,
            "Create the table when it is missing; false makes a missing table an error at start.");
    public static final ConfigKey<Boolean> CREATE_INDEX = ConfigKey.boolKey("create.index", true,
            "Accepted for compatibility: the table's primary key (channel, seq) is the only index it needs.");
    public static final ConfigKey<Boolean> CREATE_FOREIGNKEY = ConfigKey.boolKey("create.foreignkey", true,
            "Accepted for compatibility: the table has no foreign keys (headers and body share a row).");
    public static final ConfigKey<String> TRANSACTION_ISOLATION = ConfigKey.choiceKey("transaction.isolation",
            "READ_COMMITTED", "The isolation level of the channel's database transactions.", "READ_UNCOMMITTED",
            "READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE");
    public static final ConfigKey<Integer> MAXIMUM_CONNECTIONS = ConfigKey.intKey("maximum.connections", 10,
            "The most database connections open at once; a transaction holds one from its first put or take"
                    + " to its end.").atLeast(2);
    public static final ConfigKey<Long> MAXIMUM_CAPACITY = ConfigKey.longKey("maximum.capacity", 0L,
            "The most events in the channel; 0 for no limit.").atLeast(0);
    /** Documents the {@code sysprop.*} keys; they are read as a prefix. */
    static final ConfigKey<String> SYSPROP = ConfigKey.stringKey("sysprop.*", null,
            "Each sysprop.NAME = VALUE sets the JVM system property NAME (e.g. derby.system.home) before the"
                    + " first connection; sysprop.user.home puts the default Derby database in"
                    + " <it>/.flume/jdbc-channel/db, as Apache Flume does.");

    private static final List<ConfigKey<?>> SHORT_KEYS = List.of(DB_TYPE, DRIVER_CLASS, DRIVER_URL, DB_USERNAME,
            DB_PASSWORD, CONNECTION_PROPERTIES_FILE, CREATE_SCHEMA, CREATE_INDEX, CREATE_FOREIGNKEY,
            TRANSACTION_ISOLATION, MAXIMUM_CONNECTIONS, MAXIMUM_CAPACITY, SYSPROP);
    /** Apache Flume's deprecated long form of every key: this prefix and the short key. */
    static final String LONG_FORM_PREFIX = "org.apache.flume.channel.jdbc.";

    static final List<ConfigKey<?>> KEYS = keys();

    private static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> k = new ArrayList<>(SHORT_KEYS);
        for (ConfigKey<?> s : SHORT_KEYS) {
            k.add(ConfigKey.stringKey(LONG_FORM_PREFIX + s.name(), null, "Apache Flume's deprecated long form of "
                    + s.name() + "; accepted with a warning, the short form wins when both are set."));
        }
        return List.copyOf(k);
    }

    private final DatabaseType type;
    private final String driverClass;
    private final String url;
    private final Properties connectionProperties;
    private final boolean createSchema;
    private final int isolation;
    private final int maximumConnections;
    private final long maximumCapacity;
    private final Map<String, String> systemProperties;

    JdbcChannelConfig(DatabaseType type, String driverClass, String url, Properties connectionProperties,
            boolean createSchema, int isolation, int maximumConnections, long maximumCapacity,
            Map<String, String> systemProperties) {
        this.type = requireNonNull(type, "type is null");
        this.driverClass = driverClass;
        this.url = requireNonNull(url, "url is null");
        this.connectionProperties = new Properties();
        this.connectionProperties.putAll(requireNonNull(connectionProperties, "connectionProperties is null"));
        this.createSchema = createSchema;
        this.isolation = isolation;
        this.maximumConnections = maximumConnections;
        this.maximumCapacity = maximumCapacity;
        this.systemProperties = Map.copyOf(systemProperties);
    }

    /** An embedded Derby database in {@code dir} with every other key at its default (for tests and tools). */
    public static JdbcChannelConfig derby(Path dir) {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return new JdbcChannelConfig(DatabaseType.DERBY, DERBY_DRIVER, derbyUrl(dir), p, true,
                Connection.TRANSACTION_READ_COMMITTED, 10, 0, Map.of());
    }

    static String derbyUrl(Path dir) {
        return "jdbc:derby:" + dir.toAbsolutePath().toString().replace('\\', '/') + ";create=true";
    }

    /** Reads every key, reporting problems to {@code ctx}; null when the channel cannot be built. */
    static JdbcChannelConfig read(ComponentContext ctx) {
        String typeName = get(ctx, DB_TYPE);
        DatabaseType type = DatabaseType.byName(typeName);
        String driver = get(ctx, DRIVER_CLASS);
        String url = get(ctx, DRIVER_URL);
        String user = get(ctx, DB_USERNAME);
        String password = get(ctx, DB_PASSWORD);
        String propsFile = get(ctx, CONNECTION_PROPERTIES_FILE);
        boolean createSchema = get(ctx, CREATE_SCHEMA);
        get(ctx, CREATE_INDEX);
        get(ctx, CREATE_FOREIGNKEY);
        int isolation = isolation(get(ctx, TRANSACTION_ISOLATION));
        int connections = get(ctx, MAXIMUM_CONNECTIONS);
        long capacity = get(ctx, MAXIMUM_CAPACITY);
        Map<String, String> sysprops = new LinkedHashMap<>();
        Map<String, String> oldSysprops = ctx.subProperties(LONG_FORM_PREFIX + "sysprop.");
        for (String k : oldSysprops.keySet()) {
            ctx.warn(LONG_FORM_PREFIX + "sysprop." + k, "is deprecated (Apache Flume too); use sysprop." + k);
        }
        sysprops.putAll(oldSysprops);
        sysprops.putAll(ctx.subProperties("sysprop."));
        boolean ok = type != null;
        Properties props = new Properties();
        if (propsFile != null) {
            Path f = Paths.get(propsFile);
            try (InputStream in = Files.newInputStream(f)) {
                props.load(in);
            } catch (IOException e) {
                ctx.problem(CONNECTION_PROPERTIES_FILE.name(), propsFile, "cannot be read: " + e,
                        "point it to a readable properties file, or remove the key");
                ok = false;
            }
        }
        props.setProperty("user", user);
        props.setProperty("password", password);
        if (url == null) {
            if (type != DatabaseType.DERBY) {
                ctx.problem(DRIVER_URL.name(), null, "is required when db.type is " + typeName,
                        "set driver.url to the database's JDBC URL, e.g. jdbc:postgresql://dbhost/flume");
                ok = false;
            } else {
                String home = sysprops.get("user.home");
                Path dir = home != null ? Paths.get(home, ".flume", "jdbc-channel", "db")
                        : ctx.dataDirectory().resolve("db");
                url = derbyUrl(dir);
            }
        }
        if (!ok) {
            return null;
        }
        return new JdbcChannelConfig(type, driver, url, props, createSchema, isolation, connections, capacity,
                sysprops);
    }

    /**
     * The value of {@code key}, or of Apache Flume's deprecated long form
     * ({@code org.apache.flume.channel.jdbc.<key>}) when only that is set, with a warning.
     */
    private static <T> T get(ComponentContext ctx, ConfigKey<T> key) {
        String longName = LONG_FORM_PREFIX + key.name();
        if (ctx.raw(key.name()).isPresent()) {
            if (ctx.raw(longName).isPresent()) {
                ctx.warn(longName, "ignored: " + key.name() + " is set too and wins");
            }
            return ctx.get(key);
        }
        String raw = ctx.raw(longName).orElse(null);
        if (raw == null) {
            return ctx.get(key);
        }
        ctx.warn(longName, "is deprecated (Apache Flume too); use " + key.name());
        try {
            return key.parse(raw);
        } catch (ConfigKey.InvalidValueException e) {
            ctx.problem(longName, raw, e.rule(), e.fix());
            return key.defaultValue();
        }
    }

    private static int isolation(String name) {
        switch (name) {
            case "READ_UNCOMMITTED":
                return Connection.TRANSACTION_READ_UNCOMMITTED;
            case "REPEATABLE_READ":
                return Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE":
                return Connection.TRANSACTION_SERIALIZABLE;
            default:
                return Connection.TRANSACTION_READ_COMMITTED;
        }
    }

    DatabaseType type() {
        return type;
    }

    /** The driver class to load, or null to rely on the drivers JDBC finds by itself. */
    public String driverClass() {
        return driverClass;
    }

    public String url() {
        return url;
    }

    /** A copy of what is passed to the driver (user and password included). */
    Properties connectionProperties() {
        Properties p = new Properties();
        p.putAll(connectionProperties);
        return p;
    }

    public boolean createSchema() {
        return createSchema;
    }

    /** A {@link Connection} TRANSACTION_* constant. */
    public int isolation() {
        return isolation;
    }

    public int maximumConnections() {
        return maximumConnections;
    }

    /** 0 for no limit. */
    public long maximumCapacity() {
        return maximumCapacity;
    }

    Map<String, String> systemProperties() {
        return systemProperties;
    }

    public JdbcChannelConfig withMaximumCapacity(long capacity) {
        return new JdbcChannelConfig(type, driverClass, url, connectionProperties, createSchema, isolation,
                maximumConnections, capacity, systemProperties);
    }

    @Override
    public String toString() {
        return "JdbcChannelConfig{type=" + type + ", url=" + url + ", maximumConnections=" + maximumConnections
                + ", maximumCapacity=" + maximumCapacity + "}";
    }
}
