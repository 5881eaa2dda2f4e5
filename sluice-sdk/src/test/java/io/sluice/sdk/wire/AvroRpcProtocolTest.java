package io.sluice.sdk.wire;

import org.apache.avro.Protocol;
import org.apache.flume.source.avro.AvroSourceProtocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AvroRpcProtocolTest {

    @Test
    void handshakeTextAndHashMatchTheProtocolGeneratedFromTheIdl() {
        assertThat(AvroRpcProtocol.TEXT).isEqualTo(AvroSourceProtocol.PROTOCOL.toString());
        assertThat(AvroRpcProtocol.hash()).isEqualTo(AvroSourceProtocol.PROTOCOL.getMD5());
    }

    @Test
    void protocolHasTheNamesPeersExpect() {
        assertThat(AvroSourceProtocol.PROTOCOL.getNamespace()).isEqualTo("org.apache.flume.source.avro");
        assertThat(AvroSourceProtocol.PROTOCOL.getMessages()).containsOnlyKeys("append", "appendBatch");
        assertThat(AvroSourceProtocol.PROTOCOL.getType("org.apache.flume.source.avro.Status").getEnumSymbols())
                .containsExactly("OK", "FAILED", "UNKNOWN");
        assertThat(AvroRpcProtocol.incompatibility(AvroSourceProtocol.PROTOCOL)).isNull();
    }

    @Test
    void protocolWithReorderedEventFieldsIsReportedIncompatible() {
        String other = AvroRpcProtocol.TEXT.replace(
                "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},{\"name\":\"body\",\"type\":\"bytes\"}",
                "{\"name\":\"body\",\"type\":\"bytes\"},{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}}");
        assertThat(other).isNotEqualTo(AvroRpcProtocol.TEXT);
        assertThat(AvroRpcProtocol.incompatibility(Protocol.parse(other))).contains("message 'append")
                .contains("but this agent expects");
    }
}
