package io.sluice.core.registry;

import io.sluice.api.ComponentKind;
import java.util.Locale;
import java.util.Map;

/**
 * Apache Flume 1.11's short type names of the components Sluice does not implement, mapped to
 * Flume's class names, so that {@code type = irc} finds Flume's own jar in {@code plugins.d}
 * exactly as {@code type = org.apache.flume.sink.irc.IRCSink} does. Immutable.
 */
final class FlumePluginAliases {
    private static final Map<ComponentKind, Map<String, String>> ALIASES = Map.of(
            ComponentKind.SOURCE, Map.of("jms", "org.apache.flume.source.jms.JMSSource"),
            ComponentKind.SINK, Map.of(
                    "irc", "org.apache.flume.sink.irc.IRCSink",
                    "elasticsearch", "org.apache.flume.sink.elasticsearch.ElasticSearchSink",
                    "hbase", "org.apache.flume.sink.hbase.HBaseSink",
                    "asynchbase", "org.apache.flume.sink.hbase.AsyncHBaseSink",
                    "hbase2", "org.apache.flume.sink.hbase2.HBase2Sink",
                    "morphline_solr", "org.apache.flume.sink.solr.morphline.MorphlineSolrSink",
                    "hive", "org.apache.flume.sink.hive.HiveSink"));

    private FlumePluginAliases() {
    }

    /** Flume's class name for {@code alias} of {@code kind}, or {@code null} when it is not one of these. */
    static String className(ComponentKind kind, String alias) {
        Map<String, String> m = ALIASES.get(kind);
        return m == null ? null : m.get(alias.toLowerCase(Locale.ROOT));
    }
}
