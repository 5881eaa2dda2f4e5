package io.sluice.core.config;

import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.iotest.TestContexts;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComponentLabelTest {

    @Test
    void everyKindOfComponentIsLabelledByItsKeyPrefixWithoutTheDot() {
        for (ComponentKind kind : new ComponentKind[] {ComponentKind.SOURCE, ComponentKind.CHANNEL, ComponentKind.SINK}) {
            ComponentContext context = TestContexts.of(kind, "x1", Map.of()).context();
            assertThat(context.keyPrefix()).endsWith(".x1.");
            assertThat(context.label()).isEqualTo(context.keyPrefix().substring(0, context.keyPrefix().length() - 1));
        }
    }
}
