package io.sluice.core.sink.logger;

import io.sluice.api.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoggerSinkTest {
    @Test
    void formatShowsHeadersAndAtMostMaxBytesOfTheBody() {
        Event e = Event.builder().header("host", "h1").body("hello world, this is long").build();
        assertThat(LoggerSink.format(e, 5)).isEqualTo("{ headers:{host=h1} body: 68 65 6C 6C 6F  hello ... (25 bytes) }");
        assertThat(LoggerSink.format(Event.ofString("a\n"), 16)).isEqualTo("{ headers:{} body: 61 0A  a. }");
    }
}
