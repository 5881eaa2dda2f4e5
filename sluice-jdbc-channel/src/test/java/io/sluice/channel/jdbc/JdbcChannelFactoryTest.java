package io.sluice.channel.jdbc;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.core.config.SingleComponentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcChannelFactoryTest {
    @TempDir
    Path dir;

    @Test
    void isFoundThroughServiceLoaderUnderFlumesNames() {
        List<String> aliases = ServiceLoader.load(ComponentFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f instanceof JdbcChannelFactory)
                .map(f -> f.alias() + " " + f.otherNames())
                .toList();
        assertThat(aliases).containsExactly("jdbc [org.apache.flume.channel.jdbc.JdbcChannel]");
    }

    @Test
    void defaultsAreFlumesWithTheDatabaseUnderTheAgentDataDirectory() {
        SingleComponentConfig ctx = channelConfig();
        JdbcChannel ch = (JdbcChannel) new JdbcChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        JdbcChannelConfig c = ch.config();
        assertThat(c.type()).isEqualTo(DatabaseType.DERBY);
        assertThat(c.driverClass()).isEqualTo("org.apache.derby.jdbc.EmbeddedDriver");
        assertThat(c.url()).isEqualTo("jdbc:derby:" + dir.resolve("channels/c1/db").toAbsolutePath() + ";create=true");
        assertThat(c.connectionProperties()).containsEntry("user", "sa").containsEntry("password", "");
        assertThat(c.createSchema()).isTrue();
        assertThat(c.isolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(c.maximumConnections()).isEqualTo(10);
        assertThat(c.maximumCapacity()).isZero();
        ch.start();
        try {
            JdbcChannelTest.putRange(ch, 0, 3);
            assertThat(JdbcChannelTest.drain(ch)).isEqualTo(JdbcChannelTest.range(0, 3));
        } finally {
            ch.stop();
        }
    }

    @Test
    void readsFlumesKeys() throws Exception {
        Path props = dir.resolve("conn.properties");
        Files.writeString(props, "user=ignored\nderby.language.sequence.preallocator=20\n");
        SingleComponentConfig ctx = channelConfig("db.type", "derby", "driver.url", "jdbc:derby:memory:x;create=true",
                "db.username", "app", "db.password", "pw", "connection.properties.file", props.toString(),
                "create.schema", "false", "create.index", "false", "create.foreignkey", "false",
                "transaction.isolation", "SERIALIZABLE", "maximum.connections", "4", "maximum.capacity", "5000",
                "sysprop.sluice.test.jdbc", "yes", "sysprop.user.home", dir.toString());
        JdbcChannel ch = (JdbcChannel) new JdbcChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        JdbcChannelConfig c = ch.config();
        assertThat(c.url()).isEqualTo("jdbc:derby:memory:x;create=true");
        assertThat(c.connectionProperties()).containsEntry("user", "app").containsEntry("password", "pw")
                .containsEntry("derby.language.sequence.preallocator", "20");
        assertThat(c.createSchema()).isFalse();
        assertThat(c.isolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(c.maximumConnections()).isEqualTo(4);
        assertThat(c.maximumCapacity()).isEqualTo(5000);
        assertThat(c.systemProperties()).containsEntry("sluice.test.jdbc", "yes");
        assertThat(ctx.warnings()).isEmpty();
    }

    @Test
    void flumesDeprecatedLongFormKeysAreReadWithAWarning() {
        SingleComponentConfig ctx = channelConfig("org.apache.flume.channel.jdbc.maximum.capacity", "77",
                "org.apache.flume.channel.jdbc.db.username", "app", "db.username", "wins",
                "org.apache.flume.channel.jdbc.sysprop.sluice.test.old", "1");
        JdbcChannel ch = (JdbcChannel) new JdbcChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        assertThat(ch.config().maximumCapacity()).isEqualTo(77);
        assertThat(ch.config().connectionProperties()).containsEntry("user", "wins");
        assertThat(ch.config().systemProperties()).containsEntry("sluice.test.old", "1");
        assertThat(ctx.warnings())
                .anySatisfy(w -> assertThat(w).contains("org.apache.flume.channel.jdbc.maximum.capacity")
                        .contains("deprecated"))
                .anySatisfy(w -> assertThat(w).contains("org.apache.flume.channel.jdbc.db.username").contains("wins"));

        SingleComponentConfig bad = channelConfig("org.apache.flume.channel.jdbc.maximum.connections", "x");
        new JdbcChannelFactory().create(bad.context());
        assertThat(bad.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .startsWith("a1.channels.c1.org.apache.flume.channel.jdbc.maximum.connections = x"));
    }

    @Test
    void sysPropUserHomePutsTheDefaultDatabaseWhereFlumeDoes() {
        SingleComponentConfig ctx = channelConfig("sysprop.user.home", dir + "/home");
        JdbcChannel ch = (JdbcChannel) new JdbcChannelFactory().create(ctx.context());
        assertThat(ch.config().url()).isEqualTo("jdbc:derby:" + dir.resolve("home/.flume/jdbc-channel/db")
                + ";create=true");
    }

    @Test
    void badValuesAreProblemsNamingTheKey() {
        SingleComponentConfig ctx = channelConfig("db.type", "sybase", "transaction.isolation", "SNAPSHOT",
                "maximum.connections", "0", "maximum.capacity", "-1", "connection.properties.file",
                dir + "/missing.properties");
        new JdbcChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.db.type = sybase"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.transaction.isolation = SNAPSHOT"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.maximum.connections = 0"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.maximum.capacity = -1"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.connection.properties.file")
                        .contains("cannot be read"));

        SingleComponentConfig noUrl = channelConfig("db.type", "POSTGRESQL");
        assertThat(new JdbcChannelFactory().create(noUrl.context())).isNull();
        assertThat(noUrl.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .contains("a1.channels.c1.driver.url").contains("is required when db.type is"));
    }

    private SingleComponentConfig channelConfig(String... keysAndValues) {
        return SingleComponentConfig.builder(ComponentKind.CHANNEL, "c1").agentDataDirectory(dir)
                .keys(keysAndValues).build();
    }
}
