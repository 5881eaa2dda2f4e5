package io.sluice.core.source.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.Event;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Apache Flume's JSONHandler format: a JSON array of objects with optional {@code headers} (an
 * object of string values; numbers and booleans are taken as their text) and optional
 * {@code body} (a string, stored in the request's charset). Other fields are ignored.
 *
 * <pre>{@code
 * [{"headers": {"host": "web1"}, "body": "first event"}, {"body": "second event"}]
 * }</pre>
 *
 * Anything else (not an array, a non-object element, a nested header value, trailing data) is
 * rejected with a message that says what and where. Stateless and thread-safe.
 */
public final class JsonEventDecoder implements HttpEventDecoder {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Override
    public List<Event> decode(byte[] body, Charset charset, Map<String, String> httpHeaders)
            throws MalformedRequestException {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(body), charset);
                JsonParser p = JSON.createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw bad(p, "expected a JSON array of events [{\"headers\":{...},\"body\":\"...\"}, ...] but found "
                        + (first == null ? "an empty body" : describe(first)));
            }
            List<Event> events = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw bad(p, "event " + events.size() + " is " + describe(t) + ", expected an object");
                }
                events.add(readEvent(p, events.size(), charset));
            }
            if (p.nextToken() != null) {
                throw bad(p, "unexpected data after the closing ] of the event array");
            }
            return events;
        } catch (JsonProcessingException e) {
            throw new MalformedRequestException("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new MalformedRequestException("unreadable body: " + e.getMessage(), e);
        }
    }

    private static Event readEvent(JsonParser p, int index, Charset charset) throws IOException,
            MalformedRequestException {
        Map<String, String> headers = new LinkedHashMap<>();
        String body = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("headers")) {
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    throw bad(p, "event " + index + ": headers is " + describe(value) + ", expected an object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
                        throw bad(p, "event " + index + ": header '" + name + "' is " + describe(v)
                                + ", expected a string");
                    }
                    headers.put(name, p.getText());
                }
            } else if (field.equals("body")) {
                if (value == JsonToken.VALUE_NULL) {
                    body = null;
                } else if (value.isScalarValue()) {
                    body = p.getText();
                } else {
                    throw bad(p, "event " + index + ": body is " + describe(value) + ", expected a string");
                }
            } else {
                p.skipChildren();
            }
        }
        return Event.wrap(headers, body == null ? new byte[0] : body.getBytes(charset));
    }

    private static MalformedRequestException bad(JsonParser p, String message) {
        var loc = p.currentTokenLocation();
        return new MalformedRequestException(message + (loc == null ? "" : " (line " + loc.getLineNr() + ", column "
                + loc.getColumnNr() + ")"));
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : "'" + t.asString() + "'";
        }
    }
}
