package io.sluice.sql.agent.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP/1.1 connection to an rtsql server. {@link #exchange} writes a request (with the bearer
 * token and, when there is a body, its length) and reads the status line and headers; the body is
 * then read from {@link Response#body()}: chunked, by {@code Content-Length}, or until the server
 * closes. After a body was read to its end the connection may carry the next request (keep-alive)
 * unless the server said {@code Connection: close}. Reads time out after the read timeout given at
 * {@link #open}, so a silent server is noticed. One thread uses a connection at a time;
 * {@link #close()} may be called from any thread and unblocks a reading one.
 */
public final class HttpConnection implements Closeable {
    private static final int MAX_LINE = 8192;

    private final ServerAddress server;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean reusable = true;

    private HttpConnection(ServerAddress server, Socket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    /** Connects to {@code server}; reads wait at most {@code readTimeout}. */
    public static HttpConnection open(ServerAddress server, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        requireNonNull(server, "server is null");
        return new HttpConnection(server, server.connect(connectTimeout, readTimeout));
    }

    /**
     * Sends {@code method path} with {@code headers} and {@code body} (null for none) and reads the
     * answer's status and headers.
     */
    public Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        return exchange(method, path, headers, body, body == null ? 0 : body.length);
    }

    /** As {@link #exchange(String, String, Map, byte[])} with the first {@code length} bytes of {@code body}. */
    public Response exchange(String method, String path, Map<String, String> headers, byte[] body, int length)
            throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(server.host()).append(':').append(server.port()).append("\r\n");
        head.append("Authorization: Bearer ").append(server.token()).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body, 0, length);
        }
        out.flush();
        String status = readLine(in);
        if (status == null) {
            throw new EOFException(server + " closed the connection before answering " + method + " " + path);
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException(server + " answered " + method + " " + path + " with '" + status
                    + "', which is not HTTP/1.1");
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException(server + " answered with the status line '" + status + "'");
        }
        Map<String, String> answerHeaders = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                answerHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        if ("close".equalsIgnoreCase(answerHeaders.get("connection"))) {
            reusable = false;
        }
        InputStream bodyIn;
        if ("HEAD".equals(method) || code == 204 || code == 304 || code / 100 == 1) {
            bodyIn = InputStream.nullInputStream();
        } else if (answerHeaders.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            bodyIn = new ChunkedInput(in);
        } else if (answerHeaders.containsKey("content-length")) {
            bodyIn = new LimitedInput(in, Long.parseLong(answerHeaders.get("content-length")));
        } else {
            reusable = false;
            bodyIn = in;
        }
        return new Response(code, answerHeaders, bodyIn);
    }

    /** Whether the next request may use this connection (the server did not ask to close it). */
    public boolean reusable() {
        return reusable && !socket.isClosed();
    }

    @Override
    public void close() {
        reusable = false;
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** A response: status, headers (lower-case names) and the body stream. */
    public static final class Response {
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;

        Response(int status, Map<String, String> headers, InputStream body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        public int status() {
            return status;
        }

        /** A header's value by its lower-case name, or null. */
        public String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        public InputStream body() {
            return body;
        }

        /** The rest of the body, at most {@code max} bytes (the rest is read and discarded). */
        public byte[] readBody(int max) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n = body.read(chunk); n >= 0; n = body.read(chunk)) {
                if (buf.size() < max) {
                    buf.write(chunk, 0, Math.min(n, max - buf.size()));
                }
            }
            return buf.toByteArray();
        }

        /** Reads the rest of the body and forgets it, through {@code scratch} (no allocation). */
        public void skipBody(byte[] scratch) throws IOException {
            while (body.read(scratch) >= 0) {
                // discarded
            }
        }

        /** The next line of the body (LF or CRLF ended, UTF-8), or null at its end. */
        public String readLine() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
            for (int b = body.read(); ; b = body.read()) {
                if (b < 0) {
                    return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
                }
                if (b == '\n') {
                    String s = buf.toString(StandardCharsets.UTF_8);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                buf.write(b);
            }
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("a line of the server's answer is longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) b);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** A chunked body: ends after the last (empty) chunk and its trailers. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("the server closed a chunked answer in the middle");
                }
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size line '" + size + "' in the server's answer");
                }
                if (left == 0) {
                    for (String t = readLine(in); t != null && !t.isEmpty(); t = readLine(in)) {
                        // trailers are ignored
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the server closed a chunked answer in the middle of a chunk");
            }
            left -= n;
            if (left == 0) {
                readLine(in);
            }
            return n;
        }
    }

    /** A body of a known length. */
    private static final class LimitedInput extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the server closed the connection before the end of its answer");
            }
            left -= n;
            return n;
        }
    }
}
