package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.core.config.SingleComponentConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FileChannelFactoryTest {
    @TempDir
    Path dir;

    @Test
    void isFoundThroughServiceLoaderUnderFlumesNames() {
        List<String> aliases = ServiceLoader.load(ComponentFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f instanceof FileChannelFactory)
                .map(f -> f.alias() + " " + f.otherNames())
                .toList();
        assertThat(aliases).containsExactly("file [org.apache.flume.channel.file.FileChannel]");
    }

    @Test
    void defaultsFollowFlumeButLiveUnderTheAgentDataDirectory() {
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.CHANNEL, "c1")
                .agentDataDirectory(dir.resolve("agent-data")).build();
        FileChannel ch = (FileChannel) new FileChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        FileChannelConfig c = ch.config();
        assertThat(c.checkpointDir()).isEqualTo(dir.resolve("agent-data/channels/c1/checkpoint"));
        assertThat(c.dataDirs()).containsExactly(dir.resolve("agent-data/channels/c1/data"));
        assertThat(c.capacity()).isEqualTo(1_000_000);
        assertThat(c.transactionCapacity()).isEqualTo(10_000);
        assertThat(c.keepAliveSeconds()).isEqualTo(3);
        assertThat(c.maxFileSize()).isEqualTo(2146435071L);
        assertThat(c.minimumRequiredSpace()).isEqualTo(524288000L);
        assertThat(c.checkpointIntervalMillis()).isEqualTo(30000L);
        assertThat(c.backupCheckpointDir()).isNull();
        assertThat(ctx.counters().find("CHANNEL", "c1")).isNotNull();
    }

    @Test
    void readsFlumeKeysIncludingSeveralDataDirs() {
        SingleComponentConfig ctx = channelConfig("checkpointDir", dir + "/cp", "dataDirs",
                dir + "/d1, " + dir + "/d2", "capacity", "5000", "transactionCapacity", "500", "keep-alive", "7",
                "maxFileSize", "1048576", "minimumRequiredSpace", "0", "checkpointInterval", "1000",
                "useDualCheckpoints", "true", "backupCheckpointDir", dir + "/bk", "use-fast-replay", "true", "use-log-replay-v1", "false");
        FileChannel ch = (FileChannel) new FileChannelFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        FileChannelConfig c = ch.config();
        assertThat(c.dataDirs()).containsExactly(dir.resolve("d1"), dir.resolve("d2"));
        assertThat(c.backupCheckpointDir()).isEqualTo(dir.resolve("bk"));
        assertThat(c.capacity()).isEqualTo(5000);
        assertThat(c.keepAliveSeconds()).isEqualTo(7);
        assertThat(ctx.warnings()).anySatisfy(w -> assertThat(w).startsWith("a1.channels.c1.use-fast-replay"))
                .anySatisfy(w -> assertThat(w).startsWith("a1.channels.c1.use-log-replay-v1"));
        ch.start();
        TestChannels.putRange(ch, 0, 100);
        assertThat(TestChannels.drain(ch)).isEqualTo(TestChannels.range(0, 100));
        ch.stop();
    }

    @Test
    void reportsEveryProblemWithKeyRuleAndFix() {
        SingleComponentConfig ctx = channelConfig("capacity", "-5", "transactionCapacity", "100",
                "useDualCheckpoints", "true");
        Channel ch = new FileChannelFactory().create(ctx.context());
        assertThat(ch).isNull();
        assertThat(ctx.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .isEqualTo("a1.channels.c1.capacity = -5: must be at least 1 (fix: set a1.channels.c1.capacity to 1 or more)"));
        assertThat(ctx.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .startsWith("a1.channels.c1.backupCheckpointDir (missing): is required when useDualCheckpoints"));
    }

    @Test
    void checkpointDirSharedWithADataDirIsAProblem() {
        SingleComponentConfig ctx = channelConfig("checkpointDir", dir + "/same", "dataDirs", dir + "/same");
        assertThat(new FileChannelFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).contains("a1.channels.c1.dataDirs").contains("its own path"));
    }

    @Test
    void transactionCapacityAboveCapacityIsAProblem() {
        SingleComponentConfig ctx = channelConfig("capacity", "10", "transactionCapacity", "100");
        assertThat(new FileChannelFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).contains("must not exceed capacity (10)"));
    }

    @Test
    void fsyncPerTransactionFalseIsRefusedNeverAcceptedAndIgnored() {
        SingleComponentConfig ctx = channelConfig("fsyncPerTransaction", "false", "fsyncInterval", "10");
        assertThat(new FileChannelFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(Object::toString).singleElement().satisfies(p -> assertThat(p)
                .contains("a1.channels.c1.fsyncPerTransaction = false")
                .contains("is not supported")
                .contains("remove fsyncPerTransaction (and fsyncInterval) or set it to true"));

        SingleComponentConfig fine = channelConfig("fsyncPerTransaction", "true");
        assertThat(new FileChannelFactory().create(fine.context())).isNotNull();
        assertThat(fine.problems()).isEmpty();
    }

    private SingleComponentConfig channelConfig(String... keysAndValues) {
        return SingleComponentConfig.builder(ComponentKind.CHANNEL, "c1").agentDataDirectory(dir)
                .keys(keysAndValues).build();
    }
}
