package io.sluice.core.registry;

import io.sluice.api.ComponentFactory;
import io.sluice.core.interceptor.CsvInterceptor;
import io.sluice.core.interceptor.HostInterceptor;
import io.sluice.core.interceptor.JsonInterceptor;
import io.sluice.core.interceptor.RegexExtractorInterceptor;
import io.sluice.core.interceptor.RegexFilterInterceptor;
import io.sluice.core.interceptor.RemoveHeaderInterceptor;
import io.sluice.core.interceptor.SearchReplaceInterceptor;
import io.sluice.core.interceptor.StaticInterceptor;
import io.sluice.core.interceptor.TimestampInterceptor;
import io.sluice.core.interceptor.UuidInterceptor;
import io.sluice.core.interceptor.XmlInterceptor;
import io.sluice.core.serialization.EventSerializers;
import io.sluice.core.sink.fileroll.RollingFileSinkFactory;
import io.sluice.core.source.exec.ExecSourceFactory;
import io.sluice.core.source.http.HttpSourceFactory;
import io.sluice.core.source.netcat.NetcatSourceFactory;
import io.sluice.core.source.netcatudp.NetcatUdpSourceFactory;
import io.sluice.core.source.spooldir.SpoolDirectorySourceFactory;
import io.sluice.core.source.stress.StressSourceFactory;
import io.sluice.core.source.syslog.MultiportSyslogTcpSourceFactory;
import io.sluice.core.source.syslog.SyslogTcpSourceFactory;
import io.sluice.core.source.syslog.SyslogUdpSourceFactory;
import io.sluice.core.source.taildir.TaildirSourceFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Built-in I/O types: the netcat, netcatudp, exec, http, stress, spooldir, TAILDIR and syslog sources, the file_roll sink and
 * its serializers, and the interceptors.
 */
final class IoComponents {
    private IoComponents() {
    }

    static List<ComponentFactory<?>> factories() {
        List<ComponentFactory<?>> all = new ArrayList<>(List.of(
                new NetcatSourceFactory(),
                new NetcatUdpSourceFactory(),
                new ExecSourceFactory(),
                new HttpSourceFactory(),
                new StressSourceFactory(),
                new SpoolDirectorySourceFactory(),
                new TaildirSourceFactory(),
                new SyslogTcpSourceFactory(),
                new MultiportSyslogTcpSourceFactory(),
                new SyslogUdpSourceFactory(),
                new RollingFileSinkFactory(),
                new TimestampInterceptor.Factory(),
                new HostInterceptor.Factory(),
                new StaticInterceptor.Factory(),
                new RemoveHeaderInterceptor.Factory(),
                new SearchReplaceInterceptor.Factory(),
                new RegexFilterInterceptor.Factory(),
                new RegexExtractorInterceptor.Factory(),
                new UuidInterceptor.Factory(),
                new JsonInterceptor.Factory(),
                new CsvInterceptor.Factory(),
                new XmlInterceptor.Factory()));
        all.addAll(EventSerializers.builtIn());
        return List.copyOf(all);
    }
}
