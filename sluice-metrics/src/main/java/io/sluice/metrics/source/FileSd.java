package io.sluice.metrics.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a target file in Prometheus' {@code file_sd} JSON format: an array of groups, each
 * {@code {"targets": ["host:port", ...], "labels": {"name": "value", ...}}}. Stateless.
 */
final class FileSd {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FileSd() {
    }

    /** One group: targets and their labels. */
    record Group(List<String> targets, Map<String, String> labels) {
    }

    /**
     * @throws IOException when the file cannot be read or is not in the file_sd shape (the message
     *         says which element is wrong)
     */
    static List<Group> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException(file + " must hold a JSON array of {\"targets\": [...], \"labels\": {...}}");
        }
        List<Group> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode g = root.get(i);
            JsonNode targets = g.get("targets");
            if (targets == null || !targets.isArray()) {
                throw new IOException(file + ": group " + i + " has no \"targets\" array");
            }
            List<String> ts = new ArrayList<>();
            for (JsonNode t : targets) {
                if (!t.isTextual()) {
                    throw new IOException(file + ": group " + i + " has a target that is not a string: " + t);
                }
                ts.add(t.asText());
            }
            Map<String, String> labels = new TreeMap<>();
            JsonNode l = g.get("labels");
            if (l != null && !l.isNull()) {
                if (!l.isObject()) {
                    throw new IOException(file + ": group " + i + " has \"labels\" that is not an object");
                }
                Iterator<Map.Entry<String, JsonNode>> it = l.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    labels.put(e.getKey(), e.getValue().asText());
                }
            }
            out.add(new Group(ts, labels));
        }
        return out;
    }
}
