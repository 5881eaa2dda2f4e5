package io.sluice.sql.agent.tee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Event;
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
        headers.put("mixed", "é\"\n\u0002x");
        byte[] body = {0, (byte) 0xff, '\n', '"', 1, 2, 3};
        NdjsonEvents out = new NdjsonEvents(8);
        out.write(Event.of(headers, body));
        out.write(Event.of(Map.of(), new byte[0]));
        String[] lines = out.asString().split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        Map<String, String> back = new LinkedHashMap<>();
        first.get("headers").fields().forEachRemaining(f -> back.put(f.getKey(), f.getValue().asText()));
        assertThat(back).containsExactlyEntriesOf(headers);
        assertThat(Base64.getDecoder().decode(first.get("body").asText())).isEqualTo(body);
        assertThat(lines[1]).isEqualTo("{\"headers\":{},\"body\":\"\"}");
    }

    @Test
    void bodiesOfEveryLengthModuloThreeAreStandardBase64() throws Exception {
        for (int n = 0; n < 10; n++) {
            byte[] body = new byte[n];
            for (int i = 0; i < n; i++) {
                body[i] = (byte) (i * 37 + 200);
            }
            NdjsonEvents out = new NdjsonEvents(4);
            out.write(Event.of(Map.of(), body));
            JsonNode line = new ObjectMapper().readTree(out.asString());
            assertThat(line.get("body").asText()).isEqualTo(Base64.getEncoder().encodeToString(body));
        }
    }
}
