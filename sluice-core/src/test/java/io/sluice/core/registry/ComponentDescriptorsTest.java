package io.sluice.core.registry;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.core.channel.memory.MemoryChannelFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComponentDescriptorsTest {

    /** A factory that declares whatever descriptor a test gives it. */
    private static final class Declared implements ComponentFactory<Object> {
        private final ComponentDescriptor descriptor;

        Declared(ComponentDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        public ComponentDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public Object create(ComponentContext context) {
            return null;
        }
    }

    /** Builds a new descriptor on every call, so two calls give different values. */
    private static final class Unstable implements ComponentFactory<Object> {
        private int calls;

        @Override
        public ComponentDescriptor descriptor() {
            return ComponentDescriptor.builder(ComponentKind.SINK, "unstable").description("call " + calls++).build();
        }

        @Override
        public Object create(ComponentContext context) {
            return null;
        }
    }

    @Test
    void everyBuiltInAndPluginFactoryIsWellFormed() {
        List<ComponentFactory<?>> all = ComponentRegistry.discover(getClass().getClassLoader());

        assertThat(all).hasSizeGreaterThanOrEqualTo(BuiltinComponents.all().size());
        assertThat(ComponentDescriptors.problems(all)).isEmpty();
    }

    @Test
    void everyBuiltInHasAnAliasADescriptionAndDocumentedKeys() {
        for (ComponentFactory<?> f : BuiltinComponents.all()) {
            ComponentDescriptor d = f.descriptor();
            assertThat(d.alias()).as("%s", f.getClass().getName()).isNotBlank();
            assertThat(d.description()).as("description of %s", d).isNotBlank();
            for (ConfigKey<?> k : d.keys()) {
                assertThat(k.doc()).as("doc of key %s of %s", k.name(), d).isNotBlank();
            }
            assertThat(f.descriptor()).as("%s gives one descriptor", d).isSameAs(d);
        }
    }

    @Test
    void everyNameOfEveryBuiltInFindsItsFactory() {
        List<ComponentFactory<?>> builtIn = BuiltinComponents.all();
        ComponentRegistry registry = new ComponentRegistry(builtIn, getClass().getClassLoader());
        for (ComponentFactory<?> f : builtIn) {
            ComponentDescriptor d = f.descriptor();
            for (String name : d.names()) {
                Optional<ComponentFactory<?>> found = registry.find(d.kind(), name);
                assertThat(found).as("%s found by '%s'", d, name).containsSame(f);
            }
        }
    }

    @Test
    void aDuplicateAliasIsReported() {
        ComponentFactory<?> twin = new Declared(ComponentDescriptor.builder(ComponentKind.CHANNEL, "MEMORY").build());
        List<ComponentFactory<?>> all = new ArrayList<>(BuiltinComponents.all());
        all.add(twin);

        assertThat(ComponentDescriptors.problems(all)).containsExactly(Declared.class.getName()
                + ": channel name 'MEMORY' is already claimed by " + MemoryChannelFactory.class.getName()
                + " ('memory'); give one of them another name");
    }

    @Test
    void aDuplicateOtherNameIsReported() {
        ComponentFactory<?> twin = new Declared(ComponentDescriptor.builder(ComponentKind.CHANNEL, "fast")
                .otherNames("org.apache.flume.channel.MemoryChannel").build());

        assertThat(ComponentDescriptors.problems(List.of(new MemoryChannelFactory(), twin)))
                .singleElement().asString().contains("channel name 'org.apache.flume.channel.MemoryChannel'");
    }

    @Test
    void theSameNameInTwoKindsIsAllowed() {
        ComponentFactory<?> source = new Declared(ComponentDescriptor.builder(ComponentKind.SOURCE, "avro").build());
        ComponentFactory<?> sink = new Declared(ComponentDescriptor.builder(ComponentKind.SINK, "avro").build());

        assertThat(ComponentDescriptors.problems(List.of(source, sink))).isEmpty();
    }

    @Test
    void anUndocumentedKeyIsReported() {
        ComponentFactory<?> f = new Declared(ComponentDescriptor.builder(ComponentKind.SINK, "quiet")
                .keys(ConfigKey.intKey("batchSize", 100, "")).build());

        assertThat(ComponentDescriptors.problems(List.of(f))).singleElement().asString()
                .contains("key 'batchSize' of sink 'quiet' has no description");
    }

    @Test
    void aMissingOrChangingDescriptorIsReported() {
        assertThat(ComponentDescriptors.problems(List.of(new Declared(null)))).singleElement().asString()
                .contains("descriptor() returned null");
        assertThat(ComponentDescriptors.problems(List.of(new Unstable()))).singleElement().asString()
                .contains("descriptor() returned two different values");
    }
}
