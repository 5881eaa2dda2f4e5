package io.sluice.channel.file.spillable;

import io.sluice.api.Channel;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.channel.file.TestChannels;
import io.sluice.core.config.SingleComponentConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SpillableMemoryChannelFactoryTest {
    @TempDir
    Path dir;

    @Test
    void isFoundThroughServiceLoaderUnderFlumesNames() {
        List<String> aliases = ServiceLoader.load(ComponentFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f instanceof SpillableMemoryChannelFactory)
                .map(f -> f.alias() + " " + f.otherNames())
                .toList();
        assertThat(aliases).containsExactly("SPILLABLEMEMORY [org.apache.flume.channel.SpillableMemoryChannel]");
    }

    @Test
    void defaultsAreFlumes() {
        SingleComponentConfig ctx = channelConfig();
        SpillableMemoryChannel ch = (SpillableMemoryChannel) new SpillableMemoryChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        SpillableMemoryConfig c = ch.config();
        assertThat(c.memoryCapacity()).isEqualTo(10_000);
        assertThat(c.overflowCapacity()).isEqualTo(100_000_000);
        assertThat(c.overflowTimeoutSeconds()).isEqualTo(3);
        assertThat(c.overflowDeactivationPercent()).isEqualTo(5);
        assertThat(c.avgEventSize()).isEqualTo(500);
        assertThat(c.byteCapacityUnits())
                .isEqualTo((long) ((long) (Runtime.getRuntime().maxMemory() * 0.8) * 0.8) / 500);
        assertThat(c.transactionCapacity()).isEqualTo(10_000);
        assertThat(c.overflow().capacity()).isEqualTo(100_000_000);
        assertThat(c.overflow().keepAliveSeconds()).isEqualTo(3);
        assertThat(c.overflow().checkpointDir()).isEqualTo(dir.resolve("channels/c1/checkpoint"));
        assertThat(c.overflow().dataDirs()).containsExactly(dir.resolve("channels/c1/data"));
        assertThat(ctx.counters().find("CHANNEL", "c1")).isNotNull();
    }

    @Test
    void readsItsKeysAndTheFileChannelsAndWarnsAboutTheIgnoredOnes() {
        SingleComponentConfig ctx = channelConfig("memoryCapacity", "100", "overflowCapacity", "5000",
                "overflowTimeout", "1", "overflowDeactivationThreshold", "20", "byteCapacity", "100000",
                "byteCapacityBufferPercentage", "10", "avgEventSize", "50", "transactionCapacity", "200",
                "checkpointDir", dir + "/cp", "dataDirs", dir + "/d1," + dir + "/d2", "capacity", "7",
                "keep-alive", "9");
        SpillableMemoryChannel ch = (SpillableMemoryChannel) new SpillableMemoryChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        SpillableMemoryConfig c = ch.config();
        assertThat(c.memoryCapacity()).isEqualTo(100);
        assertThat(c.overflowTimeoutSeconds()).isEqualTo(1);
        assertThat(c.overflowDeactivationPercent()).isEqualTo(20);
        assertThat(c.byteCapacityUnits()).isEqualTo(100_000 * 9 / 10 / 50);
        assertThat(c.transactionCapacity()).isEqualTo(200);
        assertThat(c.overflow().capacity()).isEqualTo(5000);
        assertThat(c.overflow().keepAliveSeconds()).isEqualTo(1);
        assertThat(c.overflow().dataDirs()).containsExactly(dir.resolve("d1"), dir.resolve("d2"));
        assertThat(ctx.warnings()).anySatisfy(w -> assertThat(w).startsWith("a1.channels.c1.capacity"))
                .anySatisfy(w -> assertThat(w).startsWith("a1.channels.c1.keep-alive"));
        ch.start();
        TestChannels.putRange(ch, 0, 150);
        assertThat(TestChannels.drain(ch)).isEqualTo(TestChannels.range(0, 150));
        ch.stop();
    }

    @Test
    void overflowCapacityZeroTurnsTheOverflowOff() {
        SingleComponentConfig ctx = channelConfig("overflowCapacity", "0", "transactionCapacity", "20000");
        SpillableMemoryChannel ch = (SpillableMemoryChannel) new SpillableMemoryChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        assertThat(ch.config().overflow()).isNull();
        assertThat(ch.config().overflowCapacity()).isZero();
    }

    @Test
    void bothCapacitiesZeroAndBadValuesAreProblems() {
        SingleComponentConfig ctx = channelConfig("memoryCapacity", "0", "overflowCapacity", "0");
        Channel ch = new SpillableMemoryChannelFactory().create(ctx.context());
        assertThat(ch).isNull();
        assertThat(ctx.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .startsWith("a1.channels.c1.overflowCapacity = 0: must not be 0 when memoryCapacity is also 0"));

        SingleComponentConfig bad = channelConfig("memoryCapacity", "-1", "avgEventSize", "0",
                "overflowDeactivationThreshold", "101", "overflowCapacity", "10", "transactionCapacity", "100");
        new SpillableMemoryChannelFactory().create(bad.context());
        assertThat(bad.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.memoryCapacity = -1"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.avgEventSize = 0"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.overflowDeactivationThreshold = 101"))
                .anySatisfy(p -> assertThat(p).contains("must not exceed overflowCapacity (10)"));
    }

    private SingleComponentConfig channelConfig(String... keysAndValues) {
        return SingleComponentConfig.builder(ComponentKind.CHANNEL, "c1").agentDataDirectory(dir)
                .keys(keysAndValues).build();
    }
}
