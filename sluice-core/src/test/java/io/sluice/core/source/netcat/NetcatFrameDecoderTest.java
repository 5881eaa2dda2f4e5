package io.sluice.core.source.netcat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.support.RateLimitedLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The netcat source's line splitting, read by read, as Netty hands the bytes over. */
class NetcatFrameDecoderTest {

    private static List<String> frames(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            if (o instanceof NetcatFrameDecoder.TooLongLine t) {
                out.add("TOO LONG " + t.length() + ": " + new String(t.prefix(), StandardCharsets.UTF_8));
            } else {
                ByteBuf b = (ByteBuf) o;
                out.add(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
        }
        return out;
    }

    @Test
    void aLineThatGoesOverTheLimitInALaterReadIsSkippedAndTheNextLineStillComes() {
        SourceCounter counter = new SourceCounter("r1");
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(getClass()), 1000, Clock.systemUTC());
        ConnectionTimeouts timeouts = new ConnectionTimeouts("a1.sources.r1", 60_000, 60_000, counter, log,
                ctx -> ctx.close());
        EmbeddedChannel ch = new EmbeddedChannel(timeouts, new NetcatFrameDecoder("a1.sources.r1", 10, timeouts,
                counter, log));
        ch.writeInbound(Unpooled.copiedBuffer("abcde", StandardCharsets.UTF_8)); // within the limit so far
        ch.writeInbound(Unpooled.copiedBuffer("fghijklm", StandardCharsets.UTF_8)); // now over it, no newline yet
        ch.writeInbound(Unpooled.copiedBuffer("nop\nok\n12", StandardCharsets.UTF_8));
        ch.writeInbound(Unpooled.copiedBuffer("3\n", StandardCharsets.UTF_8));
        assertThat(frames(ch)).containsExactly("TOO LONG 17: abcdefghij", "ok\n", "123\n");
        ch.finishAndReleaseAll();
    }
}
