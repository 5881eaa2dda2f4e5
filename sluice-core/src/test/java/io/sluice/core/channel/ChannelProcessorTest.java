package io.sluice.core.channel;

import io.sluice.api.Channel;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.selector.MultiplexingChannelSelector;
import io.sluice.core.selector.ReplicatingChannelSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelProcessorTest {

    private static MemoryChannel channel(String name, int capacity) {
        return TestChannels.memory(name, capacity);
    }

    private static List<String> drain(Channel c) {
        return TestChannels.drainBodies(c);
    }

    private static Event ev(String body, String state) {
        return state == null ? Event.ofString(body) : Event.builder().body(body).header("state", state).build();
    }

    @Test
    void replicatingPutsEveryEventIntoEveryRequiredChannel() {
        MemoryChannel c1 = channel("c1", 100);
        MemoryChannel c2 = channel("c2", 100);
        ReplicatingChannelSelector sel = new ReplicatingChannelSelector(List.of());
        sel.setChannels(List.of(c1, c2));
        DefaultChannelProcessor p = new DefaultChannelProcessor("a1.sources.r1", sel, List.of(), new CounterGroup("X", "r1"));
        p.processEventBatch(List.of(ev("a", null), ev("b", null)));
        assertThat(drain(c1)).containsExactly("a", "b");
        assertThat(drain(c2)).containsExactly("a", "b");
    }

    @Test
    void fullRequiredChannelSurfacesAsChannelFullAndOptionalFailuresAreCounted() {
        MemoryChannel required = channel("c1", 2);
        MemoryChannel optional = channel("c2", 1);
        ReplicatingChannelSelector sel = new ReplicatingChannelSelector(List.of("c2"));
        sel.setChannels(List.of(required, optional));
        CounterGroup counters = new CounterGroup("CHANNEL_PROCESSOR", "r1");
        DefaultChannelProcessor p = new DefaultChannelProcessor("a1.sources.r1", sel, List.of(), counters);
        p.processEventBatch(List.of(ev("a", null), ev("b", null)));
        assertThat(counters.get(DefaultChannelProcessor.OPTIONAL_WRITE_FAIL)).isEqualTo(2);
        assertThat(required.size()).isEqualTo(2);
        assertThatThrownBy(() -> p.processEvent(ev("c", null))).isInstanceOf(ChannelFullException.class)
                .hasMessageContaining("a1.channels.c1");
        assertThat(drain(required)).containsExactly("a", "b");
    }

    @Test
    void multiplexingRoutesByHeaderWithDefaultAndOptional() {
        MemoryChannel c1 = channel("c1", 100);
        MemoryChannel c2 = channel("c2", 100);
        MemoryChannel c3 = channel("c3", 100);
        MultiplexingChannelSelector sel = new MultiplexingChannelSelector("state",
                Map.of("CA", List.of("c1"), "NY", List.of("c2", "c1")),
                Map.of("CA", List.of("c3", "c1")), List.of("c3"));
        sel.setChannels(List.of(c1, c2, c3));
        DefaultChannelProcessor p = new DefaultChannelProcessor("a1.sources.r1", sel, List.of(), new CounterGroup("X", "r1"));
        p.processEventBatch(List.of(ev("1", "CA"), ev("2", "NY"), ev("3", "TX"), ev("4", null), ev("5", "CA")));
        assertThat(drain(c1)).containsExactly("1", "2", "5");
        assertThat(drain(c2)).containsExactly("2");
        assertThat(drain(c3)).as("required puts commit before optional ones").containsExactly("3", "4", "1", "5");
    }

    @Test
    void interceptorsRunInOrderAndMayDropEvents() {
        MemoryChannel c1 = channel("c1", 100);
        ReplicatingChannelSelector sel = new ReplicatingChannelSelector(List.of());
        sel.setChannels(List.of(c1));
        Interceptor dropB = e -> e.bodyAsString().equals("b") ? null : e;
        Interceptor upper = e -> e.toBuilder().body(e.bodyAsString().toUpperCase()).build();
        DefaultChannelProcessor p = new DefaultChannelProcessor("a1.sources.r1", sel, List.of(dropB, upper),
                new CounterGroup("X", "r1"));
        p.processEventBatch(List.of(ev("a", null), ev("b", null), ev("c", null)));
        assertThat(drain(c1)).containsExactly("A", "C");
    }
}
