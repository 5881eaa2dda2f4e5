package io.sluice.sql.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An agent's registration request over a plain socket, the way an agent holds it: a GET whose
 * chunked answer is read line by line; {@link #close()} closes the socket, so the server sees the
 * agent go away at once.
 */
final class RawRegistration implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final StringBuilder pending = new StringBuilder();
    private String last;
    final int status;
    /** The answer's headers, names in lower case. */
    final Map<String, String> headers = new LinkedHashMap<>();

    RawRegistration(int port, String token, String agent, String components) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/nodes/" + agent + "/tees?components=" + components + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = socket.getInputStream();
        String statusLine = rawLine();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String h = rawLine(); h != null && !h.isEmpty(); h = rawLine()) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
        }
    }

    private String rawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /**
     * The next line that differs from the one before (heartbeats repeat the last set), or null at
     * the end of the body.
     */
    String next() throws IOException {
        String line;
        do {
            line = nextLine();
        } while (line != null && line.equals(last));
        last = line;
        return line;
    }

    private String nextLine() throws IOException {
        while (pending.indexOf("\n") < 0) {
            String size = rawLine();
            if (size == null) {
                return null;
            }
            int n = Integer.parseInt(size.strip(), 16);
            if (n == 0) {
                return null;
            }
            byte[] chunk = in.readNBytes(n);
            pending.append(new String(chunk, StandardCharsets.UTF_8));
            rawLine(); // the CRLF after the chunk
        }
        int nl = pending.indexOf("\n");
        String line = pending.substring(0, nl);
        pending.delete(0, nl + 1);
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
