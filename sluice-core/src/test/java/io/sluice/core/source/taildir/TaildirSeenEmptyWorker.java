package io.sluice.core.source.taildir;

import io.sluice.api.Status;
import io.sluice.core.iotest.MemoryPipe;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process for {@link TaildirSeenEmptyKillTest}: a {@code TAILDIR} source following
 * {@code <root>/logs/app\.log} with its positions in {@code <root>/pos}. It reads what the file
 * holds, says {@code @@READ}, waits for {@code <root>/go}, then looks at the files once more (one
 * poll: the parent has rotated app.log meanwhile, so that look sees the new app.log empty), says
 * {@code @@LOOKED} and stops there for the parent's {@code kill -9}.
 */
public final class TaildirSeenEmptyWorker {
    private TaildirSeenEmptyWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        FileOutputStream protocol = new FileOutputStream(args[1], true);
        TaildirSource source = TaildirSeenEmptyKillTest.source(root);
        MemoryPipe pipe = new MemoryPipe(10_000, 10);
        source.setChannelProcessor(pipe.processor());
        source.start();
        for (int i = 0; i < 100 && source.process() == Status.READY; i++) {
            // read what the file holds
        }
        say(protocol, "READ " + pipe.drain().size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(root.resolve("go"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go file within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        source.process();
        say(protocol, "LOOKED");
        while (true) {
            LockSupport.park();
        }
    }

    private static void say(FileOutputStream protocol, String line) throws IOException {
        protocol.write(("@@" + line + "\n").getBytes(StandardCharsets.UTF_8));
        protocol.getFD().sync();
    }
}
