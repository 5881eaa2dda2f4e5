package io.sluice.sql.agent.tee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.agent.Topology;
import io.sluice.core.tap.Tap;
import io.sluice.core.tap.TapKind;
import io.sluice.core.tap.TapRegistry;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import io.sluice.sql.agent.http.HttpConnection;
import io.sluice.sql.agent.http.ReconnectBackoff;
import io.sluice.sql.agent.http.ServerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Keeps an agent registered with an rtsql server and tees the components the server wants.
 *
 * <p>A thread of its own keeps one {@code GET /v1/nodes/{agent}/tees?components=...} open (the
 * agent's sources, channels and sinks by name). The answer's headers say which tee formats and batch
 * sizes the server takes ({@link TeeAccept}); the registration's senders share what was agreed
 * ({@link TeeFormat}). Each line of the answer, {@code {"tees":[...]}},
 * is the full set of components the server wants now: a tap is opened (with a
 * {@link TeeSender} posting its events) on each newly wanted component, and closed on each no
 * longer wanted one. A tee the server answered 410 (Gone) is closed and remembered: it is not
 * opened again while the server still lists the component (a line sent before the server let it go),
 * only after a line without it (then a later line wanting it opens a new tee) or a new registration.
 * A line comes at least every 10 s; after {@link Options#heartbeatTimeout} of
 * silence, or when the answer ends or fails, the registration is over: every tee is closed (the
 * server has forgotten the node) and the client connects again after a back-off of 1 s doubling to
 * 30 s (back to 1 s after a registration that was accepted). When the agent's components change
 * (a reload), it registers again with the new names. A 401 is logged with what to do and retried
 * like any failure. Nothing here ever waits on the agent's threads or makes them wait: the taps
 * are the only link. Thread-safe: the open tees are guarded by this object's lock, which is never
 * held while a network call or a sender's stop runs.
 */
public final class TeeClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TeeClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Timing, sizes and each tee's CPU budget (a share of one core, see {@link CpuBudget}); {@link #DEFAULTS}
     * are the protocol's. Immutable.
     */
    public record Options(Duration minBackoff, Duration maxBackoff, Duration heartbeatTimeout, int tapCapacity,
            double teeCpuShare) {
        /** The share of one core each tee's thread may use unless configured ({@code --rtsql-tee-cpu}): 0.1. */
        public static final double DEFAULT_TEE_CPU_SHARE = CpuBudget.DEFAULT_SHARE;
        /**
         * 1 s doubling to 30 s; a silent registration is given up after 30 s (three heartbeats); 10,000 events per
         * tap; a tenth of a core per tee.
         */
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(30), 10_000, DEFAULT_TEE_CPU_SHARE);

        public Options {
            requireNonNull(minBackoff, "minBackoff is null");
            requireNonNull(maxBackoff, "maxBackoff is null");
            requireNonNull(heartbeatTimeout, "heartbeatTimeout is null");
            if (tapCapacity < 1) {
                throw new IllegalArgumentException("tapCapacity: " + tapCapacity + " (expected: > 0)");
            }
            CpuBudget.checkShare(teeCpuShare, "teeCpuShare");
        }

        /** These options with each tee's thread kept within {@code share} of one core (above 0, at most 1). */
        public Options withTeeCpuShare(double share) {
            return new Options(minBackoff, maxBackoff, heartbeatTimeout, tapCapacity, share);
        }
    }

    private final ServerAddress server;
    private final String agent;
    private final TapRegistry taps;
    private final Supplier<Map<String, TapKind>> components;
    private final Options options;
    private final TeeCounters counters = new TeeCounters();
    private final Map<String, TeeSender> open = new HashMap<>();
    private final Set<String> unknownReported = new LinkedHashSet<>();
    /** Components whose tee the server answered 410 and still lists: not teed again until it drops them. */
    private final Set<String> gone = new HashSet<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private final ScheduledExecutorService ticker;
    private volatile HttpConnection registration;
    /** The tee format agreed on the open registration; guarded by this object's lock. */
    private TeeFormat format = new TeeFormat(TeeAccept.UNANNOUNCED);
    private volatile boolean registered;

    private TeeClient(ServerAddress server, String agent, TapRegistry taps, Supplier<Map<String, TapKind>> components,
            Options options) {
        this.server = requireNonNull(server, "server is null");
        this.agent = requireNonNull(agent, "agent is null");
        this.taps = requireNonNull(taps, "taps is null");
        this.components = requireNonNull(components, "components is null");
        this.options = requireNonNull(options, "options is null");
        this.thread = new Thread(this::run, "rtsql-registration-" + agent);
        this.thread.setDaemon(true);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtsql-tee-metrics-" + agent);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts registering agent {@code agent} with {@code server}; returns at once (the server may be
     * down: the client keeps trying).
     *
     * @param components the agent's components now, by name (asked again at every registration)
     */
    public static TeeClient start(ServerAddress server, String agent, TapRegistry taps,
            Supplier<Map<String, TapKind>> components, Options options) {
        TeeClient c = new TeeClient(server, agent, taps, components, options);
        c.thread.start();
        c.ticker.scheduleWithFixedDelay(c::countDrops, 500, 500, TimeUnit.MILLISECONDS);
        return c;
    }

    /** The components of {@code topology} by name (a name used by two kinds: the source, then the channel). */
    public static Map<String, TapKind> components(Topology topology) {
        Map<String, TapKind> m = new LinkedHashMap<>();
        topology.sinks().forEach(s -> m.put(s.name(), TapKind.SINK));
        topology.channels().forEach(c -> m.put(c.name(), TapKind.CHANNEL));
        topology.sources().forEach(s -> m.put(s.name(), TapKind.SOURCE));
        return m;
    }

    /** The tee's counters: register {@code counters().group()} with the agent's counters. */
    public TeeCounters counters() {
        return counters;
    }

    /** Whether the registration is open now. */
    public boolean registered() {
        return registered;
    }

    /** The components teed now, sorted. */
    public synchronized Set<String> openTees() {
        return new TreeSet<>(open.keySet());
    }

    /** Events of {@code component}'s current tee the server will not see (0 when it is not teed). */
    public synchronized long dropped(String component) {
        TeeSender s = open.get(component);
        return s == null ? 0 : s.dropped();
    }

    /** Brings the dropped count up to date while senders wait on the network. */
    private void countDrops() {
        List<TeeSender> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
        }
        all.forEach(TeeSender::syncDrops);
    }

    private void run() {
        ReconnectBackoff backoff = new ReconnectBackoff(options.minBackoff(), options.maxBackoff());
        while (closing.getCount() > 0) {
            boolean accepted = false;
            try {
                accepted = registerOnce();
            } catch (IOException | RuntimeException e) {
                if (closing.getCount() > 0) {
                    LOG.warn("[{}] rtsql server {}: registration failed or ended ({}); trying again in {} ms (the "
                            + "agent's own delivery is not affected)", agent, server, e.getMessage(), backoff.current().toMillis());
                }
            } finally {
                registered = false;
                counters.registered(false);
                closeAll();
            }
            Duration wait = backoff.next(accepted);
            try {
                if (closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One registration, until it ends; returns whether the server accepted it. */
    private boolean registerOnce() throws IOException {
        Map<String, TapKind> mine = components.get();
        String path = "/v1/nodes/" + TeeSender.encode(agent) + "/tees?components="
                + TeeSender.encode(String.join(",", mine.keySet())).replace("%2C", ",");
        HttpConnection c = HttpConnection.open(server, Duration.ofSeconds(5), options.heartbeatTimeout());
        registration = c;
        try {
            if (closing.getCount() == 0) {
                return false;
            }
            HttpConnection.Response r = c.exchange("GET", path, Map.of("Accept", "application/x-ndjson"), null);
            if (r.status() == 401) {
                throw new IOException("the server refused the token (401); give the server's <data-dir>/token with "
                        + "--rtsql-token-file or SLUICE_TOKEN");
            }
            if (r.status() != 200) {
                throw new IOException("the server answered " + r.status() + " "
                        + new String(r.readBody(512), StandardCharsets.UTF_8).trim());
            }
            TeeAccept accept = TeeAccept.fromHeaders(r::header);
            synchronized (this) {
                gone.clear();
                format = new TeeFormat(accept);
            }
            registered = true;
            counters.registered(true);
            LOG.info("[{}] registered with the rtsql server {} (components {}; {})", agent, server, mine.keySet(),
                    accept.announced() ? "it takes tee batches as " + (accept.binary() ? TeeFrames.CONTENT_TYPE
                            : TeeAccept.NDJSON) + ", up to " + accept.maxEvents() + " events and " + accept.maxBytes()
                            + " bytes each" : "it announced no tee formats: binary batches of up to "
                            + accept.maxEvents() + " events, ndjson if it refuses them");
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                apply(parse(line), mine);
                if (!components.get().equals(mine)) {
                    LOG.info("[{}] the agent's components changed; registering with the rtsql server again", agent);
                    return true;
                }
            }
            throw new IOException("the server ended the registration");
        } finally {
            registration = null;
            c.close();
        }
    }

    private static Set<String> parse(String line) throws IOException {
        JsonNode n = JSON.readTree(line);
        JsonNode tees = n == null ? null : n.get("tees");
        if (tees == null || !tees.isArray()) {
            throw new IOException("the server sent '" + (line.length() > 200 ? line.substring(0, 200) : line)
                    + "', not {\"tees\":[...]}");
        }
        Set<String> s = new LinkedHashSet<>();
        tees.forEach(t -> s.add(t.asText()));
        return s;
    }

    /** Makes the open tees the set {@code wanted}. */
    private void apply(Set<String> wanted, Map<String, TapKind> mine) {
        List<TeeSender> stop = new ArrayList<>();
        List<TeeSender> startNow = new ArrayList<>();
        synchronized (this) {
            gone.retainAll(wanted);
            open.values().removeIf(s -> {
                if (s.isClosed() || !wanted.contains(s.component())) {
                    stop.add(s);
                    return true;
                }
                return false;
            });
            for (String name : wanted) {
                if (open.containsKey(name) || gone.contains(name)) {
                    continue;
                }
                TapKind kind = mine.get(name);
                if (kind == null) {
                    if (unknownReported.add(name)) {
                        LOG.warn("[{}] the rtsql server wants a tee of '{}', which is not a component of this agent "
                                + "(it has {})", agent, name, mine.keySet());
                    }
                    continue;
                }
                Tap tap = taps.point(kind, name).open(options.tapCapacity());
                TeeSender s = new TeeSender(agent, name, tap, server, format, new TeeSender.Listener() {
                    @Override
                    public void gone(TeeSender sender) {
                        forget(sender);
                    }

                    @Override
                    public void notRegistered() {
                        HttpConnection reg = registration;
                        if (reg != null) {
                            reg.close();
                        }
                    }
                }, counters, options.teeCpuShare());
                open.put(name, s);
                startNow.add(s);
                LOG.info("[{}] teeing {} '{}' to the rtsql server {}", agent, kind.word(), name, server);
            }
            counters.open(open.size());
        }
        startNow.forEach(TeeSender::start);
        for (TeeSender s : stop) {
            LOG.info("[{}] the rtsql server wants the tee of '{}' no more; its tap is closed", agent, s.component());
            s.close();
        }
    }

    /** The server answered 410 for {@code s}: its tee is over until the server lets the component go. */
    private void forget(TeeSender s) {
        synchronized (this) {
            if (open.remove(s.component(), s)) {
                gone.add(s.component());
            }
            counters.open(open.size());
        }
    }

    private void closeAll() {
        List<TeeSender> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
            counters.open(0);
        }
        all.forEach(TeeSender::close);
    }

    /** Ends the registration and every tee. Idempotent. */
    @Override
    public void close() {
        closing.countDown();
        ticker.shutdownNow();
        HttpConnection c = registration;
        if (c != null) {
            c.close();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll();
    }
}
