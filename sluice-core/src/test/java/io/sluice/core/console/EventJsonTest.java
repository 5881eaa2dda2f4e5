package io.sluice.core.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Event;
import io.sluice.core.tap.TapKind;
import io.sluice.core.tap.TapPoint;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TapPoint POINT = TapPoint.detached(TapKind.SOURCE, "r1");

    private static JsonNode line(byte[] body) throws Exception {
        String line = EventJson.line(POINT, Event.of(Map.of("host", "h1"), body));
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        return JSON.readTree(line);
    }

    @Test
    void textIsShownAsUtf8WithReplacement() throws Exception {
        JsonNode n = line(new byte[] {'o', 'k', ' ', (byte) 0xff, '!'});
        assertThat(n.get("body").asText()).isEqualTo("ok \uFFFD!");
        assertThat(n.get("headers").get("host").asText()).isEqualTo("h1");
        assertThat(n.get("kind").asText()).isEqualTo("source");
        assertThat(n.get("truncated").asBoolean()).isFalse();
    }

    @Test
    void binaryIsShownAsBase64() throws Exception {
        JsonNode n = line(new byte[] {0, 1, 2, 'a'});
        assertThat(n.has("body")).isFalse();
        assertThat(Base64.getDecoder().decode(n.get("bodyBase64").asText())).containsExactly(0, 1, 2, 'a');
    }

    @Test
    void theFirst256BytesArePreviewedWithoutCuttingACharacter() throws Exception {
        byte[] body = ("a" + "é".repeat(300)).getBytes(StandardCharsets.UTF_8); // 1 + 600 bytes
        JsonNode n = line(body);
        assertThat(n.get("bodySize").asInt()).isEqualTo(601);
        assertThat(n.get("truncated").asBoolean()).isTrue();
        assertThat(n.get("body").asText()).isEqualTo("a" + "é".repeat(127)).doesNotContain("\uFFFD");
    }
}
