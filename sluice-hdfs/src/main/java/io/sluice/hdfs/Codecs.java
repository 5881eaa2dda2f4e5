package io.sluice.hdfs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * Finds {@code hdfs.codeC} among the codecs Hadoop knows, by Apache Flume's rule (the class name,
 * its simple name, or its simple name without {@code Codec}, any case: {@code gzip},
 * {@code GzipCodec}, {@code org.apache.hadoop.io.compress.GzipCodec}), and proves that it works
 * here by compressing and decompressing a few bytes: a codec whose native library is missing is
 * refused at validation, not at the first batch. Stateless and thread-safe.
 */
final class Codecs {
    private static final byte[] PROBE = "sluice codec probe\n".repeat(20).getBytes(StandardCharsets.UTF_8);

    private Codecs() {
    }

    /** The result of a lookup: the codec, or why there is none. */
    record Lookup(CompressionCodec codec, String problem) {
    }

    static Lookup find(String name, Configuration conf) {
        List<Class<? extends CompressionCodec>> classes = CompressionCodecFactory.getCodecClasses(conf);
        List<String> names = new ArrayList<>();
        Class<? extends CompressionCodec> match = null;
        for (Class<? extends CompressionCodec> c : classes) {
            names.add(shortName(c));
            if (matches(c, name)) {
                match = c;
            }
        }
        if (match == null) {
            return new Lookup(null, "is not a compression codec Hadoop knows (known: " + String.join(", ", names)
                    + ")");
        }
        CompressionCodec codec;
        try {
            codec = ReflectionUtils.newInstance(match, conf);
            if (codec instanceof Configurable c) {
                c.setConf(conf);
            }
            probe(codec);
        } catch (IOException | RuntimeException | LinkageError e) {
            return new Lookup(null, "cannot be loaded by the Hadoop client here (" + match.getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        return new Lookup(codec, null);
    }

    private static void probe(CompressionCodec codec) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec.createOutputStream(bytes)) {
            out.write(PROBE);
        }
        byte[] back;
        try (InputStream in = codec.createInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readAllBytes();
        }
        if (!Arrays.equals(back, PROBE)) {
            throw new IOException("a round trip through the codec changed the data");
        }
    }

    private static String shortName(Class<?> c) {
        String s = c.getSimpleName();
        return (s.endsWith("Codec") ? s.substring(0, s.length() - 5) : s).toLowerCase(Locale.ROOT);
    }

    static boolean matches(Class<?> c, String name) {
        String n = name.trim();
        if (n.equalsIgnoreCase("zstd")) {
            n = "ZStandard";
        }
        String simple = c.getSimpleName();
        if (c.getName().equals(n) || simple.equalsIgnoreCase(n)) {
            return true;
        }
        return simple.endsWith("Codec") && simple.substring(0, simple.length() - 5).equalsIgnoreCase(n);
    }
}
