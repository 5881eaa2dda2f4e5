package io.sluice.metrics.source;

import io.sluice.api.ChannelException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts one scrape's event into the channels, counting it received and accepted, or, when the
 * channels refuse it, skipped ({@code ScrapeSkippedCount}, its samples in
 * {@code SampleSkippedCount}): a refused scrape is never kept for a retry. Thread-safe.
 */
final class ScrapeDelivery {
    private final SourceCounter counter;
    private final LongAdder skipped;
    private final LongAdder samplesSkipped;

    ScrapeDelivery(SourceCounter counter) {
        this.counter = counter;
        this.skipped = counter.counter(PrometheusSource.SCRAPES_SKIPPED);
        this.samplesSkipped = counter.counter(PrometheusSource.SAMPLES_SKIPPED);
    }

    /** Returns the channels' refusal, or {@code null} when the event was put. */
    ChannelException put(ChannelProcessor processor, Event event, long samples) {
        counter.incrementAppendReceived();
        counter.addReceived(1);
        try {
            processor.processEvent(event);
            counter.incrementAppendAccepted();
            counter.addAccepted(1);
            return null;
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            skipped.increment();
            samplesSkipped.add(samples);
            return e;
        }
    }
}
