package io.sluice.core.iotest;

import io.sluice.api.ComponentKind;
import io.sluice.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every I/O type is found by the agent's registry under its Flume alias and Flume's class name. */
class IoComponentsRegistrationTest {
    private final ComponentRegistry registry = ComponentRegistry.standard();

    private void found(ComponentKind kind, String... names) {
        for (String n : names) {
            assertThat(registry.find(kind, n)).as("%s %s", kind, n).isPresent();
        }
    }

    @Test
    void sourcesSinksSerializersAndInterceptorsAreRegistered() {
        found(ComponentKind.SOURCE, "netcat", "org.apache.flume.source.NetcatSource", "netcatudp",
                "org.apache.flume.source.NetcatUdpSource", "exec", "org.apache.flume.source.ExecSource", "http",
                "org.apache.flume.source.http.HTTPSource", "stress", "org.apache.flume.source.StressSource", "spooldir",
                "org.apache.flume.source.SpoolDirectorySource", "syslogtcp", "org.apache.flume.source.SyslogTcpSource",
                "multiport_syslogtcp", "org.apache.flume.source.MultiportSyslogTCPSource", "syslogudp",
                "org.apache.flume.source.SyslogUDPSource");
        found(ComponentKind.SINK, "file_roll", "org.apache.flume.sink.RollingFileSink");
        found(ComponentKind.EVENT_SERIALIZER, "text", "header_and_text", "avro_event");
        found(ComponentKind.INTERCEPTOR, "timestamp", "host", "static", "remove_header", "search_replace",
                "regex_filter", "regex_extractor", "uuid",
                "org.apache.flume.interceptor.TimestampInterceptor$Builder",
                "org.apache.flume.interceptor.HostInterceptor$Builder",
                "org.apache.flume.interceptor.StaticInterceptor$Builder",
                "org.apache.flume.interceptor.RemoveHeaderInterceptor$Builder",
                "org.apache.flume.interceptor.SearchAndReplaceInterceptor$Builder",
                "org.apache.flume.interceptor.RegexFilteringInterceptor$Builder",
                "org.apache.flume.interceptor.RegexExtractorInterceptor$Builder",
                "org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder");
    }
}
