package io.sluice.channel.file;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.serialization.EventSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/**
 * A test serializer ({@code sink.serializer = io.sluice.channel.file.PoisonTextSerializerFactory}):
 * writes each body and a newline, and refuses, before writing any byte, the events of
 * {@link TestChannels#event(int)} numbered in {@link #POISON}, as a serializer refuses an event
 * it cannot write.
 */
public final class PoisonTextSerializerFactory implements ComponentFactory<EventSerializer.Builder> {
    /** The event numbers refused: one in the first 100-event batch, the middle and the end of the third. */
    static final Set<Integer> POISON = Set.of(42, 250, 299);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.EVENT_SERIALIZER,
            "poison_text").description("Test serializer refusing some events.").build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public EventSerializer.Builder create(ComponentContext context) {
        return out -> new Serializer(out);
    }

    private static final class Serializer implements EventSerializer {
        private final OutputStream out;

        Serializer(OutputStream out) {
            this.out = out;
        }

        @Override
        public void afterCreate() {
        }

        @Override
        public void afterReopen() {
        }

        @Override
        public void write(Event event) throws IOException {
            if (POISON.contains(TestChannels.number(event))) {
                throw new IllegalArgumentException("event " + TestChannels.number(event) + " is poison");
            }
            out.write(event.body());
            out.write('\n');
        }

        @Override
        public void flush() {
        }

        @Override
        public void beforeClose() {
        }

        @Override
        public boolean supportsReopen() {
            return false;
        }
    }
}
