package io.sluice.core.interceptor;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Parses the body as JSON and copies the values found at JSON pointers (RFC 6901, e.g.
 * {@code /user/id}, {@code /tags/0}) into headers. A string value is copied as it is; a number, a
 * boolean, an object or an array as its compact JSON text; a missing value or {@code null} sets no
 * header. A body that is not JSON is handled by {@code onError} (see {@link BodyParsingInterceptor}).
 * Immutable and thread-safe (Jackson's {@code ObjectMapper} is, once configured).
 */
public final class JsonInterceptor extends BodyParsingInterceptor {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, JsonPointer> headers;

    JsonInterceptor(String label, OnError onError, Map<String, JsonPointer> headers) {
        super(label, onError);
        this.headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    @Override
    protected Map<String, String> parse(Event event) throws ParseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(event.body());
        } catch (JsonProcessingException e) {
            throw new ParseException("body is not JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new ParseException("body is not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new ParseException("body is empty, not JSON");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonPointer> h : headers.entrySet()) {
            JsonNode v = root.at(h.getValue());
            if (v.isMissingNode() || v.isNull()) {
                continue;
            }
            out.put(h.getKey(), v.isValueNode() && v.isTextual() ? v.textValue() : v.toString());
        }
        return out;
    }

    /**
     * {@code json}. Keys: {@code headers.<header> = <JSON pointer>} (one or more) and
     * {@code onError} ({@code pass}).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<String> HEADERS = ConfigKey.stringKey("headers.", null,
                "headers.<header> = a JSON pointer such as /user/id: the value found there becomes that header.");

        private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.INTERCEPTOR,
                        "json")
                .keys(HEADERS, ON_ERROR)
                .description("Parses the body as JSON and copies values found by JSON pointer into headers.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public JsonInterceptor create(ComponentContext context) {
            OnError onError = onError(context);
            Map<String, JsonPointer> pointers = new LinkedHashMap<>();
            Map<String, String> raw = context.subProperties(HEADERS.name());
            if (raw.isEmpty()) {
                context.problem(HEADERS.name() + "<header>", null, "no header is configured, so the interceptor"
                        + " would do nothing", "add e.g. headers.userId = /user/id");
                return null;
            }
            boolean ok = true;
            for (Map.Entry<String, String> e : raw.entrySet()) {
                String key = HEADERS.name() + e.getKey();
                String p = e.getValue().trim();
                try {
                    pointers.put(e.getKey(), JsonPointer.compile(p));
                } catch (IllegalArgumentException x) {
                    context.problem(key, e.getValue(), "is not a JSON pointer: " + x.getMessage(),
                            "write a JSON pointer (RFC 6901) that starts with /, e.g. /user/id or /items/0/name");
                    ok = false;
                }
            }
            return ok ? new JsonInterceptor(context.label(), onError, pointers) : null;
        }
    }
}
