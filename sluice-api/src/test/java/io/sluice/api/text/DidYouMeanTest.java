package io.sluice.api.text;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DidYouMeanTest {

    @Test
    void findsNearNamesOnly() {
        assertThat(DidYouMean.nearest("capacty", List.of("capacity", "transactionCapacity"))).contains("capacity");
        assertThat(DidYouMean.nearest("memroy", List.of("memory", "file", "jdbc"))).contains("memory");
        assertThat(DidYouMean.nearest("zzzzzz", List.of("memory", "file"))).isEmpty();
        assertThat(DidYouMean.nearest("x", List.of())).isEmpty();
    }

    @Test
    void comparesWithoutCaseAndAnswersTheCandidateAsSpelt() {
        assertThat(DidYouMean.suggest("PGAE", List.of("page", "user"))).isEqualTo(" (did you mean 'page'?)");
        assertThat(DidYouMean.suggest("nothing-like-it", List.of("page", "user"))).isEmpty();
    }

    @Test
    void anAdjacentSwapIsOneEdit() {
        assertThat(DidYouMean.distance("pgae", "page")).isEqualTo(1);
        assertThat(DidYouMean.distance("capacity", "capacity")).isZero();
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        // a swap inside a longer name: one edit, so suggested even for a short name
        assertThat(DidYouMean.nearest("tpye", List.of("type", "channels"))).contains("type");
    }
}
