package io.sluice.cli;

import io.sluice.core.config.source.ConfigSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing of Apache Flume's configuration options: order across -f and -u, ZooKeeper's node, errors. */
class ConfigSourceOptionsTest {

    private static ConfigSourceOptions parse(String... args) {
        ValidateCommand command = new ValidateCommand();
        new CommandLine(command).parseArgs(args);
        return command.sources;
    }

    @Test
    void filesAndUrisKeepTheirCommandLineOrder() {
        List<ConfigSource> sources = parse("-n", "a1", "-f", "a.conf", "-u", "file:///etc/b.conf", "--conf-file", "c.conf",
                "--conf-uri", "http://127.0.0.1:1/d.conf").build("a1");

        assertThat(sources).extracting(ConfigSource::describe)
                .containsExactly("a.conf", "/etc/b.conf", "c.conf", "http://127.0.0.1:1/d.conf");
    }

    @Test
    void zooKeeperNodeIsBasePathSlashAgentAndComesLast() {
        List<ConfigSource> sources = parse("-n", "a1", "-z", "127.0.0.1:1", "-f", "a.conf").build("a1");
        assertThat(sources).extracting(ConfigSource::describe).containsExactly("a.conf", "zookeeper 127.0.0.1:1/flume/a1");
        sources.forEach(ConfigSource::close);

        List<ConfigSource> custom = parse("-n", "a1", "-z", "127.0.0.1:1", "-p", "/conf/").build("a1");
        assertThat(custom).extracting(ConfigSource::describe).containsExactly("zookeeper 127.0.0.1:1/conf/a1");
        custom.forEach(ConfigSource::close);
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> parse("-n", "a1", "-z", "h:1", "-p", "flume").build("a1"))
                .hasMessageContaining("-p/--zkBasePath flume: must start with '/'");
        assertThatThrownBy(() -> parse("-n", "a1", "-u", "ftp://h/x").build("a1"))
                .hasMessageContaining("scheme 'ftp' is not supported");
        assertThatThrownBy(() -> parse("-n", "a1").build("a1"))
                .hasMessageContaining("give the configuration with -f/--conf-file FILE");
    }
}
