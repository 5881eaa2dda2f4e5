package io.sluice.bench.thrift;

import io.sluice.bench.Scenario;
import io.sluice.bench.avro.AvroHopScenario;

/** Builds the {@code thrift-hop} scenario. */
public final class ThriftHop {
    private ThriftHop() {
    }

    /**
     * client -thrift-> thrift source -> memory -> null sink, Sluice against Apache Flume 1.11 with
     * identical agent configurations; both clients use the compact protocol (Flume's default), one
     * thread, one connection, one batch in flight. Reports {@code thrift-hop-b100} and
     * {@code thrift-hop-b1000}.
     */
    public static Scenario scenario() {
        return new AvroHopScenario("thrift", SluiceThriftDriver.class, FlumeThriftDriver.class);
    }
}
