package io.sluice.sql.server;

import io.sluice.api.Event;
import io.sluice.core.http.HttpEndpointServer.ChunkWriter;
import io.sluice.sql.EventSourceProvider;
import io.sluice.sql.WaitingSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The agents registered with the server and the tees its flows want of them.
 *
 * <p>An agent is registered while its {@code GET /v1/nodes/{agent}/tees} request is open; the
 * server writes the full set of components it wants teed on that request whenever the set changes,
 * and again as a heartbeat. A NODE stream's source ({@link #provider()}) asks for a tee of
 * {@code agent.component} when the first flow reads the stream and withdraws it when the last one
 * stops; a tee wanted of an agent that has not registered (or has no such component) waits, and
 * {@link #waitingReason} says why. Tee batches ({@link #deliver}) go to every source wanting that
 * tee.
 *
 * <p>Thread-safe: the registrations and wants are guarded by this object's monitor; writes to a
 * registration's stream and deliveries to sources happen outside it.
 */
public final class NodeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

    /** What a tee batch delivery came to. */
    public enum Delivery { DELIVERED, NOT_REGISTERED, NOT_WANTED }

    /** One open registration request of an agent. */
    private static final class Registration {
        final Set<String> components;
        final ChunkWriter out;
        String lastSent;

        Registration(Set<String> components, ChunkWriter out) {
            this.components = components;
            this.out = out;
        }
    }

    /** Per (agent, component): the sources wanting its tee and what the agent said it dropped. */
    private static final class Tee {
        final List<EventSourceProvider.EventSink> sinks = new CopyOnWriteArrayList<>();
        final AtomicLong received = new AtomicLong();
        /** Batches refused as malformed, over a limit or of an unknown content type (400, 413, 415). */
        final AtomicLong refused = new AtomicLong();
        volatile long dropped;
    }

    private final Map<String, Registration> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, Tee>> wants = new LinkedHashMap<>();

    /**
     * Registers {@code agent} with its components on an open stream, replacing (and closing) an
     * older registration under the same name, and writes the first line of wanted tees.
     */
    public void register(String agent, Set<String> components, ChunkWriter out) {
        Registration old;
        Registration reg = new Registration(Set.copyOf(components), out);
        synchronized (this) {
            old = nodes.put(agent, reg);
        }
        if (old != null) {
            LOG.info("[rtsql server] node {} registered again; closing its older registration", agent);
            old.out.end();
        }
        LOG.info("[rtsql server] node {} registered with components {}", agent, new TreeSet<>(components));
        out.onClose(() -> unregister(agent, reg));
        send(agent, true);
    }

    private void unregister(String agent, Registration reg) {
        synchronized (this) {
            if (!nodes.remove(agent, reg)) {
                return;
            }
        }
        LOG.info("[rtsql server] node {} is gone (its registration closed)", agent);
    }

    /** Writes the wanted tees of {@code agent} if they changed (or always, for a heartbeat). */
    private void send(String agent, boolean always) {
        Registration reg;
        String line;
        synchronized (this) {
            reg = nodes.get(agent);
            if (reg == null) {
                return;
            }
            line = teesLine(agent, reg);
            if (!always && line.equals(reg.lastSent)) {
                return;
            }
            reg.lastSent = line;
        }
        reg.out.write(line);
    }

    /** Rewrites every registration's line: the protocol's heartbeat (at least every 10 s). */
    public void heartbeat() {
        List<String> agents;
        synchronized (this) {
            agents = new ArrayList<>(nodes.keySet());
        }
        for (String a : agents) {
            send(a, true);
        }
    }

    private String teesLine(String agent, Registration reg) {
        StringBuilder sb = new StringBuilder("{\"tees\":[");
        Map<String, Tee> w = wants.getOrDefault(agent, Map.of());
        boolean first = true;
        for (String c : new TreeSet<>(w.keySet())) {
            if (reg.components.contains(c)) {
                sb.append(first ? "" : ",").append(Json.quote(c));
                first = false;
            }
        }
        return sb.append("]}\n").toString();
    }

    /**
     * Wants the tee of {@code agent.component} for {@code sink}; the returned handle withdraws it
     * when closed and, as a {@link WaitingSource}, says why the tee does not come while it waits
     * (so the flows reading it show it: {@code SHOW FLOWS}, {@code GET /v1/flows}, the shell's
     * {@code \f}).
     */
    Want want(String agent, String component, EventSourceProvider.EventSink sink) {
        synchronized (this) {
            wants.computeIfAbsent(agent, a -> new LinkedHashMap<>()).computeIfAbsent(component, c -> new Tee())
                    .sinks.add(sink);
        }
        String why = waitingReason(agent + "." + component);
        if (why != null) {
            LOG.info("[rtsql server] tee of {}.{} wanted: {}", agent, component, why);
        }
        send(agent, false);
        return new Want(agent, component, sink);
    }

    /** One source's want of a tee: closing it withdraws the want. */
    final class Want implements AutoCloseable, WaitingSource {
        private final String agent;
        private final String component;
        private final EventSourceProvider.EventSink sink;

        private Want(String agent, String component, EventSourceProvider.EventSink sink) {
            this.agent = agent;
            this.component = component;
            this.sink = sink;
        }

        @Override
        public String waitingReason() {
            return NodeRegistry.this.waitingReason(agent + "." + component);
        }

        @Override
        public void close() {
            synchronized (NodeRegistry.this) {
                Map<String, Tee> w = wants.get(agent);
                Tee t = w == null ? null : w.get(component);
                if (t == null) {
                    return;
                }
                t.sinks.remove(sink);
                if (t.sinks.isEmpty()) {
                    w.remove(component);
                    if (w.isEmpty()) {
                        wants.remove(agent);
                    }
                }
            }
            send(agent, false);
        }
    }

    /**
     * Hands a batch of tee events to every source wanting {@code agent.component}.
     *
     * @param dropped the agent's cumulative count of events its tap dropped for this tee
     */
    public Delivery deliver(String agent, String component, List<Event> events, long dropped) {
        Tee tee;
        synchronized (this) {
            if (!nodes.containsKey(agent)) {
                return Delivery.NOT_REGISTERED;
            }
            Map<String, Tee> w = wants.get(agent);
            tee = w == null ? null : w.get(component);
            if (tee == null) {
                return Delivery.NOT_WANTED;
            }
        }
        tee.dropped = Math.max(tee.dropped, dropped);
        tee.received.addAndGet(events.size());
        for (EventSourceProvider.EventSink s : tee.sinks) {
            s.acceptBatch(events);
        }
        return Delivery.DELIVERED;
    }

    /**
     * Counts a tee batch for {@code agent.component} refused before delivery (malformed, over a limit,
     * or of an unknown content type), when that tee is wanted; shown as {@code batchesRefused}.
     */
    public void refused(String agent, String component) {
        Tee tee;
        synchronized (this) {
            Map<String, Tee> w = wants.get(agent);
            tee = w == null ? null : w.get(component);
        }
        if (tee != null) {
            tee.refused.incrementAndGet();
        }
    }

    /** Null when {@code agent.component} is being teed, else why its stream waits. */
    public synchronized String waitingReason(String target) {
        int dot = target.indexOf('.');
        String agent = dot < 0 ? target : target.substring(0, dot);
        String component = dot < 0 ? "" : target.substring(dot + 1);
        Registration reg = nodes.get(agent);
        if (reg == null) {
            return "waiting for node '" + agent + "' to register (start it with --rtsql-server)";
        }
        if (!reg.components.contains(component)) {
            return "waiting: node '" + agent + "' has no component '" + component + "' (it has "
                    + new TreeSet<>(reg.components) + ")";
        }
        return null;
    }

    /** The registered agents with their components and the tees wanted of them, for {@code GET /v1/nodes}. */
    public synchronized List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> agents = new LinkedHashSet<>(nodes.keySet());
        agents.addAll(wants.keySet());
        for (String a : agents) {
            Map<String, Object> m = new LinkedHashMap<>();
            Registration reg = nodes.get(a);
            m.put("agent", a);
            m.put("registered", reg != null);
            m.put("components", reg == null ? List.of() : new TreeSet<>(reg.components));
            List<Map<String, Object>> tees = new ArrayList<>();
            for (Map.Entry<String, Tee> e : wants.getOrDefault(a, Map.of()).entrySet()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("component", e.getKey());
                t.put("readers", e.getValue().sinks.size());
                t.put("eventsReceived", e.getValue().received.get());
                t.put("eventsDroppedByAgent", e.getValue().dropped);
                t.put("batchesRefused", e.getValue().refused.get());
                t.put("waiting", waitingReason(a + "." + e.getKey()));
                tees.add(t);
            }
            m.put("tees", tees);
            out.add(m);
        }
        return out;
    }

    /** The provider of {@code FROM NODE 'agent.component'} streams over this registry. */
    public EventSourceProvider provider() {
        return new EventSourceProvider() {
            @Override
            public boolean supports(String kind, String target) {
                return kind.equals("NODE");
            }

            @Override
            public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink sink) {
                int dot = target.indexOf('.');
                if (dot <= 0 || dot == target.length() - 1) {
                    throw new IllegalArgumentException("NODE '" + target + "' must name agent.component, e.g."
                            + " NODE 'a1.r1' (a source) or NODE 'a1.c1' (a channel)");
                }
                if (!properties.isEmpty()) {
                    throw new IllegalArgumentException("NODE streams take no properties (given: "
                            + properties.keySet() + ")");
                }
                return want(target.substring(0, dot), target.substring(dot + 1), requireNonNull(sink, "sink"));
            }
        };
    }
}
