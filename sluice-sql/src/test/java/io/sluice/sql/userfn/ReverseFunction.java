package io.sluice.sql.userfn;

import io.sluice.sql.SqlType;
import io.sluice.sql.function.ScalarFunction;

import java.util.List;

/** An example user scalar function: REVERSE(STRING) -> STRING. Found through ServiceLoader. */
public final class ReverseFunction implements ScalarFunction {
    @Override
    public String name() {
        return "reverse";
    }

    @Override
    public SqlType resultType(List<SqlType> argTypes) {
        if (argTypes.size() != 1 || argTypes.get(0).kind() != SqlType.Kind.STRING) {
            throw new IllegalArgumentException("REVERSE takes one STRING");
        }
        return SqlType.STRING;
    }

    @Override
    public Object call(Object[] args) {
        return args[0] == null ? null : new StringBuilder((String) args[0]).reverse().toString();
    }

    @Override
    public String signature() {
        return "REVERSE(STRING) -> STRING";
    }
}
