package io.sluice.core.source.syslog;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogFrameDecoderTest {

    /**
     * The frames cut from the chunks, each chunk one read. The chunks are decoded twice, in heap
     * buffers (read in place) and in direct buffers (copied out first), and both must agree.
     */
    private static List<String> frames(int eventSize, String... chunks) {
        List<String> heap = frames(eventSize, false, chunks);
        assertThat(frames(eventSize, true, chunks)).as("the same chunks in direct buffers").isEqualTo(heap);
        return heap;
    }

    private static List<String> frames(int eventSize, boolean direct, String... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(eventSize));
        for (String c : chunks) {
            byte[] bytes = c.getBytes(StandardCharsets.UTF_8);
            ch.writeInbound(direct ? Unpooled.directBuffer(bytes.length).writeBytes(bytes) : Unpooled.wrappedBuffer(bytes));
        }
        List<String> out = new ArrayList<>();
        SyslogFrame f;
        while ((f = ch.readInbound()) != null) {
            out.add((f.incomplete() ? "INCOMPLETE:" : "") + new String(f.bytes(), StandardCharsets.UTF_8));
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Test
    void aReadLargerThanTheCopyBufferIsCutWhole() {
        StringBuilder chunk = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String m = "<13>message " + i;
            expected.add(m);
            chunk.append(i % 2 == 0 ? m + "\n" : m.length() + " " + m);
        }
        String all = chunk.toString();
        assertThat(frames(100, all.substring(0, 20_001), all.substring(20_001))).isEqualTo(expected);
    }

    @Test
    void newlinesEndMessagesEvenAcrossReads() {
        assertThat(frames(100, "<13>one\n<13>tw", "o\n\n<13>thr", "ee\n<13>unfinished"))
                .containsExactly("<13>one", "<13>two", "<13>three");
    }

    @Test
    void octetCountedMessagesMayContainNewlines() {
        assertThat(frames(100, "12 <13>a\nb c d", "e10 <13>second"))
                .containsExactly("<13>a\nb c de", "<13>second");
        assertThat(frames(100, "8 <13>abcd9 <13>ef", "ghi")).containsExactly("<13>abcd", "<13>efghi");
    }

    @Test
    void oneTrailingNewlineOfAnOctetCountedMessageIsDroppedAsRsyslogDoes() {
        // rsyslog's RFC 5424 template ends with \n and octet-counted forwarding counts it.
        assertThat(frames(100, "10 <13>hello\n9 <13>two\n\n", "7 <13>a\nb")).containsExactly("<13>hello",
                "<13>two\n", "<13>a\nb");
    }

    @Test
    void aMessageLongerThanEventSizeIsCutAndMarked() {
        // as in Apache Flume, the rest of a cut newline-framed message is read as the next message
        assertThat(frames(6, "<13>abcdefgh\n<13>x\n"))
                .containsExactly("INCOMPLETE:<13>ab", "INCOMPLETE:cdefgh", "<13>x");
        assertThat(frames(6, "10 <13>abcdef8 <13>wxyz"))
                .containsExactly("INCOMPLETE:<13>ab", "INCOMPLETE:<13>wx");
    }

    /** Feeds the chunks one read at a time; returns what the decoder reported after each, and the dropped bytes. */
    private static List<String> progress(int eventSize, String... chunks) {
        List<String> out = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(eventSize,
                (completedSome, partialLeft) -> out.add((completedSome ? "ended" : "-") + "/"
                        + (partialLeft ? "partial" : "none")), dropped -> out.add("dropped " + dropped)));
        for (String c : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(c, StandardCharsets.UTF_8));
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Test
    void reportsAnUnfinishedNewlineMessageSoItsReadTimeoutRuns() {
        assertThat(progress(100, "<13>one\n<13>tw", "o", "o\n", "\n"))
                .containsExactly("ended/partial", "-/partial", "ended/none", "-/none");
    }

    @Test
    void reportsAnUnfinishedOctetCountedMessageAndTheRestOfACutOne() {
        assertThat(progress(100, "12 <13>a", "\nb c de")).containsExactly("-/partial", "ended/none");
        // cut at eventSize 4: the message is delivered, the 6 bytes still to skip keep it unfinished
        assertThat(progress(4, "10 <13>ab", "cdef")).containsExactly("ended/partial", "-/none");
        assertThat(progress(100, "1")).containsExactly("-/partial", "dropped 1");
    }

    @Test
    void bytesOfAnUnfinishedMessageAtCloseAreHandedOver() {
        assertThat(progress(100, "<13>one\n<13>half")).containsExactly("ended/partial", "dropped 8");
    }
}
