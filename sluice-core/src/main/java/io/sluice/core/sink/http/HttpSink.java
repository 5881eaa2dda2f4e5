package io.sluice.core.sink.http;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.deadletter.EventRejectedException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.core.support.RateLimitedLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * POSTs each event's body, one request per event and in channel order, to {@code endpoint} with
 * the configured {@code Content-Type} and {@code Accept} headers (the event's headers are not
 * sent), and lets the response status decide, as Apache Flume 1.11's HTTP sink does:
 * <ul>
 * <li>{@code rollback}: the batch is rolled back and sent again later (events of the batch already
 *     sent are sent again: at-least-once). Otherwise the event is done with.</li>
 * <li>a status of 400 or more that is not rolled back is a refusal: the event goes to the sink's
 *     dead-letter channel when one is set, else it is dropped (Apache Flume's behaviour); either
 *     way it is counted in {@code EventRejectedCount} and logged (rate-limited).</li>
 * <li>{@code backoff}: after the commit the runner waits before the next take.</li>
 * <li>{@code incrementMetrics}: whether the event counts in {@code EventDrainSuccessCount}.</li>
 * </ul>
 * A connection that cannot be made, a request with no response within {@code requestTimeout}, or
 * any other I/O failure rolls the batch back (counted in {@code EventWriteFail}; refused
 * connections also in {@code ConnectionFailedCount}). Redirects are not followed: a 3XX status is
 * decided by the rules like any other.
 *
 * <p>Called by one runner thread (the {@link io.sluice.api.Sink} contract); the per-batch tallies
 * are plain fields. The {@link HttpClient} is thread-safe and created at start.
 */
public final class HttpSink extends AbstractBatchSink {
    /** Counter of events the endpoint refused (400 or more, not rolled back): dead-lettered or dropped. */
    public static final String REJECTED_COUNT = "EventRejectedCount";
    private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);
    private static final int REASON_BODY_CHARS = 200;

    private final URI endpoint;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String contentType;
    private final String accept;
    private final StatusRules backoff;
    private final StatusRules rollback;
    private final StatusRules incrementMetrics;
    private final LongAdder rejectedCount;
    private final RateLimitedLog dropLog = new RateLimitedLog(Duration.ofSeconds(10));
    private volatile HttpClient client;
    private int uncounted;
    private boolean backOff;

    public HttpSink(String name, String label, int batchSize, SinkCounter counter, HttpSinkSettings settings) {
        super(name, label, batchSize, counter);
        requireNonNull(settings, "settings is null");
        this.endpoint = settings.endpoint();
        this.connectTimeout = settings.connectTimeout();
        this.requestTimeout = settings.requestTimeout();
        this.contentType = settings.contentType();
        this.accept = settings.accept();
        this.backoff = settings.backoff();
        this.rollback = settings.rollback();
        this.incrementMetrics = settings.incrementMetrics();
        this.rejectedCount = counter.counter(REJECTED_COUNT);
    }

    @Override
    protected void doStart() {
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        super.doStart();
    }

    @Override
    protected void beforeBatch() {
        uncounted = 0;
        backOff = false;
    }

    @Override
    protected void deliver(List<Event> events) throws EventDeliveryException {
        HttpClient c = client;
        if (c == null) {
            throw new EventDeliveryException("[" + label() + "] is not started");
        }
        for (int i = 0, n = events.size(); i < n; i++) {
            Event event = events.get(i);
            HttpResponse<InputStream> response = post(c, event, i, n);
            int status = response.statusCode();
            String body = readSome(response);
            if (rollback.decide(status)) {
                throw new EventDeliveryException("[" + label() + "] " + endpoint + " answered " + status
                        + " to event " + (i + 1) + " of " + n + "; rolled back to retry ("
                        + rollback.source(status, "rollback", "defaultRollback") + ")" + quote(body));
            }
            if (backoff.decide(status)) {
                backOff = true;
            }
            boolean counts = incrementMetrics.decide(status);
            if (status >= 400) {
                rejectedCount.increment();
                String reason = endpoint + " answered " + status + quote(body);
                if (deadLetters() != null) {
                    reject(new EventRejectedException(event, reason));
                    continue;
                }
                logDropped(reason);
            }
            if (!counts) {
                uncounted++;
            }
        }
    }

    private HttpResponse<InputStream> post(HttpClient c, Event event, int index, int total)
            throws EventDeliveryException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", contentType)
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()))
                .build();
        try {
            return c.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new EventDeliveryException("[" + label() + "] " + endpoint + " did not answer event " + (index + 1)
                    + " of " + total + " within requestTimeout/connectTimeout (" + e.getMessage()
                    + "); rolled back to retry", e);
        } catch (ConnectException e) {
            counter().incrementConnectionFailed();
            throw new EventDeliveryException("[" + label() + "] could not connect to " + endpoint + " (" + e
                    + "); rolled back to retry. Check that the server is up and endpoint is right", e);
        } catch (IOException e) {
            throw new EventDeliveryException("[" + label() + "] sending event " + (index + 1) + " of " + total
                    + " to " + endpoint + " failed (" + e + "); rolled back to retry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventDeliveryException("[" + label() + "] interrupted while sending to " + endpoint
                    + "; rolled back", e);
        }
    }

    /** The start of the response body, for messages; the rest is discarded. */
    private static String readSome(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] head = in.readNBytes(REASON_BODY_CHARS);
            return new String(head, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String quote(String body) {
        return body.isEmpty() ? "" : ": " + body.replaceAll("\\s+", " ");
    }

    private void logDropped(String reason) {
        if (dropLog.allow()) {
            long held = dropLog.takeSuppressed();
            LOG.warn("[{}] dropped an event the endpoint refused ({}); set deadLetter.channel to keep such"
                    + " events, or rollback.<status> = true to retry them{}", label(), reason,
                    held > 0 ? " (" + held + " similar messages not logged)" : "");
        }
    }

    @Override
    protected int uncountedSuccesses() {
        return uncounted;
    }

    @Override
    protected boolean backOffAfterCommit() {
        return backOff;
    }
}
