package io.sluice.sql.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Reads every {@code cases/*.json} on the test class path. */
final class CaseLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseLoader() {
    }

    static List<QueryCase> loadAll() {
        URL url = CaseLoader.class.getClassLoader().getResource("cases");
        if (url == null) {
            throw new IllegalStateException("no 'cases' directory on the test class path");
        }
        Path dir;
        try {
            dir = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<QueryCase> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = JSON.readTree(f.toFile());
                JsonNode fixtures = root.get("fixtures");
                for (JsonNode c : root.path("cases")) {
                    QueryCase qc = QueryCase.from(f.getFileName().toString(), c, fixtures);
                    if (!ids.add(qc.id())) {
                        throw new IllegalStateException("two cases named " + qc.id());
                    }
                    all.add(qc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
