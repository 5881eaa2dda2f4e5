package io.sluice.core.sinkprocessor;

import java.util.Map;

/** Implemented by a processor whose keys name sinks, so the agent can check they are in the group. */
public interface SinkReferences {

    /** Relative key (e.g. {@code priority.k1}) to the sink name it names. */
    Map<String, String> sinkReferences();
}
