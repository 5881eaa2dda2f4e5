package io.sluice.core.source.taildir;

import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link TailedFile#read} cuts a real file into lines through a {@link ReadBuffer}, with
 * buffers small enough to put lines, {@code \r\n} pairs and UTF-8 characters across the buffer's
 * end, and against a plain reference reader on random input.
 */
class TailedFileReadTest {
    @TempDir
    Path dir;

    private final List<TailedFile> opened = new ArrayList<>();

    @AfterEach
    void closeFiles() throws IOException {
        for (TailedFile f : opened) {
            f.close();
        }
    }

    private TailedFile follow(Path file, Map<String, String> headers) {
        FileGroup group = new FileGroup("g", dir, Pattern.compile(".*"), headers, false);
        TailedFile f = new TailedFile(file, 1, group, 0, 0);
        opened.add(f);
        return f;
    }

    private TailedFile follow(Path file) {
        return follow(file, Map.of());
    }

    /** The lines a plain byte-by-byte reader makes of {@code content}: only complete ones, {@code \r\n} cut too. */
    private static List<String> reference(byte[] content) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
                lines.add(hex(Arrays.copyOfRange(content, start, end)));
                start = i + 1;
            }
        }
        return lines;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    private static List<String> bodies(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(hex(e.body()));
        }
        return out;
    }

    /** Everything {@code f} has now, in reads of at most {@code max} lines. */
    private static List<Event> readAll(TailedFile f, ReadBuffer buffer, int max) throws IOException {
        List<Event> out = new ArrayList<>();
        while (f.read(max, out, null, false, buffer) > 0) {
            f.commit();
        }
        return out;
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void linesAcrossEveryBufferBoundary() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int len = 0; len < 40; len++) {
            text.append("x".repeat(len)).append(len % 3 == 0 ? "\r\n" : "\n");
        }
        byte[] content = ascii(text.toString());
        Path file = write("a.log", content);
        for (int capacity = 1; capacity <= 48; capacity++) {
            TailedFile f = follow(file);
            ReadBuffer buffer = new ReadBuffer(capacity);
            assertThat(bodies(readAll(f, buffer, 7))).as("capacity %d", capacity).isEqualTo(reference(content));
            assertThat(f.readPosition()).isEqualTo(content.length);
        }
    }

    @Test
    void aNewlineAtEachOfTheEightBytesOfAWord() throws IOException {
        for (int shift = 0; shift < 8; shift++) {
            // lines of 0 to 16 bytes after a prefix of shift bytes: every newline lands on each word position
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ascii("p".repeat(shift) + "\n"));
            for (int len = 0; len <= 16; len++) {
                out.writeBytes(ascii("abcdefghijklmnopq".substring(0, len) + "\n"));
            }
            byte[] content = out.toByteArray();
            TailedFile f = follow(write("w" + shift + ".log", content));
            List<Event> events = readAll(f, new ReadBuffer(64), 100);
            assertThat(bodies(events)).isEqualTo(reference(content));
            assertThat(events).hasSize(18);
            assertThat(events.get(5).bodyAsString()).isEqualTo("abcd");
        }
    }

    @Test
    void aLineLongerThanTheBufferIsReadWholeAndTheBufferShrinksBackAfterIt() throws IOException {
        // TAILDIR has no maxLineLength (neither has Apache Flume's): a long line grows the buffer
        byte[] longLine = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(longLine);
        for (int i = 0; i < longLine.length; i++) {
            if (longLine[i] == '\n') {
                longLine[i] = 'n';
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("short\n"));
        out.writeBytes(longLine);
        out.writeBytes(ascii("\nafter\n"));
        for (int i = 0; i < 100; i++) {
            out.writeBytes(ascii("line " + i + "\n"));
        }
        byte[] content = out.toByteArray();
        TailedFile f = follow(write("long.log", content));
        ReadBuffer buffer = new ReadBuffer(1024);
        List<Event> events = readAll(f, buffer, 1000);
        assertThat(bodies(events)).isEqualTo(reference(content));
        assertThat(events.get(1).body()).isEqualTo(longLine);
        assertThat(buffer.bytes.length).as("the buffer after the long line").isEqualTo(1024);
    }

    @Test
    void crLfIsCutWithTheNewlineAlsoAcrossTheBufferEndButALoneCrStays() throws IOException {
        byte[] content = ascii("ab\r\n\r\nc\rd\n\r\r\nend\r");
        for (int capacity = 1; capacity <= content.length + 1; capacity++) {
            TailedFile f = follow(write("crlf" + capacity + ".log", content));
            List<Event> events = readAll(f, new ReadBuffer(capacity), 10);
            assertThat(events).extracting(Event::bodyAsString).as("capacity %d", capacity)
                    .containsExactly("ab", "", "c\rd", "\r");
            // "end\r" has no newline yet: held back
            assertThat(f.readPosition()).isEqualTo(content.length - 4);
        }
    }

    @Test
    void theLinesOfAFileShareOneHeaderMapThatFollowsARename() throws IOException {
        Path file = write("shared.log", ascii("one\ntwo\nthree\n"));
        TailedFile f = follow(file, Map.of("topic", "app", "dc", "eu-1"));
        List<Event> events = new ArrayList<>();
        ReadBuffer buffer = new ReadBuffer(8);
        f.read(2, events, "file", false, buffer);
        f.read(2, events, "file", false, buffer);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).headers()).containsOnly(Map.entry("topic", "app"), Map.entry("dc", "eu-1"),
                Map.entry("file", file.toAbsolutePath().toString()));
        // one map for every line of the file, not a copy per event or per read
        assertThat(events).allSatisfy(e -> assertThat(e.headers()).isSameAs(events.get(0).headers()));

        Path renamed = dir.resolve("shared.log.1");
        Files.move(file, renamed);
        f.path(renamed);
        Files.write(renamed, ascii("four\n"), StandardOpenOption.APPEND);
        List<Event> after = new ArrayList<>();
        f.read(10, after, "file", false, buffer);
        assertThat(after).singleElement().satisfies(e -> assertThat(e.header("file"))
                .isEqualTo(renamed.toAbsolutePath().toString()));
    }

    @Test
    void theByteOffsetAndFileHeaderOverrideAGroupHeaderOfTheSameName() throws IOException {
        Path file = write("offsets.log", ascii("a\nbb\n"));
        TailedFile f = follow(file, Map.of("byteoffset", "group", "path", "group", "topic", "app"));
        List<Event> events = new ArrayList<>();
        f.read(10, events, "path", true, new ReadBuffer(16));
        assertThat(events).extracting(e -> e.header("byteoffset")).containsExactly("0", "2");
        assertThat(events).allSatisfy(e -> assertThat(e.headers()).hasSize(3).containsEntry("topic", "app")
                .containsEntry("path", file.toAbsolutePath().toString()));

        TailedFile plain = follow(write("plain.log", ascii("x\n")));
        List<Event> one = new ArrayList<>();
        plain.read(10, one, null, true, new ReadBuffer(16));
        assertThat(one).singleElement().satisfies(e -> assertThat(e.headers()).containsOnly(Map.entry("byteoffset",
                "0")));
    }

    @Test
    void aLastLineWithoutNewlineIsHeldUntilItIsCompleted() throws IOException {
        Path file = write("partial.log", ascii("one\ntw"));
        TailedFile f = follow(file);
        ReadBuffer buffer = new ReadBuffer(4);
        List<Event> events = readAll(f, buffer, 10);
        assertThat(events).extracting(Event::bodyAsString).containsExactly("one");
        assertThat(f.readPosition()).isEqualTo(4);
        assertThat(readAll(f, buffer, 10)).isEmpty();
        Files.write(file, ascii("o\nthree"), StandardOpenOption.APPEND);
        assertThat(readAll(f, buffer, 10)).extracting(Event::bodyAsString).containsExactly("two");
        Files.write(file, ascii("\n"), StandardOpenOption.APPEND);
        assertThat(readAll(f, buffer, 10)).extracting(Event::bodyAsString).containsExactly("three");
        assertThat(f.readPosition()).isEqualTo(Files.size(file));
    }

    @Test
    void multiByteUtf8AcrossTheBufferEndKeepsItsBytes() throws IOException {
        String text = "é€😀 ü\n€€€\n😀😀\nä\n";
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        for (int capacity = 1; capacity <= 20; capacity++) {
            TailedFile f = follow(write("utf" + capacity + ".log", content));
            assertThat(readAll(f, new ReadBuffer(capacity), 3)).extracting(Event::bodyAsString)
                    .as("capacity %d", capacity).containsExactly("é€😀 ü", "€€€", "😀😀", "ä");
        }
    }

    @Test
    void aBodyDoesNotChangeWhenTheBufferIsReusedByAnotherFile() throws IOException {
        TailedFile a = follow(write("a.log", ascii("a1\na2\na3\n")));
        TailedFile b = follow(write("b.log", ascii("b1\nb2\nb3\n")));
        ReadBuffer shared = new ReadBuffer(8);
        List<Event> out = new ArrayList<>();
        a.read(1, out, null, false, shared);
        b.read(2, out, null, false, shared);
        a.read(5, out, null, false, shared);
        b.read(5, out, null, false, shared);
        assertThat(out).extracting(Event::bodyAsString).containsExactly("a1", "b1", "b2", "a2", "a3", "b3");
    }

    @Test
    void aRolledBackBatchIsReadAgainFromTheFile() throws IOException {
        Path file = write("r.log", ascii("1\n2\n3\n4\n"));
        TailedFile f = follow(file);
        ReadBuffer buffer = new ReadBuffer(3);
        List<Event> first = new ArrayList<>();
        f.read(1, first, null, false, buffer);
        f.commit();
        List<Event> refused = new ArrayList<>();
        f.read(2, refused, null, false, buffer);
        f.rollback();
        assertThat(f.readPosition()).isEqualTo(2);
        assertThat(readAll(f, buffer, 10)).extracting(Event::bodyAsString).containsExactly("2", "3", "4");
    }

    @Test
    void byteOffsetsAndTheFileHeaderAcrossBufferEnds() throws IOException {
        Path file = write("off.log", ascii("zero\none\r\n\ntwo-two\n"));
        TailedFile f = follow(file, Map.of("g", "1"));
        List<Event> out = new ArrayList<>();
        while (f.read(10, out, "file", true, new ReadBuffer(3)) > 0) {
            f.commit();
        }
        assertThat(out).extracting(e -> e.header(TaildirSourceFactory.BYTE_OFFSET_HEADER_KEY))
                .containsExactly("0", "5", "10", "11");
        assertThat(out).allSatisfy(e -> {
            assertThat(e.header("file")).isEqualTo(file.toAbsolutePath().toString());
            assertThat(e.header("g")).isEqualTo("1");
        });
    }

    @Test
    void theFileHeaderWithoutOffsetsIsOnEveryLineOfARead() throws IOException {
        Path file = write("fh.log", ascii("a\nb\nc\n"));
        TailedFile f = follow(file, Map.of("g", "1", "h", "2"));
        List<Event> out = new ArrayList<>();
        f.read(10, out, "file", false, new ReadBuffer(2));
        assertThat(out).extracting(Event::bodyAsString).containsExactly("a", "b", "c");
        assertThat(out).allSatisfy(e -> assertThat(e.headers())
                .isEqualTo(Map.of("g", "1", "h", "2", "file", file.toAbsolutePath().toString())));
        // a rename changes the header from the next read on
        Path moved = Files.move(file, dir.resolve("fh.log.1"));
        f.path(moved);
        Files.write(moved, ascii("d\n"), StandardOpenOption.APPEND);
        List<Event> more = new ArrayList<>();
        f.read(10, more, "file", false, new ReadBuffer(2));
        assertThat(more).singleElement().satisfies(e -> assertThat(e.header("file"))
                .isEqualTo(moved.toAbsolutePath().toString()));
        List<Event> plain = new ArrayList<>();
        Files.write(moved, ascii("e\n"), StandardOpenOption.APPEND);
        f.read(10, plain, null, false, new ReadBuffer(2));
        assertThat(plain).singleElement().satisfies(e -> assertThat(e.headers()).isEqualTo(Map.of("g", "1", "h", "2")));
    }

    @Test
    void randomContentWrittenInRandomPiecesMatchesAPlainReader() throws IOException {
        SplittableRandom random = new SplittableRandom(16);
        byte[] alphabet = {'\n', '\r', 'a', 'b', 0, (byte) 0x80, (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, 0x0B, 0x09};
        for (int round = 0; round < 200; round++) {
            byte[] content = new byte[random.nextInt(0, 3000)];
            int lineBias = random.nextInt(2, 200);
            for (int i = 0; i < content.length; i++) {
                content[i] = random.nextInt(lineBias) == 0 ? (byte) '\n' : alphabet[random.nextInt(1, alphabet.length)];
            }
            Path file = dir.resolve("random" + round + ".log");
            Files.write(file, new byte[0]);
            TailedFile f = follow(file);
            ReadBuffer buffer = new ReadBuffer(random.nextInt(8, 300));
            List<Event> events = new ArrayList<>();
            int written = 0;
            while (written < content.length) {
                // the writer appends a random piece, which may end inside a line, a \r\n or a character
                int piece = Math.min(content.length - written, random.nextInt(1, 700));
                Files.write(file, Arrays.copyOfRange(content, written, written + piece), StandardOpenOption.APPEND);
                written += piece;
                events.addAll(readAll(f, buffer, random.nextInt(1, 50)));
            }
            assertThat(bodies(events)).as("round %d", round).isEqualTo(reference(content));
            int lastNewline = -1;
            for (int i = 0; i < content.length; i++) {
                if (content[i] == '\n') {
                    lastNewline = i;
                }
            }
            assertThat(f.readPosition()).isEqualTo(lastNewline + 1);
            f.close();
        }
    }
}
