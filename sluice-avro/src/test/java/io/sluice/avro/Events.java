package io.sluice.avro;

import io.sluice.api.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test events with distinct headers and bodies, including empty and non-ASCII ones. */
final class Events {
    private Events() {
    }

    static List<Event> numbered(String prefix, int n) {
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Event.Builder b = Event.builder().header("seq", Integer.toString(i)).header("origin", prefix);
            if (i % 7 == 0) {
                b.header("note", "größe \u00e9\u4e2d");
            }
            b.body(i % 50 == 0 ? new byte[0] : (prefix + "-" + i + "-payload").getBytes(StandardCharsets.UTF_8));
            out.add(b.build());
        }
        return out;
    }
}
