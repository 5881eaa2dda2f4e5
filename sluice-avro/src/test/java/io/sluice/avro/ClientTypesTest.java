package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTypesTest {
    private final List<AvroSource> sources = new ArrayList<>();
    private final List<CollectingProcessor> processors = new ArrayList<>();

    @AfterEach
    void stop() {
        sources.forEach(AvroSource::stop);
    }

    private AvroSource start(int port) {
        CollectingProcessor p = new CollectingProcessor();
        AvroSource s = new AvroSource("r" + sources.size(), "a1.sources.r" + sources.size(),
                AvroSourceConfig.plain("127.0.0.1", port), new SourceCounter("r"));
        s.setChannelProcessor(p);
        s.start();
        sources.add(s);
        processors.add(p);
        return s;
    }

    private Properties props(String type) {
        Properties p = new Properties();
        p.setProperty("client.type", type);
        p.setProperty("hosts", "h1 h2");
        p.setProperty("hosts.h1", "127.0.0.1:" + sources.get(0).port());
        p.setProperty("hosts.h2", "127.0.0.1:" + sources.get(1).port());
        p.setProperty("batch-size", "10");
        p.setProperty("connect-timeout", "3000");
        p.setProperty("request-timeout", "3000");
        return p;
    }

    @Test
    void failoverClientMovesToTheNextHostWhenTheFirstDies() throws Exception {
        start(0);
        start(0);
        try (RpcClient c = RpcClientFactory.getInstance(props("default_failover"))) {
            c.appendBatch(Events.numbered("a", 10));
            assertThat(processors.get(0).size()).isEqualTo(10);
            sources.get(0).stop();
            c.appendBatch(Events.numbered("b", 10));
            assertThat(processors.get(1).size()).isEqualTo(10);
        }
    }

    @Test
    void loadBalancingClientSpreadsBatchesAndSkipsADeadHost() throws Exception {
        start(0);
        start(0);
        Properties p = props("default_loadbalance");
        p.setProperty("backoff", "true");
        try (RpcClient c = RpcClientFactory.getInstance(p)) {
            for (int i = 0; i < 10; i++) {
                c.appendBatch(Events.numbered("lb" + i, 10));
            }
            assertThat(processors.get(0).size()).isEqualTo(50);
            assertThat(processors.get(1).size()).isEqualTo(50);
            sources.get(1).stop();
            for (int i = 0; i < 6; i++) {
                c.append(Event.ofString("only-h1-" + i));
            }
            assertThat(processors.get(0).size()).isEqualTo(56);
        }
    }
}
