package io.sluice.core.serialization;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/**
 * The {@code text} serializer: each event's body as it is, followed by a newline when
 * {@code appendNewline} is true. Headers are not written. Not thread-safe.
 */
final class BodyTextSerializer implements EventSerializer {
    private final OutputStream out;
    private final boolean appendNewline;

    BodyTextSerializer(OutputStream out, boolean appendNewline) {
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
