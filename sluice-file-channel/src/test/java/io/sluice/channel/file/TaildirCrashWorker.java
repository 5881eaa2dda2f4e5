package io.sluice.channel.file;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.PollableSource;
import io.sluice.api.Source;
import io.sluice.api.Status;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.source.taildir.TaildirSourceFactory;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process for {@link TaildirMarkerKillTest}: a {@code TAILDIR} source reading
 * {@code <root>/logs/app.log} in batches of 100 into a file channel, as an agent wires them
 * (replicating selector, {@link DefaultChannelProcessor}).
 *
 * <ul>
 *   <li>{@code crash <root> <protocolFile>}: after the third batch's channel commit, and before the
 *       source may record its position, says {@code @@COMMITTED} and stops there for the parent's
 *       {@code kill -9}.</li>
 *   <li>{@code resume <root> <protocolFile>}: reads the file to its end, then takes everything out
 *       of the channel and writes each body as {@code @@L <body>}, then {@code @@DONE}.</li>
 * </ul>
 */
public final class TaildirCrashWorker {
    private static FileOutputStream protocol;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path root = Path.of(args[1]);
        protocol = new FileOutputStream(args[2], true);
        FileChannel ch = TestChannels.open(TestChannels.config(root));
        if (mode.equals("crash")) {
            int[] commits = {0};
            ch.addPutCommitListener(() -> {
                if (++commits[0] == 3) {
                    say("COMMITTED");
                    while (true) {
                        LockSupport.park();
                    }
                }
            });
        }
        SingleComponentConfig cfg = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", Map.of("type", "TAILDIR",
                "filegroups", "f1", "filegroups.f1", root.resolve("logs") + "/app\\.log", "positionFile",
                root.resolve("pos/taildir_position.json").toString(), "batchSize", "100"));
        Source source = new TaildirSourceFactory().create(cfg.context());
        if (!cfg.problems().isEmpty()) {
            throw new IllegalStateException(cfg.problems().toString());
        }
        TestChannels.connect(source, ch);
        source.start();
        for (int i = 0; i < 1000 && ((PollableSource) source).process() == Status.READY; i++) {
            // read until the source has nothing more
        }
        source.stop();
        while (true) {
            List<Event> out = TestChannels.takeEvents(ch, 1000);
            if (out.isEmpty()) {
                break;
            }
            for (Event e : out) {
                say("L " + e.bodyAsString());
            }
        }
        ch.stop();
        say("DONE");
    }

    private static void say(String line) {
        try {
            protocol.write(("@@" + line + "\n").getBytes(StandardCharsets.UTF_8));
            protocol.getFD().sync();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
