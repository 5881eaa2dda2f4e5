package io.sluice.core.serialization;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * The {@code header_and_text} serializer: the headers as {@code {name=value, name2=value2}}, a
 * space, the body, then a newline when {@code appendNewline} is true (the layout Apache Flume
 * writes). Not thread-safe.
 */
final class HeaderAndTextSerializer implements EventSerializer {
    private final OutputStream out;
    private final boolean appendNewline;

    HeaderAndTextSerializer(OutputStream out, boolean appendNewline) {
        this.out = requireNonNull(out, "out is null");
        this.appendNewline = appendNewline;
    }

    @Override
    public void afterCreate() {
    }

    @Override
    public void afterReopen() {
    }

    @Override
    public void write(Event event) throws IOException {
        out.write((event.headers().toString() + " ").getBytes(StandardCharsets.UTF_8));
        ByteBuffers.write(event, out);
        if (appendNewline) {
            out.write('\n');
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void beforeClose() {
    }

    @Override
    public boolean supportsReopen() {
        return true;
    }
}
