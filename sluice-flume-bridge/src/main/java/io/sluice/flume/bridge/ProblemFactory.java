package io.sluice.flume.bridge;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;

import static java.util.Objects.requireNonNull;

/**
 * A factory for a type name that was recognised but cannot be built; {@code create} reports the
 * reason as a configuration problem on the component's {@code type} key. Immutable.
 */
public final class ProblemFactory implements ComponentFactory<Object> {
    private final ComponentKind kind;
    private final String type;
    private final String rule;
    private final String fix;
    private final ComponentDescriptor descriptor;

    public ProblemFactory(ComponentKind kind, String type, String rule, String fix) {
        this.kind = requireNonNull(kind, "kind is null");
        this.type = requireNonNull(type, "type is null");
        this.rule = requireNonNull(rule, "rule is null");
        this.fix = requireNonNull(fix, "fix is null");
        this.descriptor = ComponentDescriptor.builder(kind, type)
                .description("A type that was recognised but cannot be built: " + rule)
                .build();
    }

    @Override
    public ComponentDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Object create(ComponentContext context) {
        if (kind == ComponentKind.EVENT_SERIALIZER) {
            context.problem("", type, rule, fix); // a serializer's type is the sink's serializer key itself
        } else {
            context.problem(rule, fix);
        }
        return null;
    }

    public String rule() {
        return rule;
    }
}
