package io.sluice.channel.file.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Lists the segment files of a data directory by id. Stateless and thread-safe. */
public final class SegmentDirectory {
    private SegmentDirectory() {
    }

    /** Segment id to path, ascending; an absent directory has none. */
    public static TreeMap<Integer, Path> list(Path dir) throws IOException {
        TreeMap<Integer, Path> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "segment-*.wal")) {
            for (Path p : ds) {
                int id = LogFormat.segmentIdOf(p.getFileName().toString());
                if (id > 0) {
                    out.put(id, p);
                }
            }
        }
        return out;
    }

    /** Every segment of every directory, by id. */
    public static TreeMap<Integer, Path> listAll(Iterable<Path> dirs) throws IOException {
        TreeMap<Integer, Path> out = new TreeMap<>();
        for (Path d : dirs) {
            for (Map.Entry<Integer, Path> e : list(d).entrySet()) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
