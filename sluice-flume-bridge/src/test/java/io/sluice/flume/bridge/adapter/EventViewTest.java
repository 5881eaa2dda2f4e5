package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flume.ChannelException;
import org.apache.flume.event.SimpleEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Apache Flume's Event and Sluice's Event share their simple name.
@SuppressWarnings("checkstyle:InlineFullyQualifiedName")
class EventViewTest {
    private final Event original = Event.builder().header("a", "1").header("b", "2").body("hello").build();

    @Test
    void anEventThePluginOnlyReadGoesOnAsTheSameInstance() {
        EventView v = new EventView(original);
        assertThat(v.getHeaders()).containsEntry("a", "1").hasSize(2);
        assertThat(new String(v.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
        v.getHeaders().remove("missing");
        assertThat(v.toSluice()).isSameAs(original);
    }

    @Test
    void headerChangesAreCopiedOnWriteAndKeepTheBody() {
        EventView v = new EventView(original);
        v.getHeaders().put("c", "3");
        v.getHeaders().remove("a");
        Event changed = v.toSluice();
        assertThat(changed.headers()).containsExactly(Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(changed.bodyAsString()).isEqualTo("hello");
        assertThat(original.headers()).containsOnlyKeys("a", "b"); // the original is untouched
    }

    @Test
    void bodyChangesInPlaceOrBySetBodyAreSeen() {
        EventView inPlace = new EventView(original);
        inPlace.getBody()[0] = 'j';
        assertThat(inPlace.toSluice().bodyAsString()).isEqualTo("jello");
        assertThat(original.bodyAsString()).isEqualTo("hello");

        EventView replaced = new EventView(original);
        replaced.setBody("bye".getBytes(StandardCharsets.UTF_8));
        replaced.setHeaders(new HashMap<>(Map.of("x", "y")));
        Event e = replaced.toSluice();
        assertThat(e.bodyAsString()).isEqualTo("bye");
        assertThat(e.headers()).containsExactly(Map.entry("x", "y"));
    }

    @Test
    void changesThroughIteratorsAndEntriesAreCopiedOnWriteToo() {
        EventView removed = new EventView(original);
        removed.getHeaders().keySet().removeIf(k -> k.equals("a"));
        assertThat(removed.toSluice().headers()).containsExactly(Map.entry("b", "2"));

        EventView set = new EventView(original);
        for (Map.Entry<String, String> e : set.getHeaders().entrySet()) {
            if (e.getKey().equals("b")) {
                e.setValue("20");
            }
        }
        assertThat(set.getHeaders()).containsEntry("b", "20");
        assertThat(set.toSluice().headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "20"));
        assertThat(original.headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));

        EventView onlyRead = new EventView(original);
        onlyRead.getHeaders().entrySet().forEach(e -> e.getValue());
        assertThat(onlyRead.toSluice()).isSameAs(original);
    }

    @Test
    void aNullHeaderValueFromAPluginIsAChannelErrorNamingTheHeader() {
        Map<String, String> h = new HashMap<>();
        h.put("k", null);
        org.apache.flume.Event built = new SimpleEvent();
        built.setHeaders(h);
        assertThatThrownBy(() -> Events.toSluice(built)).isInstanceOf(ChannelException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void aSinglePutOverNoHeadersIsSeenEverywhereAndBecomesTheEventsOnlyHeader() {
        Event bare = Event.ofString("x");
        EventView v = new EventView(bare);
        Map<String, String> h = v.getHeaders();
        assertThat(h.put("dc", "eu-1")).isNull();
        assertThat(h).hasSize(1).containsEntry("dc", "eu-1").containsKey("dc").doesNotContainKey("other");
        assertThat(h.get(null)).isNull();
        assertThat(h.put("dc", "eu-2")).isEqualTo("eu-1");
        assertThat(h.entrySet()).containsExactly(Map.entry("dc", "eu-2"));
        Event tagged = v.toSluice();
        assertThat(tagged.headers()).containsExactly(Map.entry("dc", "eu-2"));
        assertThat(bare.headers()).isEmpty();
        h.put("dc", "changed-after"); // a plugin that keeps the event and changes it later
        h.put("more", "1");
        assertThat(tagged.headers()).containsExactly(Map.entry("dc", "eu-2"));
        assertThat(v.toSluice().headers()).containsExactly(Map.entry("dc", "changed-after"), Map.entry("more", "1"));
    }

    @Test
    void aSinglePutOverHeadersReplacesInPlaceOrAppends() {
        EventView replaced = new EventView(original);
        assertThat(replaced.getHeaders().put("a", "10")).isEqualTo("1");
        assertThat(replaced.getHeaders()).hasSize(2);
        assertThat(replaced.toSluice().headers()).containsExactly(Map.entry("a", "10"), Map.entry("b", "2"));

        EventView appended = new EventView(original);
        assertThat(appended.getHeaders().put("c", "3")).isNull();
        assertThat(appended.getHeaders()).hasSize(3);
        assertThat(appended.getHeaders().keySet()).containsExactly("a", "b", "c");
        assertThat(appended.toSluice().headers())
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(original.headers()).containsOnlyKeys("a", "b");
    }

    @Test
    void changesAfterASinglePutCombineWithIt() {
        EventView v = new EventView(original);
        v.getHeaders().put("c", "3");
        assertThat(v.getHeaders().remove("c")).isEqualTo("3");
        assertThat(v.getHeaders()).hasSize(2).doesNotContainKey("c");
        v.getHeaders().put("d", "4");
        v.getHeaders().remove("a");
        assertThat(v.toSluice().headers()).containsExactly(Map.entry("b", "2"), Map.entry("d", "4"));

        EventView cleared = new EventView(Event.ofString("y"));
        cleared.getHeaders().put("k", "v");
        cleared.getHeaders().clear();
        assertThat(cleared.getHeaders()).isEmpty();
        assertThat(cleared.toSluice().headers()).isEmpty();
    }

    @Test
    void aSingleNullPutIsStillAChannelErrorNamingTheHeader() {
        EventView v = new EventView(Event.ofString("z"));
        v.getHeaders().put("k", null);
        assertThatThrownBy(v::toSluice).isInstanceOf(ChannelException.class).hasMessageContaining("'k'");
    }
}
