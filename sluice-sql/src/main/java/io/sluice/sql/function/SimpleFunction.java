package io.sluice.sql.function;

import io.sluice.sql.SqlType;
import io.sluice.sql.expr.ArithmeticErrors;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ScalarFunction} made of a type rule and an implementation. When {@code strict}, a NULL
 * argument gives a NULL result without calling the implementation. Immutable and thread-safe.
 */
final class SimpleFunction implements ScalarFunction {
    private final String name;
    private final String signature;
    private final Function<List<SqlType>, SqlType> typer;
    private final Function<List<SqlType>, List<SqlType>> argTyper;
    private final Function<Object[], Object> impl;
    private final boolean strict;
    private final boolean deterministic;

    SimpleFunction(String name, String signature, Function<List<SqlType>, SqlType> typer,
            Function<List<SqlType>, List<SqlType>> argTyper, Function<Object[], Object> impl, boolean strict,
            boolean deterministic) {
        this.name = requireNonNull(name, "name is null");
        this.signature = signature;
        this.typer = typer;
        this.argTyper = argTyper;
        this.impl = impl;
        this.strict = strict;
        this.deterministic = deterministic;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SqlType resultType(List<SqlType> argTypes) {
        SqlType t = typer.apply(argTypes);
        if (t == null) {
            throw new IllegalArgumentException("function " + signature() + " cannot take " + describe(argTypes));
        }
        if (strict) {
            boolean anyNullable = argTypes.stream().anyMatch(SqlType::nullable);
            t = t.withNullable(t.nullable() || anyNullable);
        }
        return t;
    }

    @Override
    public List<SqlType> argumentTypes(List<SqlType> argTypes) {
        return argTyper == null ? argTypes : argTyper.apply(argTypes);
    }

    @Override
    public Object call(Object[] args) {
        if (strict) {
            for (Object a : args) {
                if (a == null) {
                    return null;
                }
            }
        }
        try {
            return impl.apply(args);
        } catch (ArithmeticException e) {
            // an overflow (SQUARE, ABS of the smallest integer): NULL, counted by the flow
            return ArithmeticErrors.report(e.getMessage() == null ? "arithmetic error" : e.getMessage(),
                    name().toUpperCase(Locale.ROOT) + "()");
        } catch (RuntimeException e) {
            return null; // a function that cannot compute its result gives NULL, like a failed CAST
        }
    }

    @Override
    public boolean deterministic() {
        return deterministic;
    }

    @Override
    public String signature() {
        return signature;
    }

    static String describe(List<SqlType> types) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < types.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(types.get(i).name());
        }
        return sb.append(')').toString();
    }
}
