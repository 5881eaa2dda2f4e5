package io.sluice.core.source.spooldir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole-line fast path of {@link DecodingReader} leaves long lines, the last line and bad bytes to {@code read()}. */
class DecodingReaderTest {
    @TempDir
    Path dir;

    /** A file holding {@code before} in UTF-8, the byte 0xFF (never valid in UTF-8), then {@code after}. */
    private Path fileWithInvalidByte(String before, String after) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        b.write(0xFF);
        b.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return Files.write(dir.resolve("f.txt"), b.toByteArray());
    }

    @Test
    void shortLinesAreReadWholeAndEverythingElseIsLeftForReadCharByChar() throws Exception {
        Path file = fileWithInvalidByte("ab\ncdé\r\nxxxxxxxxxx\n", "\ntail");
        try (DecodingReader r = new DecodingReader(file, StandardCharsets.UTF_8, DecodeErrorPolicy.FAIL)) {
            assertThat(r.readLineIfShort(6)).isEqualTo("ab");
            assertThat(r.readLineIfShort(6)).isEqualTo("cdé\r");
            assertThat(r.position()).isEqualTo(9);
            assertThat(r.readLineIfShort(6)).as("a line of 10 bytes is not short").isNull();
            assertThat(r.position()).isEqualTo(9);
            StringBuilder line = new StringBuilder();
            for (int c = r.read(); c != '\n'; c = r.read()) {
                line.append((char) c);
            }
            assertThat(line).hasToString("xxxxxxxxxx");
            assertThat(r.readLineIfShort(6)).as("an invalid byte").isNull();
            assertThatThrownBy(r::read).isInstanceOf(CharacterCodingException.class).hasMessageContaining("offset 20");
        }
        try (DecodingReader r = new DecodingReader(file, StandardCharsets.UTF_8, DecodeErrorPolicy.REPLACE)) {
            r.seek(20);
            assertThat(r.readLineIfShort(6)).isEqualTo("\uFFFD");
            assertThat(r.readLineIfShort(6)).as("the last line has no newline").isNull();
        }
    }

    @Test
    void asciiLinesAreHandedOverAsTheirBytesAndAnyOtherLineIsLeftUnread() throws Exception {
        Path file = fileWithInvalidByte("ab\r\ncdé\nxxxxxxxxxx\n", "\nlast");
        try (DecodingReader r = new DecodingReader(file, StandardCharsets.UTF_8, DecodeErrorPolicy.FAIL)) {
            assertThat(r.readAsciiLineIfShort(6)).isEqualTo("ab\r".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.position()).isEqualTo(4);
            assertThat(r.readAsciiLineIfShort(6)).as("a line with a non-ASCII character").isNull();
            assertThat(r.position()).isEqualTo(4);
            assertThat(r.readLineIfShort(6)).isEqualTo("cdé");
            assertThat(r.readAsciiLineIfShort(6)).as("a line of 10 bytes is not short").isNull();
            r.seek(20);
            assertThat(r.readAsciiLineIfShort(6)).as("an invalid byte").isNull();
            assertThat(r.position()).isEqualTo(20);
            r.seek(22);
            assertThat(r.readAsciiLineIfShort(6)).as("the last line has no newline").isNull();
        }
        try (DecodingReader r = new DecodingReader(file, StandardCharsets.UTF_16BE, DecodeErrorPolicy.REPLACE)) {
            assertThat(r.readAsciiLineIfShort(6)).as("a charset where a byte is not a character").isNull();
        }
    }
}
