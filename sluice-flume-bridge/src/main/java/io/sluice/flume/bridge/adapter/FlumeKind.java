package io.sluice.flume.bridge.adapter;

import io.sluice.api.ComponentKind;

/**
 * What an Apache Flume class is, found from the Flume interface it implements, and the Sluice
 * component kind it can stand for (none for parts Sluice names differently).
 */
enum FlumeKind {
    SOURCE("a Flume source", ComponentKind.SOURCE, org.apache.flume.Source.class),
    SINK("a Flume sink", ComponentKind.SINK, org.apache.flume.Sink.class),
    CHANNEL("a Flume channel", ComponentKind.CHANNEL, org.apache.flume.Channel.class),
    INTERCEPTOR_BUILDER("a Flume interceptor builder", ComponentKind.INTERCEPTOR,
            org.apache.flume.interceptor.Interceptor.Builder.class),
    INTERCEPTOR("a Flume interceptor (not its Builder)", null, org.apache.flume.interceptor.Interceptor.class),
    SERIALIZER_BUILDER("a Flume event serializer builder", ComponentKind.EVENT_SERIALIZER,
            org.apache.flume.serialization.EventSerializer.Builder.class),
    SERIALIZER("a Flume event serializer (not its Builder)", null,
            org.apache.flume.serialization.EventSerializer.class),
    SELECTOR("a Flume channel selector", ComponentKind.CHANNEL_SELECTOR, org.apache.flume.ChannelSelector.class),
    SINK_PROCESSOR("a Flume sink processor", ComponentKind.SINK_PROCESSOR, org.apache.flume.SinkProcessor.class);

    /** Apache Flume's HTTP source handler interface, checked by name: its servlet types load lazily. */
    static final String HTTP_HANDLER = "org.apache.flume.source.http.HTTPSourceHandler";

    private final String description;
    private final ComponentKind sluiceKind;
    private final Class<?> flumeType;

    FlumeKind(String description, ComponentKind sluiceKind, Class<?> flumeType) {
        this.description = description;
        this.sluiceKind = sluiceKind;
        this.flumeType = flumeType;
    }

    String description() {
        return description;
    }

    ComponentKind sluiceKind() {
        return sluiceKind;
    }

    /** The kind of {@code c}, or null when it implements none of Flume's component interfaces. */
    static FlumeKind of(Class<?> c) {
        for (FlumeKind k : values()) {
            if (k.flumeType.isAssignableFrom(c)) {
                return k;
            }
        }
        return null;
    }

    /** The words for a Sluice kind in messages: "a source", "an interceptor", ... */
    static String wanted(ComponentKind kind) {
        switch (kind) {
            case SOURCE:
                return "a source";
            case SINK:
                return "a sink";
            case CHANNEL:
                return "a channel";
            case INTERCEPTOR:
                return "an interceptor (Interceptor.Builder)";
            case EVENT_SERIALIZER:
                return "an event serializer (EventSerializer.Builder)";
            case CHANNEL_SELECTOR:
                return "a channel selector";
            case SINK_PROCESSOR:
                return "a sink processor";
            default:
                return "a " + kind.configWord();
        }
    }
}
