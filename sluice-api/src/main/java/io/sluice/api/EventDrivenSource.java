package io.sluice.api;

/** A source that receives events on its own threads (for example a Netty event loop). */
public interface EventDrivenSource extends Source {
}
