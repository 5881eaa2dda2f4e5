package io.sluice.avro;

import io.sluice.api.ComponentKind;
import io.sluice.core.config.SingleComponentConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings that would not do what their author meant are warned about by their own names. */
class AvroSourceWarningsTest {
    @Test
    void ipFilterRulesWithoutIpFilterAreAWarningAboutTheRulesNotAnUnknownKey() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1",
                "port", "0", "ipFilter", "false", "ipFilterRules", "deny:ip:*");
        assertThat(new AvroSourceFactory().create(ctx.context())).isNotNull();
        assertThat(ctx.problems()).isEmpty();
        assertThat(ctx.warnings()).anySatisfy(w -> assertThat(w).contains("ipFilterRules")
                .contains("ipFilter is false"));
        assertThat(ctx.warnings()).noneSatisfy(w -> assertThat(w).contains("did you mean"));
    }

    @Test
    void aLimitOutOfRangeIsAProblemNamingItsKey() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1",
                "port", "0", "maxConnections", "0");
        new AvroSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).extracting(p -> p.key()).containsExactly("a1.sources.r1.maxConnections");
    }
}
