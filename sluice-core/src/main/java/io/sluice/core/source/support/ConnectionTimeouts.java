package io.sluice.core.source.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.support.RateLimitedLog;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The idle and read timeouts of one connection of a request/response protocol. The connection is
 * <em>idle</em> between requests: after {@code idleTimeoutMillis} without a byte it is closed. The
 * first byte of a request starts its <em>read</em> deadline: the whole request must have arrived
 * {@code readTimeoutMillis} later, however slowly it trickles in, or {@code onReadTimeout} answers
 * (e.g. 408) and the connection is closed. While a received request is processed no timer runs;
 * {@link #responseSent} makes the connection idle again. Every timeout is counted in {@value #TIMED_OUT}.
 *
 * <p>Place it first in the pipeline (it watches raw bytes); the protocol's handlers call
 * {@link #requestReceived} and {@link #responseSent} from the connection's event loop. Not
 * sharable, not thread-safe: one instance per connection, used on its event loop only.
 */
public final class ConnectionTimeouts extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);
    /** Counter of connections closed by an idle or read timeout. */
    public static final String TIMED_OUT = "ConnectionTimedOutCount";

    private enum State { IDLE, READING, PROCESSING }

    private final String logName;
    private final long idleTimeoutMillis;
    private final long readTimeoutMillis;
    private final CounterGroup counter;
    private final RateLimitedLog log;
    private final Consumer<ChannelHandlerContext> onReadTimeout;

    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    private boolean bytesWhileProcessing;
    private ScheduledFuture<?> timer;

    /**
     * @param onReadTimeout what to do when a request is late, before the connection is closed
     *     (runs on the event loop; may write an answer); the close follows its write
     */
    public ConnectionTimeouts(String logName, long idleTimeoutMillis, long readTimeoutMillis, CounterGroup counter,
            RateLimitedLog log, Consumer<ChannelHandlerContext> onReadTimeout) {
        this.logName = requireNonNull(logName, "logName is null");
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.counter = requireNonNull(counter, "counter is null");
        this.log = requireNonNull(log, "log is null");
        this.onReadTimeout = requireNonNull(onReadTimeout, "onReadTimeout is null");
        counter.counter(TIMED_OUT);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        becomeIdle();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            if (state == State.IDLE) {
                startReading();
            } else if (state == State.PROCESSING) {
                bytesWhileProcessing = true;
            }
        }
        super.channelRead(ctx, msg);
    }

    /** A whole request has arrived; no timer runs until its answer is sent. */
    public void requestReceived() {
        cancel();
        state = State.PROCESSING;
        bytesWhileProcessing = false;
    }

    /**
     * For a stream of lines rather than requests and answers: after the bytes of one read were
     * decoded, {@code completedSome} says whether at least one line ended in them and
     * {@code partialLeft} whether an unfinished line is held. Nothing held: idle. A new partial
     * line: its read deadline starts. The same partial line growing: its deadline stays, so a
     * trickle of bytes cannot keep it open.
     */
    public void progress(boolean completedSome, boolean partialLeft) {
        if (!partialLeft) {
            becomeIdle();
        } else if (completedSome || state != State.READING) {
            startReading();
        }
    }

    /** The answer of the request has been written; the next request may start. */
    public void responseSent() {
        if (state != State.PROCESSING) {
            return;
        }
        if (bytesWhileProcessing) {
            startReading();
        } else {
            becomeIdle();
        }
    }

    private void startReading() {
        cancel();
        state = State.READING;
        timer = ctx.executor().schedule(this::readTimedOut, readTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void becomeIdle() {
        cancel();
        state = State.IDLE;
        timer = ctx.executor().schedule(this::idleTimedOut, idleTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void idleTimedOut() {
        if (state == State.IDLE && ctx.channel().isActive()) {
            counter.counter(TIMED_OUT).increment();
            LOG.debug("[{}] closed a connection from {} idle for idleTimeout = {} ms", logName,
                    ctx.channel().remoteAddress(), idleTimeoutMillis);
            ctx.close();
        }
    }

    private void readTimedOut() {
        if (state == State.READING && ctx.channel().isActive()) {
            counter.counter(TIMED_OUT).increment();
            log.warn("[{}] closed a connection from {}: its request did not arrive within readTimeout = {} ms",
                    logName, ctx.channel().remoteAddress(), readTimeoutMillis);
            state = State.PROCESSING; // no further timer; the connection is closing
            onReadTimeout.accept(ctx);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
