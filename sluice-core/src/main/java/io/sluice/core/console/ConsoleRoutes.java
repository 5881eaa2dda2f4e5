package io.sluice.core.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.api.text.DidYouMean;
import io.sluice.core.agent.Topology;
import io.sluice.core.http.HttpEndpointServer.Answer;
import io.sluice.core.http.HttpEndpointServer.Request;
import io.sluice.core.http.HttpEndpointServer.Route;
import io.sluice.core.tap.TapKind;
import io.sluice.core.tap.TapRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The routes of the metrics port for people: {@code GET /} (the web console) and its assets,
 * {@code GET /topology}, {@code GET /problems}, and {@code GET /tap?component=NAME[&limit=N]}.
 * Every one answers 403 to a client that is not on the loopback interface; {@code /tap} also
 * answers 401 (and nothing else) unless the request carries {@code Authorization: Bearer <token>}.
 * A component is named as in the configuration ({@code r1}), or with its kind when a source, a
 * channel and a sink share a name ({@code sources.r1}, {@code channels.r1}, {@code sinks.r1}).
 */
public final class ConsoleRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON_TYPE = "application/json;charset=utf-8";
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css");

    /** What the routes read from the running agent. */
    public record Source(String agentName, TapRegistry taps, Supplier<Topology> topology, ProblemLog problems) {
        public Source {
            requireNonNull(agentName, "agentName is null");
            requireNonNull(taps, "taps is null");
            requireNonNull(topology, "topology is null");
            requireNonNull(problems, "problems is null");
        }
    }

    private ConsoleRoutes() {
    }

    /** The routes, by path. */
    public static Map<String, Route> routes(Source source, AccessToken token, TapStreams streams) {
        requireNonNull(source, "source is null");
        requireNonNull(token, "token is null");
        requireNonNull(streams, "streams is null");
        Map<String, Route> routes = new LinkedHashMap<>();
        ASSETS.forEach((path, file) -> {
            String body = asset(file);
            String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                    : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            routes.put(path, loopbackOnly(r -> new Answer(200, type, body)
                    .withHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
                    .withHeader("X-Content-Type-Options", "nosniff")
                    .withHeader("Cache-Control", "no-cache")));
        });
        routes.put("/topology", loopbackOnly(r -> new Answer(200, JSON_TYPE, topologyJson(source))));
        routes.put("/problems", loopbackOnly(r -> new Answer(200, JSON_TYPE, problemsJson(source.problems()))));
        routes.put("/tap", loopbackOnly(r -> tap(r, source, token, streams)));
        return routes;
    }

    private static Route loopbackOnly(Route route) {
        return r -> r.fromLoopback() ? route.answer(r)
                : new Answer(403, TEXT, "this is served only to clients on 127.0.0.1; connect from the agent's host"
                        + " (e.g. through an SSH tunnel)\n");
    }

    static Answer tap(Request r, Source source, AccessToken token, TapStreams streams) {
        if (!token.accepts(r.header("Authorization"))) {
            return new Answer(401, TEXT, "unauthorized\n").withHeader("WWW-Authenticate", "Bearer realm=\"sluice\"");
        }
        Topology t = source.topology().get();
        String name = r.parameter("component");
        if (name == null || name.isBlank()) {
            return new Answer(400, TEXT, "name the component to tap: /tap?component=NAME[&limit=N]; known: "
                    + known(t) + "\n");
        }
        long limit = 0;
        String l = r.parameter("limit");
        if (l != null) {
            try {
                limit = Long.parseLong(l.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1) {
                return new Answer(400, TEXT, "limit = " + l + ": must be a whole number of at least 1 (leave it out"
                        + " to tap until you disconnect)\n");
            }
        }
        List<TapKind> kinds = new ArrayList<>();
        String bare = name.trim();
        for (TapKind k : TapKind.values()) {
            String prefix = k.plural() + ".";
            if (bare.toLowerCase(Locale.ROOT).startsWith(prefix) && names(t, k).contains(bare.substring(prefix.length()))) {
                kinds.add(k);
                bare = bare.substring(prefix.length());
                break;
            }
        }
        if (kinds.isEmpty()) {
            for (TapKind k : TapKind.values()) {
                if (names(t, k).contains(bare)) {
                    kinds.add(k);
                }
            }
        }
        if (kinds.isEmpty()) {
            List<String> all = new ArrayList<>();
            for (TapKind k : TapKind.values()) {
                all.addAll(names(t, k));
            }
            return new Answer(404, TEXT, "agent " + source.agentName() + " has no component '" + name + "'"
                    + DidYouMean.suggest(name, all) + "; known: " + known(t) + "\n");
        }
        if (kinds.size() > 1) {
            return new Answer(400, TEXT, "'" + name + "' names more than one component; say which: "
                    + String.join(", ", kinds.stream().map(k -> k.plural() + "." + name).toList()) + "\n");
        }
        TapKind kind = kinds.get(0);
        String component = bare;
        long max = limit;
        return Answer.stream("application/x-ndjson; charset=utf-8",
                out -> streams.serve(source.taps().point(kind, component), max, out));
    }

    static List<String> names(Topology t, TapKind kind) {
        return switch (kind) {
            case SOURCE -> t.sources().stream().map(Topology.SourceNode::name).toList();
            case CHANNEL -> t.channels().stream().map(Topology.ChannelNode::name).toList();
            case SINK -> t.sinks().stream().map(Topology.SinkNode::name).toList();
        };
    }

    private static String known(Topology t) {
        List<String> parts = new ArrayList<>();
        for (TapKind k : TapKind.values()) {
            List<String> n = names(t, k);
            if (!n.isEmpty()) {
                parts.add(k.plural() + " " + String.join(" ", n));
            }
        }
        return parts.isEmpty() ? "(none)" : String.join("; ", parts);
    }

    static String topologyJson(Source source) {
        ObjectNode o = JSON.createObjectNode();
        o.put("agent", source.agentName());
        o.setAll((ObjectNode) JSON.valueToTree(source.topology().get()));
        return o.toString();
    }

    static String problemsJson(ProblemLog log) {
        ObjectNode o = JSON.createObjectNode();
        o.put("total", log.total());
        ArrayNode a = o.putArray("recent");
        for (ProblemLog.Entry e : log.recent()) {
            ObjectNode n = a.addObject();
            n.put("time", e.time().toString());
            n.put("level", e.level());
            n.put("logger", e.logger());
            n.put("message", e.message());
        }
        return o.toString();
    }

    private static String asset(String file) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("console asset " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
