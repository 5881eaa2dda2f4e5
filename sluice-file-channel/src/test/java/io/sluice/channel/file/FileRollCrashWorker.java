package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.PositionedTransaction;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.sink.fileroll.RollingFileSinkFactory;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * </ul>
 */
public final class FileRollCrashWorker {
    private static FileOutputStream protocol;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path root = Path.of(args[1]);
        protocol = new FileOutputStream(args[2], true);
        FileChannel ch = TestChannels.open(TestChannels.config(root));
        SingleComponentConfig cfg = SingleComponentConfig.of(ComponentKind.SINK, "k1", Map.of("type", "file_roll",
                "sink.directory", root.resolve("out").toString(), "sink.batchSize", "100", "sink.exactlyOnce", "true",
                "sink.rollInterval", "0"));
        Sink sink = new RollingFileSinkFactory().create(cfg.context());
        if (!cfg.problems().isEmpty()) {
            throw new IllegalStateException(cfg.problems().toString());
        }
        sink.setChannel(mode.equals("crash") ? new PausingChannel(ch, 3, () -> {
            say("WRITTEN");
            while (true) {
                LockSupport.park();
            }
        }) : ch);
        sink.start();
        for (int i = 0; i < 1000 && sink.process() == Status.READY; i++) {
            // deliver until the channel is empty
        }
        sink.stop();
        ch.stop();
        say("DONE");
    }

    static void say(String line) {
        try {
            protocol.write(("@@" + line + "\n").getBytes(StandardCharsets.UTF_8));
            protocol.getFD().sync();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file channel, except that {@code action} runs before the n-th commit that took events. */
    static final class PausingChannel implements Channel {
        private final FileChannel inner;
        private final Runnable action;
        private int takeCommitsLeft;

        PausingChannel(FileChannel inner, int pauseAt, Runnable action) {
            this.inner = inner;
            this.takeCommitsLeft = pauseAt;
            this.action = action;
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
            return new PositionedTransaction() {
                private boolean took;

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
                    if (took && --takeCommitsLeft == 0) {
                        action.run();
                    }
                    tx.commit();
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
    }
}
