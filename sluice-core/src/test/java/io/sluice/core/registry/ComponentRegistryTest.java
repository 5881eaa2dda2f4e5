package io.sluice.core.registry;

import io.sluice.api.ComponentKind;
import io.sluice.core.channel.memory.MemoryChannelFactory;
import io.sluice.core.sink.nullsink.NullSinkFactory;
import io.sluice.core.source.seq.SeqSourceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComponentRegistryTest {
    private final ComponentRegistry registry = ComponentRegistry.withPlugins(getClass().getClassLoader());

    @Test
    void aliasesAreCaseInsensitive() {
        assertThat(registry.find(ComponentKind.CHANNEL, "MEMORY")).get().isInstanceOf(MemoryChannelFactory.class);
        assertThat(registry.find(ComponentKind.SOURCE, "Seq")).get().isInstanceOf(SeqSourceFactory.class);
        assertThat(registry.find(ComponentKind.SINK, "memory")).isEmpty();
    }

    @Test
    void flumeClassNamesMapToBuiltInTypes() {
        assertThat(registry.find(ComponentKind.CHANNEL, "org.apache.flume.channel.MemoryChannel")).get()
                .isInstanceOf(MemoryChannelFactory.class);
        assertThat(registry.find(ComponentKind.SINK, "org.apache.flume.sink.NullSink")).get()
                .isInstanceOf(NullSinkFactory.class);
        assertThat(registry.find(ComponentKind.SINK_PROCESSOR, "org.apache.flume.sink.FailoverSinkProcessor"))
                .isPresent();
        assertThat(registry.find(ComponentKind.CHANNEL_SELECTOR, "org.apache.flume.channel.MultiplexingChannelSelector"))
                .isPresent();
    }

    @Test
    void resolversAreAskedLastAndOnlyForClassNamesNothingElseKnows() {
        List<String> asked = new ArrayList<>();
        ComponentResolver resolver = (kind, name) -> {
            asked.add(kind + " " + name);
            return name.equals("com.example.Resolved") ? Optional.of(new NullSinkFactory())
                    : Optional.empty();
        };
        ComponentRegistry r = new ComponentRegistry(BuiltinComponents.all(), getClass().getClassLoader(),
                List.of(resolver));
        assertThat(r.find(ComponentKind.SINK, "com.example.Resolved")).get().isInstanceOf(NullSinkFactory.class);
        assertThat(r.find(ComponentKind.SINK, "org.apache.flume.sink.NullSink")).get().isInstanceOf(NullSinkFactory.class);
        assertThat(r.find(ComponentKind.SINK, "nosuchalias")).isEmpty();
        assertThat(r.find(ComponentKind.SINK, "com.example.Unknown")).isEmpty();
        assertThat(asked).containsExactly("SINK com.example.Resolved", "SINK com.example.Unknown");
    }

    @Test
    void serviceLoaderPluginsAreFoundByAlias() {
        assertThat(registry.find(ComponentKind.CHANNEL, "registry-test-plugin")).get()
                .isInstanceOf(PluginChannelFactory.class);
        assertThat(registry.aliases(ComponentKind.CHANNEL)).contains("memory", "registry-test-plugin");
    }

    @Test
    void classNamesOfFactoriesAndConfigurableComponentsWork() {
        assertThat(registry.find(ComponentKind.CHANNEL, PluginChannelFactory.class.getName())).isPresent();
        assertThat(registry.find(ComponentKind.SINK, ConfigurableSink.class.getName())).isPresent();
        assertThat(registry.find(ComponentKind.SOURCE, ConfigurableSink.class.getName()))
                .as("a sink class is not a source").isEmpty();
        assertThat(registry.find(ComponentKind.SINK, "com.example.DoesNotExist")).isEmpty();
    }
}
