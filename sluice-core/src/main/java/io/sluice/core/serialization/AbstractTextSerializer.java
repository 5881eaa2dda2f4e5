package io.sluice.core.serialization;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/**
 * What the text serializers share: per event an optional prefix ({@link #writePrefix}), the body
 * as it is, and a newline when {@code appendNewline} is true; nothing written on create, reopen
 * or close, and reopening is supported. Not thread-safe.
 */
abstract class AbstractTextSerializer implements EventSerializer {
    private final OutputStream out;
    private final boolean appendNewline;

    AbstractTextSerializer(OutputStream out, boolean appendNewline) {
        this.out = requireNonNull(out, "out is null");
        this.appendNewline = appendNewline;
    }

    /** Writes what comes before the body of {@code event}; nothing by default. */
    void writePrefix(Event event, OutputStream out) throws IOException {
    }

    @Override
    public final void afterCreate() {
    }

    @Override
    public final void afterReopen() {
    }

    @Override
    public final void write(Event event) throws IOException {
        writePrefix(event, out);
        ByteBuffers.write(event, out);
        if (appendNewline) {
            out.write('\n');
        }
    }

    @Override
    public final void flush() throws IOException {
        out.flush();
    }

    @Override
    public final void beforeClose() {
    }

    @Override
    public final boolean supportsReopen() {
        return true;
    }
}
