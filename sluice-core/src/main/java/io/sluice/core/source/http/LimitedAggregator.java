package io.sluice.core.source.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.RateLimitedLog;

import static java.util.Objects.requireNonNull;

/**
 * Aggregates a request up to {@code maxRequestBytes}. A request that declares a larger
 * Content-Length is answered 413 before its body is read; a chunked one is answered 413 as soon as
 * it passes the limit, and what was read of it is released. Either way it is counted as a read
 * failure. One instance per connection.
 */
final class LimitedAggregator extends HttpObjectAggregator {
    private final String logName;
    private final int maxRequestBytes;
    private final SourceCounter counter;
    private final RateLimitedLog rejectLog;

    LimitedAggregator(String logName, int maxRequestBytes, SourceCounter counter, RateLimitedLog rejectLog) {
        super(maxRequestBytes, true);
        this.logName = requireNonNull(logName, "logName is null");
        this.maxRequestBytes = maxRequestBytes;
        this.counter = requireNonNull(counter, "counter is null");
        this.rejectLog = requireNonNull(rejectLog, "rejectLog is null");
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        counter.incrementEventReadFail();
        rejectLog.warn("[{}] answered 413 to {}: the request is larger than maxRequestBytes = {}", logName,
                ctx.channel().remoteAddress(), maxRequestBytes);
        super.handleOversizedMessage(ctx, oversized);
    }
}
