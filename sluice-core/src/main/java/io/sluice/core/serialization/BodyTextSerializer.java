package io.sluice.core.serialization;

import java.io.OutputStream;

/**
 * The {@code text} serializer: each event's body as it is, followed by a newline when
 * {@code appendNewline} is true. Headers are not written. Not thread-safe.
 */
final class BodyTextSerializer extends AbstractTextSerializer {
    BodyTextSerializer(OutputStream out, boolean appendNewline) {
        super(out, appendNewline);
    }
}
