package io.sluice.sql.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.Event;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import io.sluice.sql.Column;
import io.sluice.sql.Flow;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.StatementResult;
import io.sluice.sql.plan.StreamDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The server's HTTP + JSON API (documented in docs/rtsql-server.md): statements, push queries,
 * flows, streams and the node protocol. Thread-safe: it holds no state of its own beyond the
 * engine's and the registry's, which are.
 */
final class ApiRoutes implements ApiHttpServer.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final Pattern FLOW = Pattern.compile("/v1/flows/(\\d+)(/watch)?");
    private static final Pattern NODE_TEES = Pattern.compile("/v1/nodes/([^/]+)/tees");
    private static final Pattern NODE_TEE = Pattern.compile("/v1/nodes/([^/]+)/tees/([^/]+)");
    private static final String ENDPOINTS = "POST /v1/statements, POST /query-stream, GET /v1/flows, "
            + "GET /v1/flows/{id}, GET /v1/flows/{id}/watch, DELETE /v1/flows/{id}, GET /v1/streams, GET /v1/nodes, "
            + "GET /v1/nodes/{agent}/tees, POST /v1/nodes/{agent}/tees/{component}";
    /**
     * The most events per tee batch (either format); announced on each registration with the
     * request size limit ({@link TeeAccept}). Agents that read no announcement send at most 1,000.
     */
    static final int MAX_TEE_EVENTS = 65_536;
    /** The most headers per tee event and bytes per event or body the server takes in a binary tee batch. */
    static final int MAX_TEE_HEADERS = 1024;
    static final int MAX_TEE_EVENT_BYTES = 4 << 20;
    private static final TeeFrames.Limits TEE_LIMITS = new TeeFrames.Limits(MAX_TEE_EVENTS, MAX_TEE_EVENT_BYTES,
            MAX_TEE_HEADERS, MAX_TEE_EVENT_BYTES);

    private final RtsqlEngine engine;
    private final NodeRegistry nodes;
    /** What a registration's answer announces: the tee formats and limits ({@link TeeAccept}). */
    private final Map<String, String> teeAccept;

    /** @param maxRequestBytes the largest request body the listener takes (announced to agents) */
    ApiRoutes(RtsqlEngine engine, NodeRegistry nodes, int maxRequestBytes) {
        this.engine = requireNonNull(engine, "engine is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.teeAccept = Map.of(TeeAccept.ACCEPT_HEADER, TeeAccept.acceptValue(), TeeAccept.MAX_EVENTS_HEADER,
                Integer.toString(MAX_TEE_EVENTS), TeeAccept.MAX_BYTES_HEADER, Integer.toString(maxRequestBytes));
    }

    @Override
    public ApiHttpServer.Reply handle(ApiHttpServer.Request r) {
        String path = r.path().length() > 1 && r.path().endsWith("/") ? r.path().substring(0, r.path().length() - 1)
                : r.path();
        switch (path) {
            case "/v1/statements":
                return method(r, "POST") ? statement(r) : notAllowed(r, "POST");
            case "/query-stream":
                return method(r, "POST") ? queryStream(r) : notAllowed(r, "POST");
            case "/v1/flows":
                return method(r, "GET") ? ApiHttpServer.Reply.json(200, Json.write(Map.of("flows", flows())))
                        : notAllowed(r, "GET");
            case "/v1/streams":
                return method(r, "GET") ? ApiHttpServer.Reply.json(200, Json.write(Map.of("streams", streams())))
                        : notAllowed(r, "GET");
            case "/v1/nodes":
                return method(r, "GET") ? ApiHttpServer.Reply.json(200, Json.write(Map.of("nodes", nodes.describe())))
                        : notAllowed(r, "GET");
            default:
                break;
        }
        Matcher m = FLOW.matcher(path);
        if (m.matches()) {
            long id = Long.parseLong(m.group(1));
            if (m.group(2) != null) {
                return method(r, "GET") ? watch(id) : notAllowed(r, "GET");
            }
            if (method(r, "GET")) {
                return engine.flow(id).map(f -> ApiHttpServer.Reply.json(200, Json.write(flowJson(f))))
                        .orElse(noFlow(id));
            }
            return method(r, "DELETE") ? drop(id, "true".equals(r.parameter("wait"))) : notAllowed(r, "GET, DELETE");
        }
        m = NODE_TEE.matcher(path);
        if (m.matches()) {
            return method(r, "POST") ? teeBatch(r, m.group(1), m.group(2)) : notAllowed(r, "POST");
        }
        m = NODE_TEES.matcher(path);
        if (m.matches()) {
            return method(r, "GET") ? register(r, m.group(1)) : notAllowed(r, "GET");
        }
        return ApiHttpServer.Reply.json(404, Json.error("not_found", "no endpoint " + r.method() + " " + r.path()
                + "; the endpoints are " + ENDPOINTS));
    }

    private static boolean method(ApiHttpServer.Request r, String m) {
        return r.method().equals(m);
    }

    private static ApiHttpServer.Reply notAllowed(ApiHttpServer.Request r, String allowed) {
        return ApiHttpServer.Reply.json(405, Json.error("method_not_allowed", r.method() + " " + r.path()
                + " is not supported; use " + allowed));
    }

    private static ApiHttpServer.Reply bad(String message) {
        return ApiHttpServer.Reply.json(400, Json.error("bad_request", message));
    }

    private static ApiHttpServer.Reply noFlow(long id) {
        return ApiHttpServer.Reply.json(404, Json.error("not_found", "flow " + id + " does not exist; GET /v1/flows"
                + " lists them"));
    }

    /** The JSON body of a POST, or null (and the 400 to send) when it is not an object with a string "sql". */
    private static JsonNode body(ApiHttpServer.Request r, ApiHttpServer.Reply[] error) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            error[0] = bad("the body is not JSON: " + e.getMessage().lines().findFirst().orElse("") + "; send {\"sql\":\"...\"}");
            return null;
        }
        if (body == null || !body.isObject() || !body.path("sql").isTextual()) {
            error[0] = bad("the body must be a JSON object with a string \"sql\", e.g. {\"sql\":\"SHOW STREAMS\"}");
            return null;
        }
        return body;
    }

    // ---- statements ----

    private ApiHttpServer.Reply statement(ApiHttpServer.Request r) {
        ApiHttpServer.Reply[] error = new ApiHttpServer.Reply[1];
        JsonNode body = body(r, error);
        if (body == null) {
            return error[0];
        }
        String sql = body.path("sql").asText();
        boolean watch = body.path("watch").asBoolean(false);
        List<String> statements;
        try {
            statements = RtsqlEngine.splitStatements(sql);
        } catch (RtsqlException e) {
            return ApiHttpServer.Reply.json(400, Json.error("statement", e.getMessage()));
        }
        if (statements.size() != 1) {
            return bad(statements.size() + " statements given; send exactly one per request");
        }
        WatchStream stream = watch ? new WatchStream(f -> Json.write(Map.of("end", flowJson(f))) + "\n") : null;
        StatementResult result;
        try {
            result = engine.execute(statements.get(0), stream);
        } catch (RtsqlException e) {
            return ApiHttpServer.Reply.json(400, Json.error("statement", e.getMessage()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", result.message());
        out.put("columnNames", Json.names(result.columns()));
        out.put("columnTypes", Json.types(result.columns()));
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            List<Object> values = new ArrayList<>();
            for (Object v : row) {
                values.add(Json.value(v));
            }
            rows.add(values);
        }
        out.put("rows", rows);
        result.flow().ifPresent(f -> out.put("flow", flowJson(f)));
        if (stream == null || result.flow().isEmpty()) {
            return ApiHttpServer.Reply.json(200, Json.write(out));
        }
        Flow flow = result.flow().get();
        return ApiHttpServer.Reply.stream(w -> {
            // the client leaving stops the watch, never the flow
            w.onClose(() -> flow.unsubscribe(stream));
            stream.attach(w, Json.write(out) + "\n");
        });
    }

    private ApiHttpServer.Reply queryStream(ApiHttpServer.Request r) {
        ApiHttpServer.Reply[] error = new ApiHttpServer.Reply[1];
        JsonNode body = body(r, error);
        if (body == null) {
            return error[0];
        }
        JsonNode props = body.path("properties");
        if (!props.isMissingNode() && !props.isNull() && (!props.isObject() || props.size() > 0)) {
            return bad("\"properties\" must be an empty object: no query property is supported yet");
        }
        WatchStream stream = new WatchStream(f -> f.state() == Flow.State.FAILED
                ? Json.write(Map.of("error", "flow_failed", "message", f.failure().map(Throwable::toString)
                        .orElse("failed"))) + "\n" : null);
        Flow flow;
        try {
            flow = engine.query(body.path("sql").asText(), stream);
        } catch (RtsqlException e) {
            return ApiHttpServer.Reply.json(400, Json.error("statement", e.getMessage()));
        }
        String header = Json.header("queryId", "q-" + flow.id(), flow.columns());
        return ApiHttpServer.Reply.stream(w -> {
            // a push query lives as long as its client
            w.onClose(() -> {
                try {
                    if (flow.state() == Flow.State.RUNNING) {
                        engine.dropFlow(flow.id());
                    }
                } catch (RtsqlException e) {
                    LOG.debug("[rtsql server] query q-{} ended before its client left", flow.id());
                }
            });
            stream.attach(w, header);
        });
    }

    // ---- flows and streams ----

    private List<Map<String, Object>> flows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Flow f : engine.flows()) {
            out.add(flowJson(f));
        }
        return out;
    }

    Map<String, Object> flowJson(Flow f) {
        return Json.flow(f, engine.flowWaiting(f.id()));
    }

    private ApiHttpServer.Reply watch(long id) {
        Optional<Flow> flow = engine.flow(id);
        if (flow.isEmpty()) {
            return noFlow(id);
        }
        Flow f = flow.get();
        WatchStream stream = new WatchStream(x -> Json.write(Map.of("end", flowJson(x))) + "\n");
        f.subscribe(stream);
        String header = Json.header("flowId", id, f.columns());
        return ApiHttpServer.Reply.stream(w -> {
            w.onClose(() -> f.unsubscribe(stream));
            stream.attach(w, header);
            if (f.state() != Flow.State.RUNNING) {
                // it ended before we subscribed: say so at once
                f.unsubscribe(stream);
                stream.onEnd(f);
            }
        });
    }

    private ApiHttpServer.Reply drop(long id, boolean wait) {
        Optional<Flow> flow = engine.flow(id);
        if (flow.isEmpty()) {
            return noFlow(id);
        }
        try {
            engine.dropFlow(id);
        } catch (RtsqlException e) {
            return ApiHttpServer.Reply.json(409, Json.error("conflict", e.getMessage()));
        }
        if (wait) {
            try {
                if (!flow.get().awaitEnd(Duration.ofSeconds(30))) {
                    return ApiHttpServer.Reply.json(504, Json.error("timeout", "flow " + id
                            + " has not stopped after 30 s"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ApiHttpServer.Reply.json(200, Json.write(Map.of("message", "Flow " + id + " dropped", "flow",
                flowJson(flow.get()))));
    }

    private List<Map<String, Object>> streams() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, String> statements = engine.streamStatements();
        for (String name : statements.keySet()) {
            Optional<StreamDef> d = engine.stream(name);
            if (d.isEmpty()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("source", d.get().describeSource());
            List<Map<String, String>> cols = new ArrayList<>();
            for (Column c : d.get().columns()) {
                cols.add(Map.of("name", c.name(), "type", c.type().toString()));
            }
            m.put("columns", cols);
            m.put("statement", statements.get(name));
            if (d.get().kind() == StreamDef.Kind.NODE) {
                m.put("waiting", nodes.waitingReason(d.get().target()));
            } else {
                engine.waitingReason(name).ifPresent(why -> m.put("waiting", why));
            }
            out.add(m);
        }
        return out;
    }

    // ---- the node protocol ----

    private ApiHttpServer.Reply register(ApiHttpServer.Request r, String agent) {
        String list = r.parameter("components");
        Set<String> components = new LinkedHashSet<>();
        if (list != null) {
            for (String c : list.split(",")) {
                if (!c.isBlank()) {
                    components.add(c.strip());
                }
            }
        }
        return ApiHttpServer.Reply.stream(w -> nodes.register(agent, components, w), teeAccept);
    }

    private ApiHttpServer.Reply teeBatch(ApiHttpServer.Request r, String agent, String component) {
        long dropped = 0;
        String d = r.header("X-Sluice-Dropped");
        if (d != null) {
            try {
                dropped = Long.parseLong(d.strip());
            } catch (NumberFormatException e) {
                return bad("X-Sluice-Dropped: '" + d + "' is not a whole number");
            }
        }
        String type = r.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        List<Event> events;
        if (media.equals(TeeFrames.CONTENT_TYPE)) {
            byte[] body = r.body();
            try {
                events = TeeFrames.decode(body, 0, body.length, TEE_LIMITS);
            } catch (TeeFrames.MalformedBody e) {
                nodes.refused(agent, component);
                return e.overLimit()
                        ? ApiHttpServer.Reply.json(413, Json.error("too_large", TeeFrames.CONTENT_TYPE + " body: "
                                + e.getMessage()))
                        : bad(TeeFrames.CONTENT_TYPE + " body: " + e.getMessage());
            }
        } else if (media.isEmpty() || media.equals(TeeAccept.NDJSON) || media.equals("application/json")) {
            ApiHttpServer.Reply[] error = new ApiHttpServer.Reply[1];
            events = ndjsonEvents(r.body(), error);
            if (events == null) {
                nodes.refused(agent, component);
                return error[0];
            }
        } else {
            nodes.refused(agent, component);
            return ApiHttpServer.Reply.json(415, Json.error("unsupported_media_type", "Content-Type '" + type
                    + "' is not a tee format; send " + TeeFrames.CONTENT_TYPE + " (what agents send) or "
                    + "application/x-ndjson"));
        }
        if (events.size() > MAX_TEE_EVENTS) {
            nodes.refused(agent, component);
            return ApiHttpServer.Reply.json(413, Json.error("too_large", events.size() + " events in one batch (at most "
                    + MAX_TEE_EVENTS + ")"));
        }
        switch (nodes.deliver(agent, component, events, dropped)) {
            case NOT_REGISTERED:
                return ApiHttpServer.Reply.json(404, Json.error("not_registered", "node '" + agent
                        + "' is not registered; open GET /v1/nodes/" + agent + "/tees first"));
            case NOT_WANTED:
                return ApiHttpServer.Reply.json(410, Json.error("gone", "no flow reads " + agent + "." + component
                        + " any more; close its tap"));
            default:
                return ApiHttpServer.Reply.empty(204);
        }
    }

    /** The events of an ndjson tee body, or null (and the 400 to send in {@code error[0]}) when a line is bad. */
    private static List<Event> ndjsonEvents(byte[] bytes, ApiHttpServer.Reply[] error) {
        List<Event> events = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode e = Json.MAPPER.readTree(line);
                JsonNode body = e.path("body");
                if (!e.isObject() || !body.isTextual()) {
                    error[0] = bad("line " + n + ": expected {\"headers\":{...},\"body\":\"<base64>\"}");
                    return null;
                }
                Map<String, String> headers = new HashMap<>();
                JsonNode h = e.path("headers");
                if (h.isObject()) {
                    h.fields().forEachRemaining(x -> headers.put(x.getKey(), x.getValue().asText()));
                }
                events.add(Event.wrap(headers, Base64.getDecoder().decode(body.asText())));
            } catch (IOException | IllegalArgumentException e) {
                error[0] = bad("line " + n + ": " + e.getMessage()
                        + "; each line is {\"headers\":{...},\"body\":\"<base64>\"}");
                return null;
            }
        }
        return events;
    }
}
