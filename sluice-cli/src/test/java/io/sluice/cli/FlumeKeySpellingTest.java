package io.sluice.cli;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ConfigKey;
import io.sluice.core.registry.ComponentRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every configuration key Apache Flume 1.11 exposes as a constant, read by reflection from Flume's
 * own classes, must be a key of the Sluice component of that type, spelled exactly the same. A key
 * Sluice deliberately does not read is listed in {@link #NOT_SUPPORTED} with the reason; everything
 * else missing or spelled differently fails here, naming the Flume class, the constant and the key.
 * Constants whose name says they are a default value ({@code DEFAULT_*}, {@code *_DEFAULT}) are
 * values, not keys, and are skipped. Flume's memory channel and its avro source keep their keys
 * as literals or private fields of classes that cannot be loaded without Flume's runtime, so they
 * have no constants to compare; the constant classes of components Sluice does not have
 * (taildir, ...) are not compared either; syslogtcp and syslogudp read a subset of the syslog
 * constants that multiport_syslogtcp is compared against.
 */
class FlumeKeySpellingTest {

    private record Peer(String flumeClass, ComponentKind kind, String sluiceType) {
    }

    /** Flume's constant classes, and the Sluice component whose keys they must be. */
    private static final List<Peer> PEERS = List.of(
            new Peer("org.apache.flume.channel.file.FileChannelConfiguration", ComponentKind.CHANNEL, "file"),
            new Peer("org.apache.flume.channel.SpillableMemoryChannel", ComponentKind.CHANNEL, "SPILLABLEMEMORY"),
            new Peer("org.apache.flume.channel.jdbc.ConfigurationConstants", ComponentKind.CHANNEL, "jdbc"),
            new Peer("org.apache.flume.source.NetcatSourceConfigurationConstants", ComponentKind.SOURCE, "netcat"),
            new Peer("org.apache.flume.source.ExecSourceConfigurationConstants", ComponentKind.SOURCE, "exec"),
            new Peer("org.apache.flume.source.http.HTTPSourceConfigurationConstants", ComponentKind.SOURCE, "http"),
            new Peer("org.apache.flume.source.SpoolDirectorySourceConfigurationConstants", ComponentKind.SOURCE,
                    "spooldir"),
            new Peer("org.apache.flume.source.SyslogSourceConfigurationConstants", ComponentKind.SOURCE,
                    "multiport_syslogtcp"),
            new Peer("org.apache.flume.source.PollableSourceConstants", ComponentKind.SOURCE, "seq"),
            new Peer("org.apache.flume.source.PollableSourceConstants", ComponentKind.SOURCE, "stress"),
            new Peer("org.apache.flume.interceptor.TimestampInterceptor$Constants", ComponentKind.INTERCEPTOR, "timestamp"),
            new Peer("org.apache.flume.interceptor.HostInterceptor$Constants", ComponentKind.INTERCEPTOR, "host"),
            new Peer("org.apache.flume.interceptor.StaticInterceptor$Constants", ComponentKind.INTERCEPTOR, "static"),
            new Peer("org.apache.flume.interceptor.RegexFilteringInterceptor$Constants", ComponentKind.INTERCEPTOR,
                    "regex_filter"),
            new Peer("org.apache.flume.serialization.AvroEventSerializerConfigurationConstants",
                    ComponentKind.EVENT_SERIALIZER, "avro_event"),
            // Flume's avro sink hands its keys to this RPC client.
            new Peer("org.apache.flume.api.RpcClientConfigurationConstants", ComponentKind.SINK, "avro"));

    private static final String SEVERAL_HOSTS = "Flume's avro sink sets hosts from hostname and port, but passes every key to "
            + "its RPC client, so these can turn it into a load-balancing or failover client over several hosts; Sluice's "
            + "avro sink sends to hostname:port, and several hosts are a load_balance or failover sink group";

    private static final String SYSLOG_FORMATS = "format.* (regex, search, replace, dateFormat) adds custom header formats "
            + "to Flume's syslogtcp and syslogudp, never to multiport_syslogtcp; Sluice parses RFC 5424 and RFC 3164 and "
            + "refuses a configuration that sets format.*";

    /** {@code type:key} of Flume keys Sluice deliberately does not read, and why. */
    static final Map<String, String> NOT_SUPPORTED = Map.ofEntries(
            Map.entry("avro:hosts", SEVERAL_HOSTS),
            Map.entry("avro:hosts.", SEVERAL_HOSTS),
            Map.entry("avro:client.type", SEVERAL_HOSTS),
            Map.entry("avro:host-selector", SEVERAL_HOSTS),
            Map.entry("avro:ROUND_ROBIN", "a value of host-selector, not a key"),
            Map.entry("avro:RANDOM", "a value of host-selector, not a key"),
            Map.entry("avro:backoff", SEVERAL_HOSTS),
            Map.entry("avro:maxBackoff", SEVERAL_HOSTS),
            Map.entry("avro:max-attempts", SEVERAL_HOSTS),
            Map.entry("avro:maxConnections", "the Thrift client's connection pool; Sluice has no Thrift sink"),
            Map.entry("avro:kerberos", "Kerberos is for the Thrift client; Sluice has no Thrift sink"),
            Map.entry("netcat:encoding", "Sluice's netcat source keeps each line's bytes as received, which is what Flume's "
                    + "decode-and-encode gives for every ASCII-compatible charset; other charsets are not supported"),
            Map.entry("http:handler.", "Sluice's http source has the JSON handler, which takes no handler.* keys; other "
                    + "handlers are Flume plugins"),
            Map.entry("http:excludeProtocols", "Flume 1.11 declares this constant but never reads it; its http source reads "
                    + "exclude-protocols, which Sluice reads too"),
            Map.entry("multiport_syslogtcp:port", "multiport_syslogtcp reads ports; port is syslogtcp's and syslogudp's"),
            Map.entry("multiport_syslogtcp:format.", SYSLOG_FORMATS),
            Map.entry("multiport_syslogtcp:regex", SYSLOG_FORMATS),
            Map.entry("multiport_syslogtcp:search", SYSLOG_FORMATS),
            Map.entry("multiport_syslogtcp:replace", SYSLOG_FORMATS),
            Map.entry("multiport_syslogtcp:dateFormat", SYSLOG_FORMATS),
            Map.entry("multiport_syslogtcp:priority", "a value of keepFields, not a key"),
            Map.entry("multiport_syslogtcp:version", "a value of keepFields, not a key"),
            Map.entry("multiport_syslogtcp:timestamp", "a value of keepFields, not a key"),
            Map.entry("multiport_syslogtcp:hostname", "a value of keepFields, not a key"),
            Map.entry("host:host", "a value, not a key: the default of hostHeader"),
            Map.entry("avro_event:schemaURL", "Sluice's avro_event serializer writes Flume's event schema; a custom schema "
                    + "needs Flume's serializer class"));

    @Test
    void everyFlumeKeyConstantIsAKeyOfTheSluiceComponentSpelledTheSame() throws Exception {
        ComponentRegistry registry = ComponentRegistry.standard();
        List<String> missing = new ArrayList<>();
        Set<String> allowedSeen = new TreeSet<>();
        int checked = 0;
        for (Peer peer : PEERS) {
            ComponentFactory<?> factory = registry.find(peer.kind(), peer.sluiceType()).orElseThrow(() ->
                    new AssertionError("Sluice has no " + peer.kind() + " '" + peer.sluiceType() + "'"));
            Set<String> sluiceKeys = new TreeSet<>();
            for (ConfigKey<?> k : factory.keys()) {
                sluiceKeys.add(k.name());
            }
            for (Field f : Class.forName(peer.flumeClass()).getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class
                        || f.getName().startsWith("DEFAULT") || f.getName().endsWith("DEFAULT")) {
                    continue;
                }
                f.setAccessible(true);
                String key = (String) f.get(null);
                checked++;
                String id = peer.sluiceType() + ":" + key;
                boolean known = key.endsWith(".") ? sluiceKeys.stream().anyMatch(k -> k.startsWith(key))
                        : sluiceKeys.contains(key);
                if (NOT_SUPPORTED.containsKey(id)) {
                    allowedSeen.add(id);
                    assertThat(known).as(id + " is allowed as unsupported but Sluice reads it: remove it from"
                            + " NOT_SUPPORTED").isFalse();
                } else if (!known) {
                    missing.add(peer.flumeClass() + "." + f.getName() + " = \"" + key + "\": not a key of Sluice's "
                            + peer.kind() + " '" + peer.sluiceType() + "' (its keys: " + sluiceKeys + ")");
                }
            }
        }
        assertThat(checked).as("Flume constants read").isGreaterThan(30);
        assertThat(missing).as("Flume keys missing or spelled differently in Sluice").isEmpty();
        assertThat(allowedSeen).as("every NOT_SUPPORTED entry names a Flume constant").isEqualTo(NOT_SUPPORTED.keySet());
    }
}
