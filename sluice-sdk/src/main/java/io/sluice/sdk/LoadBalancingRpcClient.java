package io.sluice.sdk;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code default_loadbalance} client: each call goes to the next host chosen by
 * {@code host-selector} ({@code round_robin} or {@code random}); when it fails the call moves on to
 * the other hosts. With {@code backoff = true} a failed host is skipped for an exponentially
 * growing time, at most {@code maxBackoff} ms, and tried again afterwards.
 *
 * <p>Thread-safe: per-host clients are thread-safe and created under {@code this}; backoff state is
 * kept in atomic arrays.
 */
public final class LoadBalancingRpcClient implements RpcClient {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancingRpcClient.class);
    private static final long FIRST_BACKOFF_MS = 1000;

    private final RpcClientConfig config;
    private final List<HostInfo> hosts;
    private final NettyRpcClient[] clients;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLongArray skipUntil;
    private final AtomicLongArray failures;
    private volatile boolean closed;

    public LoadBalancingRpcClient(RpcClientConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.hosts = config.hosts();
        this.clients = new NettyRpcClient[hosts.size()];
        this.skipUntil = new AtomicLongArray(hosts.size());
        this.failures = new AtomicLongArray(hosts.size());
    }

    @Override
    public int getBatchSize() {
        return config.batchSize();
    }

    @Override
    public void append(Event event) throws EventDeliveryException {
        appendBatch(List.of(event));
    }

    @Override
    public void appendBatch(List<Event> events) throws EventDeliveryException {
        if (closed) {
            throw new EventDeliveryException("load-balancing client is closed");
        }
        int n = hosts.size();
        int start = config.hostSelector().equals("random") ? ThreadLocalRandom.current().nextInt(n)
                : Math.floorMod(next.getAndIncrement(), n);
        long now = System.currentTimeMillis();
        List<String> errors = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < n; k++) {
                int idx = (start + k) % n;
                boolean backedOff = config.backoff() && skipUntil.get(idx) > now;
                if (backedOff != (pass == 1)) {
                    continue; // first pass: hosts not backed off; second pass: the rest
                }
                try {
                    client(idx).appendBatch(events);
                    failures.set(idx, 0);
                    skipUntil.set(idx, 0);
                    return;
                } catch (EventDeliveryException e) {
                    errors.add(hosts.get(idx).address() + ": " + e.getMessage());
                    LOG.warn("Sending to {} failed, trying another host: {}", hosts.get(idx).address(), e.getMessage());
                    if (config.backoff()) {
                        long f = failures.incrementAndGet(idx);
                        long wait = Math.min(config.maxBackoffMillis(), FIRST_BACKOFF_MS << Math.min(20, f - 1));
                        skipUntil.set(idx, System.currentTimeMillis() + wait);
                    }
                }
            }
        }
        throw new EventDeliveryException("no host accepted the batch: " + errors);
    }

    private synchronized NettyRpcClient client(int idx) {
        if (clients[idx] == null) {
            clients[idx] = new NettyRpcClient(config.forHost(hosts.get(idx)));
        }
        return clients[idx];
    }

    @Override
    public boolean isActive() {
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
