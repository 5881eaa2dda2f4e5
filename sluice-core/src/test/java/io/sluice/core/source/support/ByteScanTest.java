package io.sluice.core.source.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ByteScan} against a plain byte-by-byte loop. */
class ByteScanTest {

    private static int plain(byte[] a, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsANewlineAtEachOfTheEightPositionsOfAWord() {
        for (int start = 0; start < 8; start++) {
            for (int pos = 0; pos < 8; pos++) {
                byte[] a = new byte[start + 24];
                Arrays.fill(a, (byte) 'x');
                a[start + pos] = '\n';
                assertThat(ByteScan.indexOf(a, start, a.length, (byte) '\n'))
                        .as("start %d, newline at word byte %d", start, pos).isEqualTo(start + pos);
                // also in the second word, and with another newline later in the same word
                byte[] b = new byte[start + 24];
                Arrays.fill(b, (byte) 'x');
                b[start + 8 + pos] = '\n';
                b[start + 15] = '\n';
                assertThat(ByteScan.indexOf(b, start, b.length, (byte) '\n')).isEqualTo(start + 8 + pos);
            }
        }
    }

    @Test
    void aByteJustAboveOrBelowTheNewlineIsNoMatch() {
        // 0x0B and 0x09 differ from 0x0A in one bit; 0x8A has the high bit; 0x00 and 0xFF are edge bytes
        byte[] a = {0x0B, 0x09, (byte) 0x8A, 0x00, (byte) 0xFF, 0x0A - 1, 0x0A + 1, 0x1A, 0x2A, 0x4A, 0x0A};
        assertThat(ByteScan.indexOf(a, 0, a.length, (byte) '\n')).isEqualTo(10);
        assertThat(ByteScan.indexOf(a, 0, 10, (byte) '\n')).isEqualTo(-1);
    }

    @Test
    void aMatchBeforeFromOrAtToIsNotFound() {
        byte[] a = "ab\ncdefghijklmnop\nq".getBytes(StandardCharsets.US_ASCII);
        assertThat(ByteScan.indexOf(a, 3, a.length, (byte) '\n')).isEqualTo(17);
        assertThat(ByteScan.indexOf(a, 3, 17, (byte) '\n')).isEqualTo(-1);
        assertThat(ByteScan.indexOf(a, 5, 5, (byte) '\n')).isEqualTo(-1);
        assertThat(ByteScan.indexOf(new byte[0], 0, 0, (byte) '\n')).isEqualTo(-1);
    }

    @Test
    void findsMultiByteUtf8AndHighBytesAsValues() {
        byte[] a = "aé€😀\nz".getBytes(StandardCharsets.UTF_8);
        assertThat(ByteScan.indexOf(a, 0, a.length, (byte) '\n')).isEqualTo(plain(a, 0, a.length, (byte) '\n'));
        // a byte with the high bit set is found exactly, too (the second byte of the euro sign)
        assertThat(ByteScan.indexOf(a, 0, a.length, (byte) 0x82)).isEqualTo(plain(a, 0, a.length, (byte) 0x82));
    }

    @Test
    void aRangeOutsideTheArrayIsRefused() {
        assertThatThrownBy(() -> ByteScan.indexOf(new byte[4], 0, 5, (byte) '\n'))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ByteScan.indexOf(new byte[4], 3, 2, (byte) '\n'))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void agreesWithAPlainLoopOnRandomInput() {
        SplittableRandom random = new SplittableRandom(16);
        byte[] values = {'\n', '\r', 0, (byte) 0x80, (byte) 0xFF, 'x'};
        for (int round = 0; round < 200_000; round++) {
            byte[] a = new byte[random.nextInt(0, 70)];
            // sparse or dense matches, plus bytes near the value
            int density = random.nextInt(1, 40);
            byte value = values[random.nextInt(values.length)];
            for (int i = 0; i < a.length; i++) {
                int r = random.nextInt(density + 3);
                a[i] = r == 0 ? value : r == 1 ? (byte) (value + 1) : r == 2 ? (byte) (value - 1)
                        : (byte) random.nextInt(256);
            }
            int from = a.length == 0 ? 0 : random.nextInt(0, a.length + 1);
            int to = random.nextInt(from, a.length + 1);
            assertThat(ByteScan.indexOf(a, from, to, value))
                    .as("round %d: %s [%d, %d) value %d", round, Arrays.toString(a), from, to, value)
                    .isEqualTo(plain(a, from, to, value));
        }
    }
}
