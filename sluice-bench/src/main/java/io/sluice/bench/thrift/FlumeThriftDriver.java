package io.sluice.bench.thrift;

import io.sluice.bench.avro.FlumeAvroDriver;

/**
 * The Apache Flume side's load, run on Flume's own classpath: one thread with one client from
 * {@code org.apache.flume.api.RpcClientFactory.getThriftInstance(host, port, batchSize)} (compact
 * protocol, Flume's default), sending the same batch of 100-byte events in a loop until killed
 * ({@link FlumeAvroDriver#send} with Flume's thrift factory method).
 *
 * <p>Usage: {@code FlumeThriftDriver host port batchSize}
 */
public final class FlumeThriftDriver {
    private FlumeThriftDriver() {
    }

    public static void main(String[] args) throws Exception {
        FlumeAvroDriver.send(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), "getThriftInstance");
    }
}
