package io.sluice.core.sink.fileroll;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.serialization.EventSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A serializer (named by its class name) that writes each body on a line and cannot write an
 * event whose body starts with {@code poison}: it throws before writing any byte, as a serializer
 * meeting an event it cannot represent does.
 */
public final class RefusingSerializerFactory implements ComponentFactory<EventSerializer.Builder> {
    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor
            .builder(ComponentKind.EVENT_SERIALIZER, "refusing").description("Test serializer.").build();

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
                String body = event.bodyAsString();
                if (body.startsWith("poison")) {
                    throw new IllegalArgumentException("no representation for '" + body + "'");
                }
                out.write((body + "\n").getBytes(StandardCharsets.UTF_8));
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
        };
    }
}
