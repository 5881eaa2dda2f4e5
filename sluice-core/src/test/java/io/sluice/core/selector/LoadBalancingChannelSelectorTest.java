package io.sluice.core.selector;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.channel.TestChannels;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.selector.LoadBalancingChannelSelector.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadBalancingChannelSelectorTest {
    @TempDir
    Path dir;

    private static MemoryChannel channel(String name, int capacity) {
        return TestChannels.memory(name, capacity);
    }

    private static List<String> drain(Channel c) {
        return TestChannels.drainBodies(c);
    }

    private static List<Event> events(int from, int to) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Event.ofString(Integer.toString(i)));
        }
        return out;
    }

    private static DefaultChannelProcessor processor(LoadBalancingChannelSelector selector, Channel... channels) {
        selector.setChannels(List.of(channels));
        return new DefaultChannelProcessor("a1.sources.r1", selector, List.of(), new CounterGroup("X", "r1"));
    }

    @Test
    void roundRobinGivesEachEventTheNextChannelAcrossBatches() {
        MemoryChannel c1 = channel("c1", 100);
        MemoryChannel c2 = channel("c2", 100);
        MemoryChannel c3 = channel("c3", 100);
        DefaultChannelProcessor p = processor(
                new LoadBalancingChannelSelector(Policy.ROUND_ROBIN, new SplittableRandom(1)), c1, c2, c3);
        p.processEventBatch(events(0, 7));
        p.processEventBatch(events(7, 9));
        p.processEvent(Event.ofString("9"));
        assertThat(drain(c1)).containsExactly("0", "3", "6", "9");
        assertThat(drain(c2)).containsExactly("1", "4", "7");
        assertThat(drain(c3)).containsExactly("2", "5", "8");
    }

    @Test
    void randomPicksEachEventsChannelFromTheGenerator() {
        MemoryChannel c1 = channel("c1", 10_000);
        MemoryChannel c2 = channel("c2", 10_000);
        MemoryChannel c3 = channel("c3", 10_000);
        DefaultChannelProcessor p = processor(
                new LoadBalancingChannelSelector(Policy.RANDOM, new SplittableRandom(42)), c1, c2, c3);
        p.processEventBatch(events(0, 3000));

        SplittableRandom same = new SplittableRandom(42);
        List<List<String>> expected = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 3000; i++) {
            expected.get(same.nextInt(3)).add(Integer.toString(i));
        }
        List<String> got1 = drain(c1);
        List<String> got2 = drain(c2);
        List<String> got3 = drain(c3);
        assertThat(got1).isEqualTo(expected.get(0));
        assertThat(got2).isEqualTo(expected.get(1));
        assertThat(got3).isEqualTo(expected.get(2));
        for (List<String> got : List.of(got1, got2, got3)) {
            assertThat(got.size()).as("each channel gets about a third").isBetween(850, 1150);
        }
    }

    @Test
    void fullChannelFailsThePutNamingItAndKeepsWhatItHeld() {
        MemoryChannel small = channel("c1", 2);
        MemoryChannel big = channel("c2", 100);
        DefaultChannelProcessor p = processor(
                new LoadBalancingChannelSelector(Policy.ROUND_ROBIN, new SplittableRandom(1)), small, big);
        p.processEventBatch(events(0, 4));
        assertThatThrownBy(() -> p.processEventBatch(events(4, 6)))
                .isInstanceOf(ChannelFullException.class).hasMessageContaining("a1.channels.c1");
        assertThat(drain(small)).containsExactly("0", "2");
        assertThat(drain(big)).as("the batch failed on c1 first; c2 took none of it").containsExactly("1", "3");
        // once there is room the sender's retry goes through
        p.processEventBatch(events(4, 6));
        assertThat(drain(small).size() + drain(big).size()).isEqualTo(2);
    }

    @Test
    void failingChannelFailsThePutInsteadOfSkippingIt() {
        MemoryChannel good = channel("c1", 100);
        Channel broken = new BrokenChannel("c2");
        DefaultChannelProcessor p = processor(
                new LoadBalancingChannelSelector(Policy.ROUND_ROBIN, new SplittableRandom(1)), good, broken);
        p.processEvent(Event.ofString("0"));
        assertThatThrownBy(() -> p.processEvent(Event.ofString("1")))
                .isInstanceOf(ChannelException.class)
                .hasMessageContaining("a1.channels.c2").hasMessageContaining("disk is gone");
        p.processEvent(Event.ofString("2"));
        assertThat(drain(good)).containsExactly("0", "2");
    }

    private ValidationReport validate(String policy, String type) {
        String text = String.join("\n",
                "a1.sources = r1", "a1.channels = c1 c2", "a1.sinks = k1 k2",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1 c2",
                "a1.sources.r1.selector.type = " + type,
                policy == null ? "" : "a1.sources.r1.selector.policy = " + policy,
                "a1.channels.c1.type = memory", "a1.channels.c2.type = memory",
                "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1",
                "a1.sinks.k2.type = null", "a1.sinks.k2.channel = c2");
        return Agent.validate(AgentSpec.fromProperties("a1", OrderedProperties.parse(text), dir));
    }

    @Test
    void configurationTakesApacheFlumesTypeNamesAndPolicies() {
        assertThat(validate(null, "load_balancing").ok()).isTrue();
        ValidationReport random = validate("RANDOM", "org.apache.flume.channel.LoadBalancingChannelSelector");
        assertThat(random.ok()).as(random.render()).isTrue();
        assertThat(random.componentGraph()).contains("[selector: org.apache.flume.channel.LoadBalancingChannelSelector]");

        ValidationReport bad = validate("roundrobin", "load_balancing");
        assertThat(bad.ok()).isFalse();
        ConfigProblem problem = bad.problems().get(0);
        assertThat(problem.key()).isEqualTo("a1.sources.r1.selector.policy");
        assertThat(bad.render()).contains("roundrobin").contains("round_robin").contains("random");
    }

    /** A channel whose storage is gone: every transaction fails. */
    private static final class BrokenChannel implements Channel {
        private final String name;

        BrokenChannel(String name) {
            this.name = name;
        }

        @Override
        public Transaction getTransaction() {
            throw new ChannelException("[a1.channels." + name + "] the disk is gone");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public State lifecycleState() {
            return State.STARTED;
        }
    }
}
