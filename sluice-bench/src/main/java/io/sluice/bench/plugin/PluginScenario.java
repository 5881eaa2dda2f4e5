package io.sluice.bench.plugin;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.SideBySideAgents;
import java.util.List;

/**
 * {@code plugin}: {@code seq} (batchSize 1000) -> an interceptor written against Apache Flume's
 * API ({@code com.acme.flume.TagInterceptor$Builder}, sets one header in place) -> {@code memory}
 * channel -> a sink written against Flume's API ({@code com.acme.flume.CountingSink}, takes 1000
 * events per transaction one {@code take()} at a time, reads each body, counts with Flume's
 * {@code SinkCounter}). Both products load the same jar from
 * {@code sluice-flume-bridge/test-plugins/target/plugins.d}; events/s are read from the plugin's
 * own counter {@code SINK.k1 EventDrainSuccessCount}, which each product publishes from the
 * plugin's JMX bean.
 */
public final class PluginScenario implements Scenario {

    /** The configuration, identical for both products. */
    public static final String CONFIG = String.join("\n",
            "a1.sources = r1",
            "a1.channels = c1",
            "a1.sinks = k1",
            "a1.sources.r1.type = seq",
            "a1.sources.r1.batchSize = 1000",
            "a1.sources.r1.channels = c1",
            "a1.sources.r1.interceptors = i1",
            "a1.sources.r1.interceptors.i1.type = com.acme.flume.TagInterceptor$Builder",
            "a1.sources.r1.interceptors.i1.key = dc",
            "a1.sources.r1.interceptors.i1.value = eu-1",
            "a1.channels.c1.type = memory",
            "a1.channels.c1.capacity = 1000000",
            "a1.channels.c1.transactionCapacity = 1000",
            "a1.sinks.k1.type = com.acme.flume.CountingSink",
            "a1.sinks.k1.batchSize = 1000",
            "a1.sinks.k1.channel = c1",
            "");

    @Override
    public String name() {
        return "plugin";
    }

    @Override
    public String description() {
        return "seq -> Flume-API interceptor -> memory -> Flume-API counting sink, same plugin jar on both sides,"
                + " events/s at the sink's own SinkCounter";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        return List.of(new SideBySideAgents(name(), "a1", (side, dir) -> CONFIG, "SINK.k1", "EventDrainSuccessCount")
                .withPlugins(context.home().testPlugins()).run(context));
    }
}
