package io.sluice.channel.file.log;

import java.io.IOException;

/** A record on disk failed its length, type or checksum check; the message names file and offset. */
public final class CorruptRecordException extends IOException {
    public CorruptRecordException(String message) {
        super(message);
    }
}
