package io.sluice.api;

/** The kinds of pluggable components, as they appear in a configuration file. */
public enum ComponentKind {
    SOURCE("sources"),
    CHANNEL("channels"),
    SINK("sinks"),
    SINK_PROCESSOR("sinkgroups"),
    CHANNEL_SELECTOR("selector"),
    INTERCEPTOR("interceptors"),
    /** Event serializers used by sinks that write files (file_roll, later hdfs). */
    EVENT_SERIALIZER("serializer"),
    /** Serializers used by the regex_extractor interceptor. */
    INTERCEPTOR_SERIALIZER("serializers");

    private final String configWord;

    ComponentKind(String configWord) {
        this.configWord = configWord;
    }

    /** The word used for this kind in a configuration key, e.g. {@code channels}. */
    public String configWord() {
        return configWord;
    }
}
