package io.sluice.cli.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice tap -p METRICS_PORT COMPONENT}: prints the events passing one component of a
 * running agent (a source's events after its interceptors, a channel's committed puts, a sink's
 * committed takes) with their headers and a preview of their body. The agent drops what this
 * reader cannot keep up with and says how many; it never slows down for it. The token comes from
 * the agent's token file, found by port in the run directory, or from {@code --token-file}.
 */
@Command(name = "tap", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "Print the events passing one component of a running agent (loopback only, with the token the"
                + " agent wrote at start).")
public final class TapCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How events are printed. */
    public enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "METRICS_PORT",
            description = "The agent's metrics port.")
    int port;

    @Parameters(index = "0", paramLabel = "COMPONENT",
            description = "A source, channel or sink name (sources.NAME, channels.NAME or sinks.NAME when names clash).")
    String component;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events (default: until Ctrl-C).")
    Long limit;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text: one readable line per event; json: the agent's JSON lines as they are (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The agent's token file (default: <run dir>/<agent>-<port>.token, found by port).")
    Path tokenFile;

    @Option(names = "--host", defaultValue = "127.0.0.1", hidden = true)
    String host;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (limit != null && limit < 1) {
            err.println("sluice tap: --limit " + limit + ": must be at least 1");
            return 2;
        }
        String token;
        try {
            token = readToken();
        } catch (IOException e) {
            err.println("sluice tap: " + e.getMessage());
            return 1;
        }
        AgentEndpoint agent = new AgentEndpoint(host, port);
        String query = "/tap?component=" + URLEncoder.encode(component, StandardCharsets.UTF_8)
                + (limit == null ? "" : "&limit=" + limit);
        HttpResponse<Stream<String>> r;
        try {
            r = agent.client().send(HttpRequest.newBuilder(agent.uri(query)).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofLines());
        } catch (ConnectException e) {
            err.println("sluice tap: no agent answers on " + agent.describe() + " (is its metrics port " + port + "?)");
            return 1;
        }
        try (Stream<String> lines = r.body()) {
            if (r.statusCode() == 401) {
                err.println("sluice tap: the agent on " + agent.describe() + " refused the token of " + shownTokenFile()
                        + "; each start writes a new one: is that file from the agent that runs on this port now?");
                return 1;
            }
            if (r.statusCode() != 200) {
                err.println("sluice tap: " + String.join(" ", lines.toList()).trim());
                return 1;
            }
            long dropped = 0;
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    continue;
                }
                if (format == Format.json) {
                    out.println(line);
                    out.flush();
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                if (e.has("dropped")) {
                    long d = e.get("dropped").asLong();
                    if (d > dropped) {
                        err.println("sluice tap: " + d + " event(s) dropped so far: this reader is slower than the agent");
                        err.flush();
                    }
                    dropped = d;
                    continue;
                }
                out.println(text(e));
                out.flush();
            }
            return 0;
        }
    }

    private String shownTokenFile() {
        return tokenFile == null ? "the token file for port " + port : tokenFile.toString();
    }

    static String text(JsonNode e) {
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(e.path("kind").asText()).append(' ').append(e.path("component").asText()).append("] ");
        StringBuilder headers = new StringBuilder("{");
        for (Iterator<Map.Entry<String, JsonNode>> it = e.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.append(headers.length() > 1 ? ", " : "").append(h.getKey()).append('=').append(h.getValue().asText());
        }
        sb.append(headers).append("} ");
        if (e.has("body")) {
            sb.append(e.get("body").asText().replace("\n", "\\n").replace("\r", "\\r"));
        } else {
            sb.append("base64:").append(e.path("bodyBase64").asText());
        }
        if (e.path("truncated").asBoolean()) {
            sb.append(" ... (").append(e.path("bodySize").asLong()).append(" bytes)");
        }
        return sb.toString();
    }

    private String readToken() throws IOException {
        Path file = tokenFile;
        if (file == null) {
            List<Path> found = RunDirectory.tokenFiles(port);
            if (found.isEmpty()) {
                throw new IOException("found no token file for port " + port + " in " + RunDirectory.candidates()
                        + "; the agent logs its path at start ('tap token in ...'): pass it with --token-file");
            }
            // A stale file of an agent killed with -9 may remain: the newest is the running agent's.
            file = found.stream().max(Comparator.comparing(TapCommand::modified)).orElseThrow();
            tokenFile = file;
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new IOException("cannot read the token file " + file + ": " + e.getMessage()
                    + " (it is readable by the user who runs the agent only)", e);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
