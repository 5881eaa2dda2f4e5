package io.sluice.api;

import io.sluice.api.config.ConfigKey;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComponentDescriptorTest {
    private static final ConfigKey<Integer> CAPACITY = ConfigKey.intKey("capacity", 100, "most events held");
    private static final ConfigKey<Integer> KEEP_ALIVE = ConfigKey.intKey("keep-alive", 3, "seconds a put waits");

    @Test
    void builderCollectsEveryPartInOrder() {
        ComponentDescriptor d = ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory")
                .otherNames("org.apache.flume.channel.MemoryChannel")
                .keys(CAPACITY)
                .keys(List.of(KEEP_ALIVE))
                .description("  Holds events in memory.  ")
                .build();

        assertThat(d.kind()).isEqualTo(ComponentKind.CHANNEL);
        assertThat(d.alias()).isEqualTo("memory");
        assertThat(d.otherNames()).containsExactly("org.apache.flume.channel.MemoryChannel");
        assertThat(d.names()).containsExactly("memory", "org.apache.flume.channel.MemoryChannel");
        assertThat(d.keys()).containsExactly(CAPACITY, KEEP_ALIVE);
        assertThat(d.description()).isEqualTo("Holds events in memory.");
        assertThat(d).hasToString("channel 'memory' (also org.apache.flume.channel.MemoryChannel)");
    }

    @Test
    void partsLeftOutAreEmpty() {
        ComponentDescriptor d = ComponentDescriptor.builder(ComponentKind.SINK, "null").build();

        assertThat(d.otherNames()).isEmpty();
        assertThat(d.keys()).isEmpty();
        assertThat(d.description()).isEmpty();
    }

    @Test
    void equalDescriptorsAreEqualAndHashAlike() {
        ComponentDescriptor a = ComponentDescriptor.builder(ComponentKind.SINK, "logger").keys(CAPACITY).build();
        ComponentDescriptor b = ComponentDescriptor.builder(ComponentKind.SINK, "logger").keys(CAPACITY).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(ComponentDescriptor.builder(ComponentKind.SOURCE, "logger").keys(CAPACITY).build());
        assertThat(a).isNotEqualTo(ComponentDescriptor.builder(ComponentKind.SINK, "logger").build());
        assertThat(a).isNotEqualTo(ComponentDescriptor.builder(ComponentKind.SINK, "logger").keys(CAPACITY)
                .otherNames("org.apache.flume.sink.LoggerSink").build());
        assertThat(a).isNotEqualTo(ComponentDescriptor.builder(ComponentKind.SINK, "logger").keys(CAPACITY)
                .description("Logs events.").build());
    }

    @Test
    void aBuiltDescriptorDoesNotChangeWithItsBuilderOrItsLists() {
        ComponentDescriptor.Builder builder = ComponentDescriptor.builder(ComponentKind.SINK, "logger").keys(CAPACITY);
        ComponentDescriptor d = builder.build();
        builder.keys(KEEP_ALIVE).otherNames("later");

        assertThat(d.keys()).containsExactly(CAPACITY);
        assertThat(d.otherNames()).isEmpty();
        assertThatThrownBy(() -> d.keys().add(KEEP_ALIVE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> d.names().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingPartsAreRefusedByName() {
        assertThatThrownBy(() -> ComponentDescriptor.builder(null, "memory")).hasMessage("kind is null");
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, null)).hasMessage("alias is null");
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory").keys((ConfigKey<?>) null))
                .hasMessage("key is null");
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory").otherNames((String) null))
                .hasMessage("other name is null");
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory").description(null))
                .hasMessage("description is null");
    }

    @Test
    void blankOrPaddedNamesAreRefused() {
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, " ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alias: ' ' (expected: not blank, no leading or trailing whitespace)");
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'memory '");
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory").otherNames("").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("other name of CHANNEL 'memory': ''");
    }

    @Test
    void aNameGivenTwiceIsRefusedIgnoringCase() {
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory").otherNames("MEMORY")
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CHANNEL 'memory': the name 'MEMORY' is given twice (names are compared ignoring case);"
                        + " list it once");
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory").otherNames("a.B", "a.b")
                .build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a.b' is given twice");
    }

    @Test
    void aKeyListedTwiceIsRefused() {
        assertThatThrownBy(() -> ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory")
                .keys(CAPACITY, ConfigKey.intKey("capacity", 5, "again")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CHANNEL 'memory': the key 'capacity' is listed twice; list it once");
    }
}
