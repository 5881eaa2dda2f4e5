package io.sluice.e2e.observe;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Distribution;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One real agent process under a steady load (a stress source at 2000 events/s) plus a netcat
 * source whose events the tests send, watched the ways a user watches it: {@code sluice top}
 * without a terminal, {@code sluice tap} (token found by port), the token's refusals, and the web
 * console in Debian's headless Chromium driven by Selenium, whose screenshot is kept in
 * {@code target/screenshots/console.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObserveIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Path dir;
    private Path runDir;
    private int metricsPort;
    private int netcatPort;
    private ChildProcess agent;
    private final AtomicInteger sent = new AtomicInteger();

    @BeforeAll
    void startAgent() throws Exception {
        dir = Files.createTempDirectory("observe-it");
        runDir = dir.resolve("run");
        metricsPort = Ports.free();
        netcatPort = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("load lines", "c1 c2", "k1 k2 k3")
                .set("sources.load.type", "org.apache.flume.source.StressSource")
                .set("sources.load.maxEventsPerSecond", 2000).set("sources.load.batchSize", 100)
                .set("sources.load.size", 64).set("sources.load.channels", "c1")
                .netcatSource("lines", netcatPort, "c1 c2")
                .set("sources.lines.interceptors", "via")
                .set("sources.lines.interceptors.via.type", "static")
                .set("sources.lines.interceptors.via.key", "via").set("sources.lines.interceptors.via.value", "netcat")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", 10000)
                .set("channels.c1.transactionCapacity", 1000)
                .set("channels.c2.type", "memory").set("channels.c2.capacity", 1000)
                .set("sinks.k1.type", "null").set("sinks.k1.batchSize", 100).set("sinks.k1.channel", "c1")
                .set("sinks.k2.type", "null").set("sinks.k2.channel", "c2")
                .set("sinks.k3.type", "null").set("sinks.k3.channel", "c2")
                .set("sinkgroups", "g1").set("sinkgroups.g1.sinks", "k2 k3")
                .set("sinkgroups.g1.processor.type", "failover")
                .set("sinkgroups.g1.processor.priority.k2", 10).set("sinkgroups.g1.processor.priority.k3", 5)
                .writeTo(dir);
        agent = SluiceCli.start("observe-agent", dir, jvm(), List.of("agent", "-n", "a1", "-f", conf.toString(),
                "--no-reload-conf", "--data-dir", dir.resolve("data").toString(), "--metrics-port",
                String.valueOf(metricsPort)));
        Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
        Ports.awaitListening(agent, netcatPort, Duration.ofSeconds(60));
    }

    private List<String> jvm() {
        List<String> jvm = new ArrayList<>(Distribution.TEST_JVM_OPTIONS);
        jvm.add("-Dsluice.run.dir=" + runDir);
        return jvm;
    }

    @AfterAll
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    private SluiceCli.Result sluice(Duration timeout, String... args) throws IOException {
        try (ChildProcess p = SluiceCli.start("sluice-" + args[0], dir, jvm(), List.of(args))) {
            int code = p.awaitExit(timeout);
            return new SluiceCli.Result(code, p.stdout(), p.stderr());
        }
    }

    /** Sends netcat lines until {@code tap} exits (its limit reached), so the tap sees lines sent after it opened. */
    private void feedUntilExit(ChildProcess tap) throws IOException {
        try (NetcatClient nc = new NetcatClient(netcatPort, Duration.ofSeconds(10))) {
            await("the tap got its events").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        nc.send("hello-" + sent.incrementAndGet());
                        return !tap.isAlive();
                    });
        }
    }

    @Test
    void topWithoutATerminalPrintsOneSnapshotOfEveryComponent() throws Exception {
        SluiceCli.Result top = sluice(Duration.ofSeconds(60), "top", "-p", String.valueOf(metricsPort));
        assertThat(top.exitCode()).as(top.err()).isZero();
        List<String> lines = top.stdout();
        assertThat(lines.get(0)).startsWith("agent a1 on 127.0.0.1:" + metricsPort + " at ");
        assertThat(lines.get(1)).startsWith("KIND").contains("IN/s", "OUT/s", "FILL%", "ERRORS", "ROLLBACKS",
                "COMMIT_P99_MS", "E2E_P99_MS");
        List<String> names = lines.stream().skip(2).map(l -> l.split("\\s+")[0] + " " + l.split("\\s+")[1]).toList();
        assertThat(names).containsExactly("source lines", "source load", "channel c1", "channel c2", "sink k1",
                "sink k2", "sink k3");
        String load = lines.stream().filter(l -> l.startsWith("source   load")).findFirst().orElseThrow();
        double outPerSecond = Double.parseDouble(load.split("\\s+")[3]);
        assertThat(outPerSecond).as(load).isGreaterThan(100);
    }

    @Test
    void tapPrintsTheEventsOfASourceAfterItsInterceptors() throws Exception {
        try (ChildProcess tap = SluiceCli.start("sluice-tap", dir, jvm(), List.of("tap", "-p",
                String.valueOf(metricsPort), "lines", "--limit", "3"))) {
            feedUntilExit(tap);
            assertThat(tap.awaitExit(Duration.ofSeconds(10))).as(tap.tail()).isZero();
            List<String> events = tap.stdout().stream().filter(l -> l.startsWith("[")).toList();
            assertThat(events).hasSize(3).allMatch(l -> l.matches("\\[source lines] \\{via=netcat} hello-\\d+"), "lines");
        }
    }

    @Test
    void tapOfASinkAsJsonUnderLoad() throws Exception {
        SluiceCli.Result r = sluice(Duration.ofSeconds(60), "tap", "-p", String.valueOf(metricsPort), "k1", "--limit",
                "20", "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> events = r.stdout().stream().filter(l -> l.startsWith("{\"component\"")).toList();
        assertThat(events).hasSize(20).allSatisfy(l -> assertThat(l).contains("\"kind\":\"sink\"")
                .contains("\"bodySize\":64").contains("\"bodyBase64\":"));
        assertThat(r.stdout()).anyMatch(l -> l.matches("\\{\"dropped\":\\d+}"));
    }

    @Test
    void theTokenFileIsTheOwnersOnlyAndAWrongOrMissingTokenIsRefused() throws Exception {
        Path token = runDir.resolve("a1-" + metricsPort + ".token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(agent.output()).contains("tap token in " + token);

        Http.Response noToken = Http.get(metricsPort, "/tap?component=k1");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.body()).doesNotContain("k1");

        Path wrong = dir.resolve("wrong.token");
        Files.writeString(wrong, "not-the-token\n");
        SluiceCli.Result r = sluice(Duration.ofSeconds(60), "tap", "-p", String.valueOf(metricsPort), "k1",
                "--token-file", wrong.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("refused the token of " + wrong);
    }

    @Test
    void anUnknownComponentIsNamedWithTheKnownOnes() throws Exception {
        SluiceCli.Result r = sluice(Duration.ofSeconds(60), "tap", "-p", String.valueOf(metricsPort), "lnes");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no component 'lnes'").contains("did you mean 'lines'")
                .contains("sources load lines").contains("sinks k1 k2 k3");
    }

    @Test
    void theWebConsoleShowsTheGraphLiveRatesAndATap() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; bin/test installs it)")
                .isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (apt-get install chromium chromium-driver)")
                .isExecutable();
        Matcher m = Pattern.compile("web console: (http://127\\.0\\.0\\.1:\\d+/#token=\\S+)").matcher(agent.output());
        assertThat(m.find()).as("the agent logs the console's URL").isTrue();
        String url = m.group(1);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1300");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(url);
            await("the graph").atMost(Duration.ofSeconds(30)).until(() ->
                    browser.findElements(By.cssSelector("g.node")).size() == 7);
            List<String> nodes = browser.findElements(By.cssSelector("g.node")).stream()
                    .map(n -> n.getAttribute("data-kind") + " " + n.getAttribute("data-name")).toList();
            assertThat(nodes).containsExactlyInAnyOrder("source load", "source lines", "channel c1", "channel c2",
                    "sink k1", "sink k2", "sink k3");
            assertThat(browser.findElements(By.cssSelector("path.edge"))).hasSize(6);
            assertThat(browser.findElement(By.cssSelector("[data-group='g1'] text")).getText())
                    .isEqualTo("group g1 (failover)");
            assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token");

            // Rates move: the stress source's rate is above zero and changes from one second to the next.
            WebElement rate = browser.findElement(By.id("rate-source-load"));
            await("a rate").atMost(Duration.ofSeconds(30)).until(() -> outRate(rate.getText()) > 100);
            String first = rate.getText();
            await("the rate moves").atMost(Duration.ofSeconds(30)).until(() -> !rate.getText().equals(first)
                    && outRate(rate.getText()) > 0);
            // The charts are redrawn every second: count their points in the page, not through stale elements.
            await("the chart draws a few seconds").atMost(Duration.ofSeconds(60)).until(() ->
                    ((Number) ((JavascriptExecutor) browser).executeScript("return Math.max(0, ...Array.from("
                            + "document.querySelectorAll('#rate-chart polyline'), p => p.points.numberOfItems));"))
                            .intValue() >= 5);

            // The tap panel shows the events of the netcat source.
            new Select(browser.findElement(By.id("tap-component"))).selectByValue("sources.lines");
            WebElement limit = browser.findElement(By.id("tap-limit"));
            limit.clear();
            limit.sendKeys("5");
            browser.findElement(By.id("tap-start")).click();
            try (NetcatClient nc = new NetcatClient(netcatPort, Duration.ofSeconds(10))) {
                await("tapped events in the page").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            nc.send("hello-" + sent.incrementAndGet());
                            return browser.findElements(By.cssSelector("#tap-output li")).size() >= 5;
                        });
            }
            await("the tap ends at its limit").atMost(Duration.ofSeconds(30)).until(() ->
                    browser.findElement(By.id("tap-status")).getText().startsWith("done: 5 event(s)"));
            assertThat(browser.findElements(By.cssSelector("#tap-output li")))
                    .allSatisfy(li -> assertThat(li.getText()).matches("\\{\"via\":\"netcat\"} hello-\\d+"));
            Path shot = Path.of("target", "screenshots", "console.png");
            Files.createDirectories(shot.getParent());
            Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(shot)).isGreaterThan(10_000);
        } finally {
            browser.quit();
        }
    }

    /** The "out" figure of a node's rate line, {@code in 1.9k /s · out 1.9k /s}; -1 when none yet. */
    private static double outRate(String text) {
        Matcher m = Pattern.compile("out ([0-9.]+)(k|M)? /s").matcher(text);
        if (!m.find()) {
            return -1;
        }
        double v = Double.parseDouble(m.group(1));
        return "k".equals(m.group(2)) ? v * 1e3 : "M".equals(m.group(2)) ? v * 1e6 : v;
    }

}
