package io.sluice.core.serialization;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code header_and_text} serializer: the headers as {@code {name=value, name2=value2}}, a
 * space, the body, then a newline when {@code appendNewline} is true (the layout Apache Flume
 * writes). Not thread-safe.
 */
final class HeaderAndTextSerializer extends AbstractTextSerializer {
    HeaderAndTextSerializer(OutputStream out, boolean appendNewline) {
        super(out, appendNewline);
    }

    @Override
    void writePrefix(Event event, OutputStream out) throws IOException {
        out.write((event.headers().toString() + " ").getBytes(StandardCharsets.UTF_8));
    }
}
