package io.sluice.api;

/** A named, started and stopped part of an agent: a source, channel, sink or sink processor. */
public interface Component extends Lifecycle {

    /** The name from the configuration, e.g. {@code c1}. */
    String name();
}
