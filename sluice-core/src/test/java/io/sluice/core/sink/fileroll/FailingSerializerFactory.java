package io.sluice.core.sink.fileroll;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.serialization.EventSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hand-written serializer for the sink tests: writes bodies like {@code text}, but fails with an
 * IOException (as a full disk would) while {@link #FAIL} is set, and cannot write an event whose
 * body starts with {@code poison}: for that one it throws an unchecked exception before writing
 * any byte, as a serializer meeting an event it cannot represent does. Loaded by class name, as a
 * user's plugin would be.
 */
public final class FailingSerializerFactory implements ComponentFactory<EventSerializer.Builder> {
    static final AtomicBoolean FAIL = new AtomicBoolean();

    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.EVENT_SERIALIZER, "failing_for_tests")
            .description("Test serializer that fails on demand.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public EventSerializer.Builder create(ComponentContext context) {
        return out -> new EventSerializer() {
            @Override
            public void afterCreate() {
            }

            @Override
            public void afterReopen() {
            }

            @Override
            public void write(Event event) throws IOException {
                if (FAIL.get()) {
                    throw new IOException("No space left on device (simulated)");
                }
                if (event.bodyAsString().startsWith("poison")) {
                    throw new IllegalArgumentException("no representation for '" + event.bodyAsString() + "'");
                }
                out.write((event.bodyAsString() + "\n").getBytes(StandardCharsets.UTF_8));
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
                return false;
            }
        };
    }

}
