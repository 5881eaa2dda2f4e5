package io.sluice.core.source.support;

import io.netty.channel.Channel;
import io.sluice.api.ChannelFullException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.RateLimitedLog;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

import static java.util.Objects.requireNonNull;

/**
 * The source half of an RPC call ({@code append} or {@code appendBatch} of the avro and thrift
 * sources): puts the call's events through the channel processor as one batch and keeps Apache
 * Flume's counters. A call is accepted ({@code true}: answer {@code OK}) only once the batch is
 * committed to every required channel; a full channel or any other failure is counted in
 * {@code ChannelWriteFail}, logged (rate-limited) and refused ({@code false}: answer
 * {@code FAILED}). Connections closed for bad input are counted in {@code EventReadFail}.
 *
 * <p>Thread-safe: the processor is, the counters are atomic, the rate limiters are synchronized.
 */
public final class RpcDelivery {
    private final String logName;
    private final SourceCounter counter;
    private final Supplier<ChannelProcessor> processor;
    private final Logger log;
    private final RateLimitedLog fullLog = new RateLimitedLog(Duration.ofSeconds(5));
    private final RateLimitedLog badLog = new RateLimitedLog(Duration.ofSeconds(1));

    /** @param log the source's logger, so its lines carry the source's class */
    public RpcDelivery(String logName, SourceCounter counter, Supplier<ChannelProcessor> processor, Logger log) {
        this.logName = requireNonNull(logName, "logName is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** An {@code appendBatch}: true when the batch is committed. */
    public boolean deliverBatch(List<Event> events, SocketAddress from) {
        counter.incrementAppendBatchReceived();
        counter.addReceived(events.size());
        if (put(events, from)) {
            counter.incrementAppendBatchAccepted();
            counter.addAccepted(events.size());
            return true;
        }
        return false;
    }

    /** An {@code append}: true when the event is committed. */
    public boolean deliverOne(Event event, SocketAddress from) {
        counter.incrementAppendReceived();
        counter.addReceived(1);
        if (put(List.of(event), from)) {
            counter.incrementAppendAccepted();
            counter.addAccepted(1);
            return true;
        }
        return false;
    }

    private boolean put(List<Event> events, SocketAddress from) {
        if (events.isEmpty()) {
            return true;
        }
        try {
            processor.get().processEventBatch(events);
            return true;
        } catch (ChannelFullException e) {
            counter.incrementChannelWriteFail();
            if (fullLog.allow()) {
                log.warn("[{}] Refused a batch of {} event(s) from {} with FAILED: {} ({} more refusals not logged)",
                        logName, events.size(), from, e.getMessage(), fullLog.takeSuppressed());
            }
        } catch (RuntimeException e) {
            counter.incrementChannelWriteFail();
            if (fullLog.allow()) {
                log.error("[{}] Could not store a batch of {} event(s) from {}; answered FAILED ({} more not logged)",
                        logName, events.size(), from, fullLog.takeSuppressed(), e);
            }
        }
        return false;
    }

    /** Counts and logs (rate-limited) a connection about to be closed for bad input. */
    public void badConnection(Channel ch, String reason) {
        counter.incrementEventReadFail();
        if (badLog.allow()) {
            log.warn("[{}] Closing connection from {}: it {} ({} similar messages not logged)", logName,
                    ch.remoteAddress(), reason, badLog.takeSuppressed());
        }
    }

    /** Logs at debug a connection that failed on its own (reset, broken pipe). */
    public void connectionError(Channel ch, Throwable cause) {
        log.debug("[{}] Connection from {} failed: {}", logName, ch.remoteAddress(), cause.toString());
    }
}
