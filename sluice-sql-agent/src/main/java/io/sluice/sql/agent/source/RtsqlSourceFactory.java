package io.sluice.sql.agent.source;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.sql.agent.http.ServerAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The rtsql source: type {@code rtsql} (or this module's class name
 * {@code io.sluice.sql.agent.source.RtsqlSource}). Keys: {@code server} (required,
 * {@code HOST:PORT} of {@code sluice server}), {@code stream} (required, the server's stream to read,
 * e.g. one made with {@code CREATE STREAM x AS SELECT ...}), {@code tokenFile} (the server's
 * {@code <data-dir>/token}; default: the {@code SLUICE_TOKEN} environment variable), {@code tls}
 * (false), {@code truststore} (a JKS or PKCS12 file; default: the JVM's), {@code batchSize} (100
 * events per transaction).
 */
public final class RtsqlSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> SERVER = ConfigKey.stringKey("server", null,
            "HOST:PORT of the rtsql server (sluice server).").required();
    public static final ConfigKey<String> STREAM = ConfigKey.stringKey("stream", null,
            "The server's stream to read; every row becomes one event.").required();
    public static final ConfigKey<String> TOKEN_FILE = ConfigKey.stringKey("tokenFile", null,
            "File holding the server's token (the file token in its data directory); default: the SLUICE_TOKEN environment variable.");
    public static final ConfigKey<Boolean> TLS = ConfigKey.boolKey("tls", false, "Reach the server over TLS.");
    public static final ConfigKey<String> TRUSTSTORE = ConfigKey.stringKey("truststore", null,
            "JKS or PKCS12 trust store for the server's certificate; default: the JVM's.");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
            "Events per transaction (a batch is also committed 100 ms after its first event).").atLeast(1);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "rtsql")
            .otherNames(RtsqlSource.class.getName())
            .keys(SERVER, STREAM, TOKEN_FILE, TLS, TRUSTSTORE, BATCH_SIZE)
            .description("Reads a stream of an rtsql server (SELECT * FROM stream); each row becomes an event whose "
                    + "body is an Avro binary record, with its schema in the flume.avro.schema.literal header.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        String server = context.get(SERVER);
        String stream = context.get(STREAM);
        String tokenFile = context.get(TOKEN_FILE);
        boolean tls = context.get(TLS);
        String truststore = context.get(TRUSTSTORE);
        int batchSize = context.get(BATCH_SIZE);
        if (server == null || stream == null) {
            return null;
        }
        if (stream.isBlank()) {
            context.problem(STREAM.name(), stream, "must name a stream", "set stream to a stream of the server "
                    + "(SHOW STREAMS lists them)");
            return null;
        }
        String token;
        try {
            token = tokenFile != null ? ServerAddress.readToken(Path.of(tokenFile)) : System.getenv("SLUICE_TOKEN");
        } catch (IllegalArgumentException e) {
            context.problem(TOKEN_FILE.name(), tokenFile, "cannot be read", e.getMessage());
            return null;
        }
        if (token == null || token.isBlank()) {
            context.problem(TOKEN_FILE.name(), tokenFile, tokenFile == null ? "is not set and SLUICE_TOKEN is empty"
                    : "holds no token", "set tokenFile to the server's <data-dir>/token, or export SLUICE_TOKEN");
            return null;
        }
        ServerAddress address;
        try {
            address = ServerAddress.of(server, token, tls, truststore == null ? null : Path.of(truststore));
        } catch (IllegalArgumentException e) {
            context.problem(truststore != null && e.getMessage().contains("trust store") ? TRUSTSTORE.name()
                    : SERVER.name(), truststore != null && e.getMessage().contains("trust store") ? truststore : server,
                    "is not usable", e.getMessage());
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new RtsqlSource(context.name(), context.label(), address, stream.trim(), batchSize, Duration.ofSeconds(1),
                Duration.ofSeconds(30), counter, context.clock());
    }
}
