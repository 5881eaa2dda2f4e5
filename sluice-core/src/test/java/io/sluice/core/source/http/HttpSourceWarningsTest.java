package io.sluice.core.source.http;

import io.sluice.api.ComponentKind;
import io.sluice.core.config.SingleComponentConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings that would not do what their author meant are warned about by their own names. */
class HttpSourceWarningsTest {
    @Test
    void aMissingBindListensEverywhereAndSaysSoNamingTheKey() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "port", "8080");
        assertThat(new HttpSourceFactory().create(ctx.context())).isNotNull();
        assertThat(ctx.problems()).isEmpty();
        assertThat(ctx.warnings()).anySatisfy(w -> assertThat(w).contains("a1.sources.r1.bind").contains("0.0.0.0"));

        SingleComponentConfig bound = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "port", "8080",
                "bind", "127.0.0.1");
        new HttpSourceFactory().create(bound.context());
        assertThat(bound.warnings()).noneSatisfy(w -> assertThat(w).contains("0.0.0.0"));
    }

    @Test
    void tlsKeysWhileSslIsOffAreAWarning() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "port", "8080",
                "bind", "127.0.0.1", "keystore", "/etc/sluice/server.jks", "keystore-password", "secret");
        assertThat(new HttpSourceFactory().create(ctx.context())).isNotNull();
        assertThat(ctx.warnings()).anySatisfy(w -> assertThat(w).contains("a1.sources.r1.keystore")
                .contains("ssl is false"));
        assertThat(ctx.warnings()).anySatisfy(w -> assertThat(w).contains("a1.sources.r1.keystore-password"));
    }
}
