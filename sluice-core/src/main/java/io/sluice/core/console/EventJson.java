package io.sluice.core.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.api.Event;
import io.sluice.core.tap.TapPoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * One tapped event as one line of JSON: {@code component}, {@code kind} ({@code source},
 * {@code channel} or {@code sink}), {@code headers}, {@code bodySize}, and a preview of at most the
 * first {@value #PREVIEW_BYTES} bytes of the body: {@code body} (UTF-8, an invalid sequence shown
 * as U+FFFD, a character cut by the preview's end left out) for text, or {@code bodyBase64} for
 * binary bodies (a NUL or another control byte other than tab, CR and LF). {@code truncated} says whether the preview
 * is shorter than the body. Stateless.
 */
public final class EventJson {
    public static final int PREVIEW_BYTES = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {
    }

    public static String line(TapPoint point, Event event) {
        ObjectNode o = JSON.createObjectNode();
        o.put("component", point.component());
        o.put("kind", point.kind().word());
        ObjectNode h = o.putObject("headers");
        for (Map.Entry<String, String> e : event.headers().entrySet()) {
            h.put(e.getKey(), e.getValue());
        }
        byte[] body = event.body();
        byte[] preview = body.length <= PREVIEW_BYTES ? body : Arrays.copyOf(body, PREVIEW_BYTES);
        if (binary(preview)) {
            o.put("bodyBase64", Base64.getEncoder().encodeToString(preview));
        } else {
            o.put("body", new String(preview, 0, wholeCharacters(preview, body.length), StandardCharsets.UTF_8));
        }
        o.put("bodySize", body.length);
        o.put("truncated", preview.length < body.length);
        return o.toString() + "\n";
    }

    /** {@code {"dropped":n}}: how many events the reader's tap dropped so far. */
    public static String dropped(long n) {
        return "{\"dropped\":" + n + "}\n";
    }

    static boolean binary(byte[] bytes) {
        for (byte b : bytes) {
            if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The preview's length without a character cut in two at its end. */
    static int wholeCharacters(byte[] preview, int bodyLength) {
        int end = preview.length;
        if (end == bodyLength) {
            return end;
        }
        int i = end - 1;
        int back = 0;
        while (i >= 0 && back < 3 && (preview[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < 0 || (preview[i] & 0x80) == 0) {
            return end;
        }
        int lead = preview[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        return back + 1 < need ? i : end;
    }
}
