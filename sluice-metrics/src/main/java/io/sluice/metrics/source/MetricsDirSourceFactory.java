package io.sluice.metrics.source;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code metricsdir} source. Keys: {@code directory} (required), {@code includePattern}
 * (files not starting with a dot), {@code interval} (60 s), {@code labels.*},
 * {@code maxFileSize} (16 MiB).
 */
public final class MetricsDirSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> DIRECTORY = ConfigKey.stringKey("directory", null,
            "Directory whose exposition-format files are read every interval (Artimon's /var/run/artimon).")
            .required();
    public static final ConfigKey<String> INCLUDE = ConfigKey.stringKey("includePattern", "^[^.].*$",
            "Regular expression the names of the files read must match; by default every file not starting with a"
                    + " dot, so files being written as .name.tmp and renamed are read only once whole.");
    public static final ConfigKey<Long> INTERVAL = ConfigKey.longKey("interval", 60L,
            "Seconds between two readings of the directory.").atLeast(1);
    public static final ConfigKey<Long> MAX_FILE_SIZE = ConfigKey.longKey("maxFileSize", 16L * 1024 * 1024,
            "Largest file read, in bytes; a larger one is skipped and counted.").atLeast(1);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE,
            "metricsdir")
            .keys(DIRECTORY, INCLUDE, INTERVAL, PrometheusSourceFactory.LABELS, MAX_FILE_SIZE)
            .description("Reads exposition-format metric files dropped in a directory every interval; one event per"
                    + " file.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        String dir = context.get(DIRECTORY);
        String include = context.get(INCLUDE);
        long interval = context.get(INTERVAL);
        long max = context.get(MAX_FILE_SIZE);
        Map<String, String> labels = new TreeMap<>(context.subProperties(PrometheusSourceFactory.LABELS.name()));
        Pattern pattern = null;
        try {
            pattern = Pattern.compile(include);
        } catch (PatternSyntaxException e) {
            context.problem(INCLUDE.name(), include, "is not a regular expression: " + e.getDescription(),
                    "fix the expression, e.g. ^.*\\.prom$");
        }
        if (dir == null || pattern == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new MetricsDirSource(context.name(), context.label(), Path.of(dir.trim()), pattern, labels,
                interval * 1000L, max, counter, context.clock());
    }
}
