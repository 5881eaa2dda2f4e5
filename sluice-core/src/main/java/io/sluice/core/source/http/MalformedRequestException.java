package io.sluice.core.source.http;

/** A request body the decoder cannot turn into events; answered 400 with this message. */
public class MalformedRequestException extends Exception {
    public MalformedRequestException(String message) {
        super(message);
    }

    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
