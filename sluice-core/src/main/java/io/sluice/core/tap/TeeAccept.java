package io.sluice.core.tap;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What an rtsql server takes in tee batches, as it announces it on the answer to an agent's
 * registration ({@code GET /v1/nodes/{agent}/tees}) in three headers:
 *
 * <pre>
 * X-Sluice-Tee-Accept: application/x-sluice-tee;version=2, application/x-ndjson   (the body formats, best first)
 * X-Sluice-Tee-Max-Events: 65536                                        (events per batch)
 * X-Sluice-Tee-Max-Bytes: 4194304                                       (bytes per batch body)
 * </pre>
 *
 * A server that sends none of them predates the announcement: it may not know
 * {@value TeeFrames#CONTENT_TYPE} (such servers answer it 400 or 415), and it takes at most
 * {@value #UNANNOUNCED_MAX_EVENTS} events per batch; {@link #UNANNOUNCED} describes it. The binary
 * form's {@code version} parameter names the newest {@link TeeFrames} version the server reads (it
 * reads the older ones too); a server that names none reads version 1 only. Immutable.
 *
 * @param announced whether the server sent the headers
 * @param binary    whether it takes {@value TeeFrames#CONTENT_TYPE} (assumed when not announced)
 * @param ndjson    whether it takes {@value #NDJSON}
 * @param maxEvents the most events it takes per batch
 * @param maxBytes  the most bytes it takes per batch body
 * @param binaryVersion the newest {@link TeeFrames} version it reads (1 when it named none)
 */
public record TeeAccept(boolean announced, boolean binary, boolean ndjson, int maxEvents, int maxBytes,
        int binaryVersion) {
    public static final String ACCEPT_HEADER = "X-Sluice-Tee-Accept";
    public static final String MAX_EVENTS_HEADER = "X-Sluice-Tee-Max-Events";
    public static final String MAX_BYTES_HEADER = "X-Sluice-Tee-Max-Bytes";
    /** The tee's text format: one {@code {"headers":{...},"body":"<base64>"}} per line. */
    public static final String NDJSON = "application/x-ndjson";
    /** The events per batch every server takes, also those that do not announce a limit. */
    public static final int UNANNOUNCED_MAX_EVENTS = 1000;
    /** The body size every server takes, also those that do not announce a limit. */
    public static final int UNANNOUNCED_MAX_BYTES = 1 << 20;
    /** A server that announced nothing: binary tried first, 1,000 events and 1 MiB per batch. */
    public static final TeeAccept UNANNOUNCED = new TeeAccept(false, true, true, UNANNOUNCED_MAX_EVENTS,
            UNANNOUNCED_MAX_BYTES, 1);
    /** The parameter of the binary form's media type naming the newest version a server reads. */
    public static final String VERSION_PARAMETER = "version";

    public TeeAccept {
        if (maxEvents < 1 || maxBytes < 1 || binaryVersion < 1) {
            throw new IllegalArgumentException("maxEvents: " + maxEvents + ", maxBytes: " + maxBytes
                    + ", binaryVersion: " + binaryVersion + " (expected: > 0)");
        }
    }

    /** A server reading binary version 1 only (one that names no version). */
    public TeeAccept(boolean announced, boolean binary, boolean ndjson, int maxEvents, int maxBytes) {
        this(announced, binary, ndjson, maxEvents, maxBytes, 1);
    }

    /**
     * The value of {@value #ACCEPT_HEADER} for a server taking both formats, binary first, up to
     * {@link TeeFrames#VERSION}. Agents that predate versions read the media type alone and send
     * version 1, which such a server still reads.
     */
    public static String acceptValue() {
        return TeeFrames.CONTENT_TYPE + ";" + VERSION_PARAMETER + "=" + TeeFrames.VERSION + ", " + NDJSON;
    }

    /**
     * Reads the announcement from a registration answer's headers ({@code header} gives a header's
     * value by its name in lower case, or null). Values that cannot be read count as not sent.
     */
    public static TeeAccept fromHeaders(Function<String, String> header) {
        String accept = header.apply(ACCEPT_HEADER.toLowerCase(Locale.ROOT));
        if (accept == null) {
            return UNANNOUNCED;
        }
        Set<String> types = new LinkedHashSet<>();
        int version = 1;
        for (String t : accept.split(",")) {
            String[] parts = t.split(";");
            String media = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!media.isEmpty()) {
                types.add(media);
            }
            if (media.equals(TeeFrames.CONTENT_TYPE)) {
                for (int i = 1; i < parts.length; i++) {
                    String[] kv = parts[i].split("=", 2);
                    if (kv.length == 2 && kv[0].strip().equalsIgnoreCase(VERSION_PARAMETER)) {
                        // a version newer than this agent writes: the newest it writes (the server reads older ones)
                        version = Math.max(version, Math.min(TeeFrames.VERSION, positive(kv[1], 1)));
                    }
                }
            }
        }
        return new TeeAccept(true, types.contains(TeeFrames.CONTENT_TYPE), types.contains(NDJSON),
                positive(header.apply(MAX_EVENTS_HEADER.toLowerCase(Locale.ROOT)), UNANNOUNCED_MAX_EVENTS),
                positive(header.apply(MAX_BYTES_HEADER.toLowerCase(Locale.ROOT)), UNANNOUNCED_MAX_BYTES), version);
    }

    private static int positive(String value, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            int v = Integer.parseInt(value.strip());
            return v > 0 ? v : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
