package io.sluice.sql.agent.tee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NdjsonEventsTest {
    @Test
    void everyHeaderCharacterAndBodyByteSurvivesAJsonParser() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("q\"uote", "back\\slash");
        headers.put("ctl", "a\nb\r\tc\u0001\u001f\u007f");
        headers.put("utf", "é€😀");
        byte[] body = {0, (byte) 0xff, '\n', '"', 1, 2};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NdjsonEvents.write(Event.of(headers, body), out);
        NdjsonEvents.write(Event.of(Map.of(), new byte[0]), out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        Map<String, String> back = new LinkedHashMap<>();
        first.get("headers").fields().forEachRemaining(f -> back.put(f.getKey(), f.getValue().asText()));
        assertThat(back).containsExactlyEntriesOf(headers);
        assertThat(Base64.getDecoder().decode(first.get("body").asText())).isEqualTo(body);
        assertThat(lines[1]).isEqualTo("{\"headers\":{},\"body\":\"\"}");
    }
}
