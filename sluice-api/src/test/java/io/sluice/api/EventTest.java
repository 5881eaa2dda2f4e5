package io.sluice.api;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTest {
    private final Event original = Event.builder().header("a", "1").body("hello").build();

    @Test
    void aOneEntryMapOfIsKeptWithoutACopy() {
        Map<String, String> tag = Map.of("dc", "eu-1");
        Event tagged = original.withHeaders(tag);
        assertThat(tagged.headers()).isSameAs(tag);
        assertThat(Event.wrap(tag, new byte[] {1}).headers()).isSameAs(tag);
        assertThat(tagged.bodyAsString()).isEqualTo("hello");
    }

    @Test
    void aMapOfOrCopyOfOfAnySizeIsSharedByTheEventsWrappingIt() {
        Map<String, String> shared = Map.copyOf(new LinkedHashMap<>(Map.of("dc", "eu-1", "host", "web-7", "app",
                "shop")));
        Event first = Event.wrap(shared, new byte[] {1});
        Event second = Event.wrap(shared, new byte[] {2});
        assertThat(first.headers()).isSameAs(shared).isSameAs(second.headers());
        assertThat(original.withHeaders(Map.of("a", "1", "b", "2")).headers()).containsOnly(Map.entry("a", "1"),
                Map.entry("b", "2"));
        assertThat(first.header(null)).isNull();
        assertThatThrownBy(() -> first.headers().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMutableMapIsCopiedSoLaterChangesDoNotReachTheEvent() {
        Map<String, String> one = new HashMap<>(Map.of("dc", "eu-1"));
        Event fromOne = original.withHeaders(one);
        one.put("dc", "us-2");
        assertThat(fromOne.headers()).containsExactly(Map.entry("dc", "eu-1"));

        Map<String, String> two = new LinkedHashMap<>();
        two.put("b", "2");
        two.put("a", "1");
        Event fromTwo = original.withHeaders(two);
        two.clear();
        assertThat(fromTwo.headers()).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
        assertThatThrownBy(() -> fromTwo.headers().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullHeaderNamesAndValuesAreRefused() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> original.withHeaders(nullValue)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'k'");
    }
}
