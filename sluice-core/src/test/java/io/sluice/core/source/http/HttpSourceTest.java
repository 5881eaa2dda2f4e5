package io.sluice.core.source.http;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.config.GlobalSsl;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.testing.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class HttpSourceTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private HttpSource source;
    private TestContexts ctx;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private void start(MemoryPipe pipe, Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(Map.of("type", "http", "bind", "127.0.0.1",
                "port", Integer.toString(FreePorts.tcp())));
        keys.putAll(extra);
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", keys);
        source = (HttpSource) new HttpSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        source.start();
    }

    private HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + source.localAddress().getPort()
                + "/")).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private CounterGroup counter() {
        return ctx.counters().find("SOURCE", "r1");
    }

    @Test
    void eventsOfAJsonArrayAreCommittedBeforeTheOk() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        start(pipe, Map.of());
        HttpResponse<String> r = post("[{\"headers\":{\"host\":\"web1\",\"n\":7},\"body\":\"first é\"},"
                + "{\"body\":\"second\"}, {\"headers\":{}}]");
        assertThat(r.statusCode()).isEqualTo(200);
        List<Event> events = pipe.drain();
        assertThat(events).extracting(Event::bodyAsString).containsExactly("first é", "second", "");
        assertThat(events.get(0).headers()).containsExactly(Map.entry("host", "web1"), Map.entry("n", "7"));
        assertThat(counter().get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(3);
        assertThat(counter().get(SourceCounter.APPEND_BATCH_ACCEPTED)).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotAnEventListIsKeptInTheDeadLetterChannel() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        MemoryPipe dlq = new MemoryPipe(1, 50);
        start(pipe, Map.of());
        source.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1", Clock.systemUTC()));
        HttpResponse<String> r = post("{\"body\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("expected a JSON array of events").contains("; the body was kept in the dead-letter channel.");
        // the dead-letter channel is full now: the sender is told to try again, nothing is lost in silence
        HttpResponse<String> full = post("[{\"body\": ");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).contains("could not be kept in the dead-letter channel; send it again");
        List<Event> letters = dlq.drain();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).bodyAsString()).isEqualTo("{\"body\":\"x\"}");
        assertThat(letters.get(0).header(DeadLetters.ERROR)).startsWith("request body is not an event list: ")
                .contains("expected a JSON array of events");
        assertThat(letters.get(0).header("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(pipe.drain()).isEmpty();
        assertThat(counter().get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(2);
        assertThat(counter().get(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(1);
        assertThat(counter().get(RejectedInput.DEAD_LETTER_WRITE_FAIL)).isEqualTo(1);
    }

    @Test
    void malformedJsonIsAnswered400WithTheReasonAndNothingOfItIsCommitted() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        start(pipe, Map.of());
        HttpResponse<String> truncated = post("[{\"body\":\"good\"}, {\"body\": ");
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.body()).startsWith("Bad request from client. malformed JSON");
        HttpResponse<String> notArray = post("{\"body\":\"x\"}");
        assertThat(notArray.statusCode()).isEqualTo(400);
        assertThat(notArray.body()).contains("expected a JSON array of events");
        HttpResponse<String> nested = post("[{\"body\":\"ok\"},{\"headers\":{\"a\":{\"b\":1}},\"body\":\"x\"}]");
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(nested.body()).contains("event 1: header 'a' is an object");
        assertThat(pipe.drain()).isEmpty();
        assertThat(counter().get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(3);
        assertThat(post("[{\"body\":\"after\"}]").statusCode()).isEqualTo(200);
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("after");
    }

    @Test
    void fullChannelIsAnswered503AndTheRequestCanBeRetried() throws Exception {
        MemoryPipe pipe = new MemoryPipe(3, 50);
        start(pipe, Map.of());
        assertThat(post("[{\"body\":\"1\"},{\"body\":\"2\"}]").statusCode()).isEqualTo(200);
        HttpResponse<String> full = post("[{\"body\":\"3\"},{\"body\":\"4\"}]");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).startsWith("Error appending event to channel. Channel might be full.");
        assertThat(counter().get(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(1);
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("1", "2");
        assertThat(post("[{\"body\":\"3\"},{\"body\":\"4\"}]").statusCode()).isEqualTo(200);
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("3", "4");
    }

    @Test
    void oversizedRequestIsRefused413BeforeItsBodyIsSent() throws Exception {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        start(pipe, Map.of("maxRequestBytes", "1024"));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), source.localAddress().getPort())) {
            socket.setSoTimeout(15_000);
            // Announce 100 MB but send none of it: the answer must come without the server waiting for it.
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), source.localAddress().getPort())) {
            socket.setSoTimeout(15_000);
            // A chunked body has no declared length: it is refused as soon as it passes the limit.
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "[".repeat(1024) + "\r\n" + "400\r\n" + "[".repeat(1024) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
        }
        String big = "[{\"body\":\"" + "x".repeat(2000) + "\"}]";
        assertThat(post(big).statusCode()).isEqualTo(413);
        assertThat(pipe.drain()).isEmpty();
        assertThat(counter().get(SourceCounter.EVENT_READ_FAIL)).isEqualTo(3);
        assertThat(post("[{\"body\":\"small\"}]").statusCode()).isEqualTo(200);
    }

    @Test
    void servesHttpsFromAKeystore(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "sluice", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolOutput).isZero();

        MemoryPipe pipe = new MemoryPipe(10, 10);
        start(pipe, Map.of("ssl", "true", "keystore", keystore.toString(), "keystore-password", "changeit",
                "keystore-type", "PKCS12"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + source.localAddress().getPort() + "/")).POST(HttpRequest.BodyPublishers.ofString(
                "[{\"body\":\"secret\"}]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(pipe.drain()).extracting(Event::bodyAsString).containsExactly("secret");

        TestContexts wrong = TestContexts.of(ComponentKind.SOURCE, "r2", Map.of("type", "http", "port", "5140",
                "ssl", "true", "keystore", keystore.toString(), "keystore-password", "wrong", "keystore-type",
                "PKCS12"));
        assertThat(new HttpSourceFactory().create(wrong.context())).isNull();
        assertThat(wrong.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources.r2.keystore");

        // Apache Flume's global settings stand in for unset keystore keys (the keystore is loaded while
        // the configuration is read, so a wrong global password or type would be a problem here)
        Map<String, String> globals = Map.of(GlobalSsl.KEYSTORE, keystore.toString(), GlobalSsl.KEYSTORE_PASSWORD,
                "changeit", GlobalSsl.KEYSTORE_TYPE, "PKCS12");
        globals.keySet().forEach(k -> assertThat(System.getProperty(k)).as(k).isNull());
        globals.forEach(System::setProperty);
        try {
            TestContexts global = TestContexts.of(ComponentKind.SOURCE, "r3", Map.of("type", "http", "port", "5140",
                    "ssl", "true"));
            assertThat(new HttpSourceFactory().create(global.context())).isNotNull();
            assertThat(global.problems()).isEmpty();
        } finally {
            globals.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void onlyPostIsAccepted() throws Exception {
        start(new MemoryPipe(10, 10), Map.of());
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + source.localAddress().getPort() + "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void flumeJsonHandlerClassNameIsAcceptedAndUnknownHandlersAreProblems() {
        TestContexts ok = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "http", "port", "5140",
                "handler", "org.apache.flume.source.http.JSONHandler"));
        assertThat(new HttpSourceFactory().create(ok.context())).isNotNull();
        assertThat(ok.problems()).isEmpty();

        TestContexts bad = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "http", "port", "0",
                "handler", "com.example.NoSuchHandler", "ssl", "true"));
        assertThat(new HttpSourceFactory().create(bad.context())).isNull();
        assertThat(bad.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("a1.sources.r1.port",
                "a1.sources.r1.handler", "a1.sources.r1.keystore", "a1.sources.r1.keystore-password");
    }
}
