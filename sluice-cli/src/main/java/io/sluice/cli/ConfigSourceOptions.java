package io.sluice.cli;

import io.sluice.core.config.source.ConfigSource;
import io.sluice.core.config.source.ConfigSources;
import io.sluice.core.config.source.FileConfigSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where {@code agent} and {@code validate} read the configuration from, with Apache Flume's option
 * spellings: {@code -f/--conf-file} and {@code -u/--conf-uri}, each repeatable and mixed in any
 * order (merged in that order, later keys overriding earlier ones, as Flume 1.10+ merges them),
 * {@code --conf-user}/{@code --conf-password} for HTTP basic authentication, and
 * {@code -z/--zkConnString} with {@code -p/--zkBasePath} for a ZooKeeper node (merged last).
 * A picocli mixin; used by one command on one thread.
 */
final class ConfigSourceOptions {
    /** Apache Flume's default ZooKeeper base path. */
    static final String DEFAULT_ZK_BASE_PATH = "/flume";

    private record Given(boolean file, String value) {
    }

    private final List<Given> given = new ArrayList<>();

    @Option(names = {"-f", "--conf-file"}, paramLabel = "FILE",
            description = "A configuration file (Apache Flume properties format). May be repeated and mixed with "
                    + "-u; later sources override earlier keys.")
    void confFile(List<String> files) {
        added(true, files);
    }

    @Option(names = {"-u", "--conf-uri"}, paramLabel = "URI",
            description = "A configuration URL (http, https or file), polled for changes. May be repeated.")
    void confUri(List<String> uris) {
        added(false, uris);
    }

    /** picocli passes the option's values so far on every occurrence; the new ones are at the end. */
    private void added(boolean file, List<String> all) {
        long known = given.stream().filter(g -> g.file() == file).count();
        for (int i = (int) known; i < all.size(); i++) {
            given.add(new Given(file, all.get(i)));
        }
    }

    @Option(names = {"--conf-user", "-user"}, paramLabel = "USER",
            description = "User for HTTP basic authentication to the -u URLs.")
    String user;

    @Option(names = {"--conf-password", "-pwd"}, paramLabel = "PASSWORD",
            description = "Password for HTTP basic authentication to the -u URLs.")
    String password;

    @Option(names = {"-z", "--zkConnString"}, paramLabel = "HOSTS",
            description = "Read the configuration from ZooKeeper (e.g. zk1:2181,zk2:2181), node <zkBasePath>/<agent>.")
    String zkConnect;

    @Option(names = {"-p", "--zkBasePath"}, paramLabel = "PATH", defaultValue = DEFAULT_ZK_BASE_PATH,
            description = "The ZooKeeper base path of agent configurations (default: ${DEFAULT-VALUE}).")
    String zkBasePath;

    boolean isEmpty() {
        return given.isEmpty() && zkConnect == null;
    }

    /**
     * The sources in command-line order, ZooKeeper last.
     *
     * @throws IllegalArgumentException naming the bad option value and what is expected
     */
    List<ConfigSource> build(String agentName) {
        if (isEmpty()) {
            throw new IllegalArgumentException("give the configuration with -f/--conf-file FILE, -u/--conf-uri URL "
                    + "or -z/--zkConnString HOSTS");
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("--conf-user and --conf-password go together; give both or neither");
        }
        List<ConfigSource> sources = new ArrayList<>();
        for (Given g : given) {
            sources.add(g.file() ? new FileConfigSource(Path.of(g.value())) : ConfigSources.fromUri(g.value(), user,
                    password));
        }
        if (zkConnect != null) {
            sources.add(ZooKeeperConfigSource.connect(zkConnect, zkBasePath, agentName));
        }
        return sources;
    }
}
