package com.acme.flume;

import org.apache.flume.Context;
import org.apache.flume.EventDrivenSource;
import org.apache.flume.conf.Configurable;
import org.apache.flume.source.AbstractSource;

/** Refuses every configuration, as a plugin with a missing mandatory key does. */
public class BrokenConfigSource extends AbstractSource implements EventDrivenSource, Configurable {
    @Override
    public void configure(Context context) {
        throw new IllegalStateException("endpoint is required (BrokenConfigSource always says so)");
    }
}
