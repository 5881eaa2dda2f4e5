package io.sluice.hdfs;

import io.sluice.api.Channel;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.testing.EmbeddedAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: an agent with one channel c1 feeding the hdfs sink k1, and events put straight into c1. */
final class Agents {
    private Agents() {
    }

    static Map<String, String> hdfsAgent(String channelType, Map<String, String> sinkKeys) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("a1.allowNoSources", "true");
        p.put("a1.channels", "c1");
        p.put("a1.channels.c1.type", channelType);
        p.put("a1.channels.c1.capacity", "100000");
        p.put("a1.channels.c1.transactionCapacity", "10000");
        p.put("a1.sinks", "k1");
        p.put("a1.sinks.k1.type", "hdfs");
        p.put("a1.sinks.k1.channel", "c1");
        sinkKeys.forEach((k, v) -> p.put("a1.sinks.k1." + k, v));
        return p;
    }

    static EmbeddedAgent start(Map<String, String> sinkKeys) throws Exception {
        return EmbeddedAgent.start("a1", hdfsAgent("memory", sinkKeys));
    }

    static ValidationReport validate(Map<String, String> properties) {
        return Agent.validate(EmbeddedAgent.spec("a1", properties));
    }

    static AgentSpec spec(Map<String, String> properties, Path dataDir) {
        return AgentSpec.fromProperties("a1", properties, dataDir);
    }

    static void put(Channel c, List<Event> events) {
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (Event e : events) {
                tx.put(e);
            }
            tx.commit();
        }
    }

    static List<Event> events(int from, int to, Map<String, String> headers) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Event.builder().headers(headers).body("event-" + i).build());
        }
        return out;
    }

    static List<String> bodies(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("event-" + i);
        }
        return out;
    }
}
