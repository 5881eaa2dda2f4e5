package io.sluice.sql.agent.tee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.api.Event;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hand-written rtsql server speaking the node protocol's server side over a real socket (the JDK's
 * HTTP server): registrations ({@code GET /v1/nodes/{agent}/tees}) held open with the wanted set and
 * heartbeats, tee batches ({@code POST /v1/nodes/{agent}/tees/{component}}) answered 204, 404 or 410,
 * and the token checked on every request. By default it announces no tee formats and takes binary
 * batches of at most 1,000 events (a server from before the announcement); tests make it announce
 * formats and limits, or refuse the binary form (415) as a server that reads only ndjson does.
 * Tests change what it wants and read what it received.
 */
final class ProtocolServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received event. */
    record Received(String component, Map<String, String> headers, byte[] body) {
    }

    private final String token;
    private final Duration heartbeat;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, Registration> nodes = new ConcurrentHashMap<>();
    private volatile Set<String> wanted = Set.of();
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Events received in accepted batches, kept in {@link #received} or not. */
    final AtomicLong eventsReceived = new AtomicLong();
    /** Whether accepted events are kept in {@link #received} (off for tests that send millions). */
    volatile boolean keepEvents = true;
    final List<Long> droppedHeaders = new CopyOnWriteArrayList<>();
    /** Why batches were refused as malformed (a correct sender leaves this empty). */
    final List<String> malformed = new CopyOnWriteArrayList<>();
    /** The Content-Type of every batch. */
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    /** The format version (the magic's last byte) of every binary batch. */
    final List<Integer> binaryVersions = new CopyOnWriteArrayList<>();
    final List<String> registeredComponents = new CopyOnWriteArrayList<>();
    final AtomicInteger registrations = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    final AtomicInteger posts = new AtomicInteger();
    /** Components whose batches are answered 410 (and which are no longer wanted). */
    final Set<String> gone = ConcurrentHashMap.newKeySet();
    /** While set, every batch waits for it before it is answered (a slow server). */
    final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
    /** While true, batches are answered 404 (the server forgot the node). */
    volatile boolean forgetNodes;
    /** While true, binary batches are answered 415 (a server that reads only ndjson). */
    volatile boolean refuseBinary;
    /** Headers of the registration answer (the tee announcement), none by default. */
    volatile Map<String, String> announce = Map.of();
    /** The most events a batch may hold (else 413). */
    volatile int maxEvents = 1000;
    /** The events of every batch taken. */
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    private final class Registration {
        final HttpExchange exchange;
        final LinkedBlockingQueue<Set<String>> updates = new LinkedBlockingQueue<>();
        volatile boolean closed;

        Registration(HttpExchange exchange) {
            this.exchange = exchange;
        }
    }

    ProtocolServer(int port, String token, Duration heartbeat) throws IOException {
        this.token = token;
        this.heartbeat = heartbeat;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(pool);
        server.createContext("/v1/nodes/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The components the server wants teed; registered nodes are told at once. */
    void want(String... components) {
        wanted = Set.of(components);
        nodes.values().forEach(r -> r.updates.add(wanted));
    }

    boolean registered(String agent) {
        Registration r = nodes.get(agent);
        return r != null && !r.closed;
    }

    List<Received> received(String component) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) {
            if (r.component().equals(component)) {
                out.add(r);
            }
        }
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + token).equals(auth)) {
                unauthorized.incrementAndGet();
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String[] parts = ex.getRequestURI().getRawPath().split("/");
            // "", "v1", "nodes", agent, "tees" [, component]
            if (parts.length == 5 && "GET".equals(ex.getRequestMethod())) {
                register(ex, URLDecoder.decode(parts[3], StandardCharsets.UTF_8));
            } else if (parts.length == 6 && "POST".equals(ex.getRequestMethod())) {
                batch(ex, URLDecoder.decode(parts[3], StandardCharsets.UTF_8),
                        URLDecoder.decode(parts[5], StandardCharsets.UTF_8));
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    private void register(HttpExchange ex, String agent) throws IOException, InterruptedException {
        String query = ex.getRequestURI().getRawQuery();
        registeredComponents.add(query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8));
        Registration mine = new Registration(ex);
        Registration older = nodes.put(agent, mine);
        if (older != null) {
            older.closed = true;
            older.exchange.close();
        }
        registrations.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        announce.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        Set<String> now = wanted;
        try {
            while (!mine.closed) {
                out.write(JSON.writeValueAsBytes(Map.of("tees", now)));
                out.write('\n');
                out.flush();
                Set<String> next = mine.updates.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                now = next != null ? next : wanted;
            }
        } catch (IOException e) {
            // the agent went away
        } finally {
            mine.closed = true;
            nodes.remove(agent, mine);
        }
    }

    private void batch(HttpExchange ex, String agent, String component) throws IOException, InterruptedException {
        posts.incrementAndGet();
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        CountDownLatch h = hold.get();
        if (h != null) {
            h.await(60, TimeUnit.SECONDS);
        }
        String dropped = ex.getRequestHeaders().getFirst("X-Sluice-Dropped");
        droppedHeaders.add(dropped == null ? -1 : Long.parseLong(dropped));
        if (forgetNodes || !registered(agent)) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        if (gone.contains(component) || !wanted.contains(component)) {
            ex.sendResponseHeaders(410, -1);
            return;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        contentTypes.add(String.valueOf(type));
        List<Event> events;
        if (TeeFrames.CONTENT_TYPE.equals(type) && !refuseBinary) {
            binaryVersions.add(body.length >= 4 ? (int) body[3] : -1);
            try {
                events = TeeFrames.decode(body, 0, body.length, new TeeFrames.Limits(maxEvents, 4 << 20, 1024, 4 << 20));
            } catch (TeeFrames.MalformedBody e) {
                malformed.add(e.getMessage());
                ex.sendResponseHeaders(e.overLimit() ? 413 : 400, -1);
                return;
            }
        } else if (TeeAccept.NDJSON.equals(type)) {
            events = new ArrayList<>();
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                JsonNode n = JSON.readTree(line);
                Map<String, String> headers = new LinkedHashMap<>();
                n.path("headers").fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
                events.add(Event.wrap(headers, Base64.getDecoder().decode(n.path("body").asText())));
            }
            if (events.size() > maxEvents) {
                ex.sendResponseHeaders(413, -1);
                return;
            }
        } else {
            ex.sendResponseHeaders(415, -1);
            return;
        }
        batchSizes.add(events.size());
        eventsReceived.addAndGet(events.size());
        if (keepEvents) {
            List<Received> batch = new ArrayList<>(events.size());
            for (Event e : events) {
                batch.add(new Received(component, e.headers(), e.body()));
            }
            received.addAll(batch);
        }
        ex.sendResponseHeaders(204, -1);
    }

    /** Stops listening and cuts every open registration (a server that went away). */
    @Override
    public void close() {
        CountDownLatch h = hold.getAndSet(null);
        if (h != null) {
            h.countDown();
        }
        nodes.values().forEach(r -> {
            r.closed = true;
            r.exchange.close();
        });
        server.stop(0);
        pool.shutdownNow();
    }
}
