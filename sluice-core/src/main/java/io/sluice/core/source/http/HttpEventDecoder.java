package io.sluice.core.source.http;

import io.sluice.api.Event;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

/**
 * Turns the body of one HTTP request into events. A custom decoder is named by class name in the
 * source's {@code handler} key; it needs a public no-argument constructor and may implement
 * {@link io.sluice.api.Configurable} to read the {@code handler.*} keys. Must be thread-safe.
 */
public interface HttpEventDecoder {

    /**
     * Decodes {@code body}, sent with {@code charset} (from the Content-Type, UTF-8 when absent)
     * and the request's HTTP headers (names in lower case). Throws
     * {@link MalformedRequestException} when the body is not acceptable; then nothing is committed.
     */
    List<Event> decode(byte[] body, Charset charset, Map<String, String> httpHeaders)
            throws MalformedRequestException;
}
