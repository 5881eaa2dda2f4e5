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
    void adoptKeepsTheCallersMapInItsOrderReadOnlyAndStillRefusesNulls() {
        Map<String, String> built = new LinkedHashMap<>();
        built.put("timestamp", "1");
        built.put("topic", "t");
        built.put("offset", "7");
        Event adopted = Event.adopt(built, new byte[] {1, 2});
        assertThat(adopted.headers()).containsExactly(Map.entry("timestamp", "1"), Map.entry("topic", "t"),
                Map.entry("offset", "7"));
        assertThat(adopted.header("topic")).isEqualTo("t");
        assertThat(adopted.header(null)).isNull();
        assertThatThrownBy(() -> adopted.headers().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Event.adopt(new HashMap<>(), new byte[0]).headers()).isEmpty();
        assertThat(Event.adopt(new HashMap<>(Map.of("a", "1")), new byte[0]).headers()).containsExactly(
                Map.entry("a", "1"));
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("a", "1");
        withNull.put("b", null);
        assertThatThrownBy(() -> Event.adopt(withNull, new byte[0])).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("header 'b' has a null value");
    }

    @Test
    void nullHeaderNamesAndValuesAreRefused() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> original.withHeaders(nullValue)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void withHeaderAddsOneHeaderLastOrReplacesItInPlaceAndSharesTheBody() {
        Event bare = Event.ofString("body");
        Event one = bare.withHeader("a", "1");
        assertThat(one.headers()).containsExactly(Map.entry("a", "1"));
        assertThat(one.bodyAsString()).isEqualTo("body");
        assertThat(bare.headers()).isEmpty();
        Event three = one.withHeader("b", "2").withHeader("c", "3");
        assertThat(three.headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
        Event replaced = three.withHeader("a", "9");
        assertThat(replaced.headers()).containsExactly(Map.entry("a", "9"), Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(three.header("a")).isEqualTo("1");
        assertThatThrownBy(() -> replaced.headers().put("d", "4")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> one.withHeader("x", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> one.withHeader(null, "v")).isInstanceOf(NullPointerException.class);
    }
}
