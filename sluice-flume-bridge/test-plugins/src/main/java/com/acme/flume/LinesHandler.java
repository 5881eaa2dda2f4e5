package com.acme.flume;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.source.http.HTTPBadRequestException;
import org.apache.flume.source.http.HTTPSourceHandler;

/**
 * An HTTP source handler: one event per non-empty line of the request body, with header
 * {@code header} (default {@code origin}) set to the request's {@code X-Origin} header. A body
 * with no line is a bad request. Thread-safe.
 */
public class LinesHandler implements HTTPSourceHandler {
    private String header;

    @Override
    public void configure(Context context) {
        header = context.getString("header", "origin");
    }

    @Override
    public List<Event> getEvents(HttpServletRequest request) throws Exception {
        String origin = request.getHeader("X-Origin");
        List<Event> out = new ArrayList<>();
        try (BufferedReader r = request.getReader()) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty()) {
                    Map<String, String> h = new HashMap<>();
                    if (origin != null) {
                        h.put(header, origin);
                    }
                    out.add(EventBuilder.withBody(line.getBytes(StandardCharsets.UTF_8), h));
                }
            }
        }
        if (out.isEmpty()) {
            throw new HTTPBadRequestException("the body has no line");
        }
        return out;
    }
}
