package io.sluice.sql.source;

import io.sluice.api.Event;
import io.sluice.sql.EventSourceProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SOURCE 'netcat'}: a TCP server; each line a client sends is one event, answered with
 * {@code OK} (as Flume's netcat source does) unless {@code ack-every-event} is false. Properties:
 * {@code port} (required), {@code bind} (default 127.0.0.1), {@code ack-every-event} (default
 * true), {@code max-line-length} (default 512; longer lines are cut and answered
 * {@code FAILED: line too long}). One thread per connection.
 */
public final class NetcatSourceProvider implements EventSourceProvider {
    private static final Logger LOG = LoggerFactory.getLogger(NetcatSourceProvider.class);
    private static final Set<String> KEYS = Set.of("port", "bind", "ack-every-event", "max-line-length");

    @Override
    public boolean supports(String kind, String target) {
        return kind.equals("SOURCE") && target.equals("netcat");
    }

    @Override
    public AutoCloseable open(String kind, String target, Map<String, String> p, EventSink sink) throws IOException {
        for (String k : p.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("source 'netcat' has no property '" + k + "' (known: " + KEYS + ")");
            }
        }
        if (!p.containsKey("port")) {
            throw new IllegalArgumentException("source 'netcat' needs property 'port', e.g. PROPERTIES ('port' = '44444')");
        }
        int port;
        int maxLine;
        try {
            port = Integer.parseInt(p.get("port").trim());
            maxLine = Integer.parseInt(p.getOrDefault("max-line-length", "512").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("source 'netcat': port and max-line-length must be whole numbers");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("source 'netcat': port = " + port + " (expected: 0..65535)");
        }
        boolean ack = !"false".equalsIgnoreCase(p.getOrDefault("ack-every-event", "true").trim());
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(p.getOrDefault("bind", "127.0.0.1"), port));
        CopyOnWriteArrayList<Socket> clients = new CopyOnWriteArrayList<>();
        String name = "[rtsql source netcat " + server.getLocalSocketAddress() + "]";
        LOG.info("{} listening", name);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    clients.add(s);
                    Thread t = new Thread(() -> serve(s, sink, ack, maxLine, name, clients), "rtsql-netcat-client");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        LOG.warn("{} accept failed", name, e);
                    }
                }
            }
        }, "rtsql-netcat-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return () -> {
            server.close();
            for (Socket s : clients) {
                s.close();
            }
        };
    }

    private static void serve(Socket s, EventSink sink, boolean ack, int maxLine, String name,
            CopyOnWriteArrayList<Socket> clients) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = s.getOutputStream()) {
            String line;
            while ((line = in.readLine()) != null) {
                boolean tooLong = line.length() > maxLine;
                if (tooLong) {
                    line = line.substring(0, maxLine);
                }
                sink.accept(Event.wrap(Map.of(), line.getBytes(StandardCharsets.UTF_8)));
                if (ack) {
                    out.write((tooLong ? "FAILED: line too long\n" : "OK\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.debug("{} client closed: {}", name, e.toString());
        } finally {
            clients.remove(s);
        }
    }
}
