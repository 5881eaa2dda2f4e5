package io.sluice.sql;

import io.sluice.sql.format.AvroParser;
import io.sluice.sql.format.EventParser;
import io.sluice.sql.format.ParseException;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the FILE inputs of one flow, once and in order, on the flow's own thread. Text formats read
 * one event per line through a {@link TextRecordReader} (strict UTF-8, LF or CRLF line ends, blank
 * lines and a leading byte order mark skipped; a CSV record may span lines inside quotes); avro
 * reads an Avro container file. With several files, events are merged by event time (ties go to
 * the input listed first), so a join of two files gives the same result on every run. At the end of
 * each file its input ends; when all have, the flow closes its windows and ends.
 */
final class FileFeeder implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(FileFeeder.class);

    /** One FILE input of the flow. */
    record Input(int slot, String stream, Path path, String format, String delimiter, EventParser parser,
            int timestampColumn, int headerCount) {
    }

    private final Flow flow;
    private final List<Input> inputs;
    private final Clock clock;

    FileFeeder(Flow flow, List<Input> inputs, Clock clock) {
        this.flow = flow;
        this.inputs = List.copyOf(inputs);
        this.clock = clock;
    }

    /** Reads one input's events, parsing them; holds the next parsed row. */
    private final class Reader implements AutoCloseable {
        final Input in;
        private final TextRecordReader text;
        private final DataFileStream<GenericRecord> avro;
        Object[] row;
        long time;
        boolean done;

        Reader(Input in) throws IOException {
            this.in = in;
            // FileInputStream, not Files.newInputStream: the channel-backed stream asks a named
            // pipe for its position and fails with "Illegal seek".
            InputStream raw = new BufferedInputStream(new FileInputStream(in.path.toFile()), 1 << 16);
            if (in.format.equals("avro")) {
                this.avro = new DataFileStream<>(raw, new GenericDatumReader<>());
                this.text = null;
            } else {
                char delimiter = in.delimiter == null || in.delimiter.isEmpty() ? ',' : in.delimiter.charAt(0);
                this.text = new TextRecordReader(raw, in.format.equals("csv"), delimiter);
                this.avro = null;
            }
        }

        /** Moves to the next good row (rejecting bad ones on the way); false at the end. */
        boolean advance() throws IOException {
            while (true) {
                if (!flow.running()) {
                    done = true;
                    return false;
                }
                Object[] r;
                GenericRecord rec = null;
                String line = null;
                try {
                    if (avro != null) {
                        if (!avro.hasNext()) {
                            done = true;
                            return false;
                        }
                        rec = avro.next();
                        r = ((AvroParser) in.parser).fromRecord(rec);
                    } else {
                        TextRecordReader.Record record = text.next();
                        if (record == null) {
                            done = true;
                            return false;
                        }
                        if (record.rejected()) {
                            flow.offerReject(in.slot, record.text(), record.reason(), FlowMailbox.Overflow.BLOCK);
                            continue;
                        }
                        line = record.text();
                        r = in.parser.parseText(line);
                    }
                } catch (ParseException e) {
                    // the record is rendered as text only when it is rejected
                    flow.offerReject(in.slot, excerpt(rec != null ? rec.toString() : line), e.getMessage(),
                            FlowMailbox.Overflow.BLOCK);
                    continue;
                }
                if (in.timestampColumn >= 0 && r[in.timestampColumn] != null) {
                    time = ((Number) r[in.timestampColumn]).longValue();
                } else {
                    time = clock.millis();
                }
                row = in.headerCount == 0 ? r : StreamInput.pad(r, in.headerCount);
                return true;
            }
        }

        private String excerpt(String s) {
            int max = TextRecordReader.EXCERPT_CHARS;
            return s == null || s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " characters)";
        }

        @Override
        public void close() throws IOException {
            if (text != null) {
                text.close();
            }
            if (avro != null) {
                avro.close();
            }
        }
    }

    @Override
    public void run() {
        List<Reader> readers = new ArrayList<>();
        try {
            for (Input in : inputs) {
                readers.add(new Reader(in));
            }
            for (Reader r : readers) {
                if (!r.advance()) {
                    flow.offerEnd(r.in.slot);
                }
            }
            while (flow.running()) {
                Reader next = null;
                for (Reader r : readers) {
                    if (!r.done && (next == null || r.time < next.time)) {
                        next = r;
                    }
                }
                if (next == null) {
                    break;
                }
                flow.offer(next.in.slot, next.row, next.time, FlowMailbox.Overflow.BLOCK);
                if (!next.advance()) {
                    flow.offerEnd(next.in.slot);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("[flow {}] reading its input files failed", flow.id(), e);
            flow.fail(e);
        } finally {
            for (Reader r : readers) {
                try {
                    r.close();
                } catch (IOException e) {
                    LOG.warn("[flow {}] closing {} failed", flow.id(), r.in.path, e);
                }
            }
        }
    }
}
