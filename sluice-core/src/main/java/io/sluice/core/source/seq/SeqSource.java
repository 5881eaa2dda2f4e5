package io.sluice.core.source.seq;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.AbstractPollableSource;
import io.sluice.core.source.support.PollBackoff;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits the numbers 0, 1, 2, ... as text bodies without headers, {@code batchSize} per call, until
 * {@code totalEvents} have been committed; then it answers BACKOFF. A batch the channels refuse is
 * retried with the same numbers, so none is skipped. Called by one runner thread.
 */
public final class SeqSource extends AbstractPollableSource implements BatchSizeAware {
    private static final Logger LOG = LoggerFactory.getLogger(SeqSource.class);

    private final String label;
    private final int batchSize;
    private final long totalEvents;
    private final SourceCounter counter;
    private long next;
    private boolean finishedLogged;

    public SeqSource(String name, String label, int batchSize, long totalEvents, SourceCounter counter) {
        this(name, label, batchSize, totalEvents, counter, PollBackoff.FLUME_DEFAULT);
    }

    public SeqSource(String name, String label, int batchSize, long totalEvents, SourceCounter counter,
            PollBackoff backoff) {
        super(name, backoff);
        this.label = label;
        this.batchSize = batchSize;
        this.totalEvents = totalEvents;
        this.counter = counter;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    protected void doStart() {
        counter.markStarted(System.currentTimeMillis());
    }

    @Override
    protected void doStop() {
        counter.markStopped(System.currentTimeMillis());
        LOG.info("[{}] seq source stopped after {} event(s)", label, next);
    }

    @Override
    public Status process() {
        long left = totalEvents - next;
        if (left <= 0) {
            if (!finishedLogged) {
                finishedLogged = true;
                LOG.info("[{}] seq source has sent all {} event(s)", label, totalEvents);
            }
            return Status.BACKOFF;
        }
        int n = (int) Math.min(batchSize, left);
        List<Event> batch = new ArrayList<>(n);
        long seq = next;
        for (int i = 0; i < n; i++) {
            batch.add(Event.wrap(null, digits(seq + i)));
        }
        counter.incrementAppendBatchReceived();
        counter.addReceived(n);
        try {
            getChannelProcessor().processEventBatch(batch);
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            LOG.debug("[{}] channel refused a batch of {}: {}", label, n, e.getMessage());
            return Status.BACKOFF;
        }
        next = seq + n;
        counter.incrementAppendBatchAccepted();
        counter.addAccepted(n);
        return Status.READY;
    }

    /**
     * The decimal digits of a non-negative number as ASCII bytes, without an intermediate String:
     * the length by comparison, then two digits per step from a table, in {@code int} arithmetic
     * once the rest fits in an {@code int} (a long division per digit cost more than the rest of the
     * source's work).
     */
    static byte[] digits(long v) {
        int len = 1;
        for (long p = 10; len < 19 && v >= p; p *= 10) {
            len++;
        }
        byte[] out = new byte[len];
        int i = len;
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            out[--i] = ONES[r];
            out[--i] = TENS[r];
            v = q;
        }
        int rest = (int) v;
        while (rest >= 100) {
            int q = rest / 100;
            int r = rest - q * 100;
            out[--i] = ONES[r];
            out[--i] = TENS[r];
            rest = q;
        }
        if (rest >= 10) {
            out[--i] = ONES[rest];
            out[--i] = TENS[rest];
        } else {
            out[--i] = (byte) ('0' + rest);
        }
        return out;
    }

    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int n = 0; n < 100; n++) {
            TENS[n] = (byte) ('0' + n / 10);
            ONES[n] = (byte) ('0' + n % 10);
        }
    }
}
