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
}
