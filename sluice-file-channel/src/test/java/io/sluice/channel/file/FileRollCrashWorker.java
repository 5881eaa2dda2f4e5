package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.MarkedTransaction;
import io.sluice.api.PositionedTransaction;
import io.sluice.api.Sink;
import io.sluice.api.SourceMarkerChannel;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.sink.fileroll.RollingFileSinkFactory;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process for {@link FileRollExactlyOnceKillTest}: a {@code file_roll} sink with
 * {@code sink.exactlyOnce = true} draining a file channel into {@code <root>/out}, 100 events per
 * batch.
 *
 * <ul>
 *   <li>{@code crash <root> <protocolFile>}: when the third batch's take is about to commit (the
 *       sink wrote it and forced it to disk), says {@code @@WRITTEN} and stops there for the
 *       parent's {@code kill -9}. The channel is seen through {@link PausingChannel}, which only
 *       adds that pause.</li>
 *   <li>{@code resume <root> <protocolFile>}: drains the channel, stops the sink, says
 *       {@code @@DONE}.</li>
 *   <li>{@code crash-dlq} and {@code resume-dlq}: the same with {@link PoisonTextSerializerFactory}
 *       as the serializer and a second file channel in {@code <root>/dlq} as
 *       {@code deadLetter.channel}; {@code crash-dlq} stops (says {@code @@WRITTEN}) when the second
 *       batch holding refused events is about to commit its dead letters.</li>
 * </ul>
 */
public final class FileRollCrashWorker {
    private static FileOutputStream protocol;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path root = Path.of(args[1]);
        protocol = new FileOutputStream(args[2], true);
        FileChannel ch = TestChannels.open(TestChannels.config(root));
        boolean dlq = mode.endsWith("-dlq");
        Map<String, String> keys = new HashMap<>(Map.of("type", "file_roll",
                "sink.directory", root.resolve("out").toString(), "sink.batchSize", "100", "sink.exactlyOnce", "true",
                "sink.rollInterval", "0"));
        if (dlq) {
            keys.put("sink.serializer", PoisonTextSerializerFactory.class.getName());
        }
        SingleComponentConfig cfg = SingleComponentConfig.of(ComponentKind.SINK, "k1", keys);
        Sink sink = new RollingFileSinkFactory().create(cfg.context());
        if (!cfg.problems().isEmpty()) {
            throw new IllegalStateException(cfg.problems().toString());
        }
        Runnable stopHere = () -> {
            say("WRITTEN");
            while (true) {
                LockSupport.park();
            }
        };
        FileChannel letters = null;
        if (dlq) {
            letters = deadLetterChannel(root);
            Channel seen = mode.startsWith("crash") ? new PausingChannel(letters, 2, true, stopHere) : letters;
            ((DeadLetterAware) sink).setDeadLetters(new DeadLetters(seen, "a1.sinks.k1", Clock.systemUTC()));
            sink.setChannel(ch);
        } else {
            sink.setChannel(mode.equals("crash") ? new PausingChannel(ch, 3, stopHere) : ch);
        }
        sink.start();
        for (int i = 0; i < 1000 && sink.process() == Status.READY; i++) {
            // deliver until the channel is empty
        }
        sink.stop();
        ch.stop();
        if (letters != null) {
            letters.stop();
        }
        say("DONE");
    }

    /** The dead-letter file channel of the {@code -dlq} modes, started. */
    static FileChannel deadLetterChannel(Path root) {
        FileChannel letters = new FileChannel("dlq", "[a1.channels.dlq]", TestChannels.config(root.resolve("dlq")),
                new ChannelCounter("dlq"), Clock.systemUTC());
        letters.start();
        return letters;
    }

    static void say(String line) {
        try {
            protocol.write(("@@" + line + "\n").getBytes(StandardCharsets.UTF_8));
            protocol.getFD().sync();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The file channel, except that {@code action} runs before the n-th commit that took events (or,
     * counting puts, that put events; or, when {@code afterCommit}, right after that commit).
     */
    static final class PausingChannel implements SourceMarkerChannel {
        private final FileChannel inner;
        private final Runnable action;
        private final boolean countPuts;
        private final boolean afterCommit;
        private int takeCommitsLeft;

        PausingChannel(FileChannel inner, int pauseAt, Runnable action) {
            this(inner, pauseAt, false, action);
        }

        PausingChannel(FileChannel inner, int pauseAt, boolean countPuts, Runnable action) {
            this(inner, pauseAt, countPuts, false, action);
        }

        PausingChannel(FileChannel inner, int pauseAt, boolean countPuts, boolean afterCommit, Runnable action) {
            this.inner = inner;
            this.takeCommitsLeft = pauseAt;
            this.countPuts = countPuts;
            this.afterCommit = afterCommit;
            this.action = action;
        }

        @Override
        public Optional<byte[]> committedMarker(String owner) {
            return inner.committedMarker(owner);
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void start() {
            inner.start();
        }

        @Override
        public void stop() {
            inner.stop();
        }

        @Override
        public State lifecycleState() {
            return inner.lifecycleState();
        }

        @Override
        public Transaction getTransaction() {
            PositionedTransaction tx = (PositionedTransaction) inner.getTransaction();
            return new PausingTransaction() {
                private boolean took;

                @Override
                public void mark(String owner, byte[] marker) {
                    ((MarkedTransaction) tx).mark(owner, marker);
                }

                @Override
                public long[] takenPositions() {
                    return tx.takenPositions();
                }

                @Override
                public void begin() {
                    tx.begin();
                }

                @Override
                public void put(Event event) {
                    tx.put(event);
                    took |= countPuts;
                }

                @Override
                public void putAll(List<Event> events) {
                    tx.putAll(events);
                    took |= countPuts && !events.isEmpty();
                }

                @Override
                public Event take() {
                    Event e = tx.take();
                    took |= e != null;
                    return e;
                }

                @Override
                public int takeBatch(int max, List<? super Event> out) {
                    int n = tx.takeBatch(max, out);
                    took |= n > 0;
                    return n;
                }

                @Override
                public void commit() {
                    boolean now = took && --takeCommitsLeft == 0;
                    if (now && !afterCommit) {
                        action.run();
                    }
                    tx.commit();
                    if (now && afterCommit) {
                        action.run();
                    }
                }

                @Override
                public void rollback() {
                    tx.rollback();
                }

                @Override
                public State state() {
                    return tx.state();
                }

                @Override
                public void close() {
                    tx.close();
                }
            };
        }

        /** A transaction of the file channel: positioned (for sinks) and marked (for sources). */
        private interface PausingTransaction extends PositionedTransaction, MarkedTransaction {
        }
    }
}
