package io.sluice.cli;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.core.registry.ComponentDescriptors;
import io.sluice.core.registry.ComponentRegistry;
import io.sluice.flume.bridge.ProblemFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every component factory of the distribution (the core's and those the other modules register
 * through {@code ServiceLoader}) describes itself well, and every name it declares finds it.
 */
class DistributionDescriptorsTest {
    private final List<ComponentFactory<?>> all = ComponentRegistry.discover(getClass().getClassLoader());

    @Test
    void everyFactoryOfTheDistributionIsWellFormed() {
        List<String> described = new ArrayList<>();
        for (ComponentFactory<?> f : all) {
            described.add(f.descriptor().toString());
        }
        assertThat(described).contains("channel 'file' (also org.apache.flume.channel.file.FileChannel)",
                "source 'avro' (also org.apache.flume.source.AvroSource)",
                "sink 'avro' (also org.apache.flume.sink.AvroSink)", "sink 'metrics'",
                "source 'thrift' (also org.apache.flume.source.ThriftSource)",
                "sink 'thrift' (also org.apache.flume.sink.ThriftSink)");
        assertThat(ComponentDescriptors.problems(all)).isEmpty();
        for (ComponentFactory<?> f : all) {
            assertThat(f.descriptor().description()).as("description of %s", f.descriptor()).isNotBlank();
        }
    }

    @Test
    void everyDeclaredNameFindsItsFactory() {
        ComponentRegistry registry = new ComponentRegistry(all, getClass().getClassLoader());
        for (ComponentFactory<?> f : all) {
            ComponentDescriptor d = f.descriptor();
            for (String name : d.names()) {
                assertThat(registry.find(d.kind(), name)).as("%s found by '%s'", d, name).containsSame(f);
            }
        }
    }

    @Test
    void aFactoryClaimingAnotherOnesFlumeNameIsReported() {
        // The plugin bridge answers for a class name it cannot build with a factory of that name.
        ComponentFactory<?> impostor = new ProblemFactory(ComponentKind.CHANNEL,
                "org.apache.flume.channel.file.FileChannel", "not found", "install it");
        List<ComponentFactory<?>> withImpostor = new ArrayList<>(all);
        withImpostor.add(impostor);

        assertThat(ComponentDescriptors.problems(withImpostor)).singleElement().asString()
                .contains("channel name 'org.apache.flume.channel.file.FileChannel' is already claimed by "
                        + "io.sluice.channel.file.FileChannelFactory ('file')");
    }
}
