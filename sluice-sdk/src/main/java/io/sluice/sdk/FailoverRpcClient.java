package io.sluice.sdk;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code default_failover} client: sends to one host at a time, in the listed order, and on a
 * failure moves on to the next, trying at most {@code max-attempts} hosts per call. It stays on a
 * host that works.
 *
 * <p>Thread-safe: calls are serialized on this object (as they must be, so a failover does not
 * race another caller's retry).
 */
public final class FailoverRpcClient implements RpcClient {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverRpcClient.class);

    private final RpcClientConfig config;
    private final List<HostInfo> hosts;
    private final NettyRpcClient[] clients;
    private int current;
    private boolean closed;

    public FailoverRpcClient(RpcClientConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.hosts = config.hosts();
        this.clients = new NettyRpcClient[hosts.size()];
    }

    @Override
    public int getBatchSize() {
        return config.batchSize();
    }

    @Override
    public synchronized void append(Event event) throws EventDeliveryException {
        appendBatch(List.of(event));
    }

    @Override
    public synchronized void appendBatch(List<Event> events) throws EventDeliveryException {
        if (closed) {
            throw new EventDeliveryException("failover client is closed");
        }
        List<String> failures = new ArrayList<>();
        int attempts = Math.min(config.maxAttempts(), hosts.size() * 2);
        for (int i = 0; i < attempts; i++) {
            int idx = current;
            try {
                client(idx).appendBatch(events);
                return;
            } catch (EventDeliveryException e) {
                failures.add(hosts.get(idx).address() + ": " + e.getMessage());
                LOG.warn("Sending to {} failed, failing over: {}", hosts.get(idx).address(), e.getMessage());
                current = (idx + 1) % hosts.size();
            }
        }
        throw new EventDeliveryException("no host accepted the batch after " + attempts + " attempt(s): " + failures);
    }

    private NettyRpcClient client(int idx) {
        if (clients[idx] == null) {
            clients[idx] = new NettyRpcClient(config.forHost(hosts.get(idx)));
        }
        return clients[idx];
    }

    @Override
    public synchronized boolean isActive() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (NettyRpcClient c : clients) {
            if (c != null) {
                c.close();
            }
        }
    }
}
