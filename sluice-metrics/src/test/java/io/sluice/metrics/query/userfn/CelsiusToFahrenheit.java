package io.sluice.metrics.query.userfn;

import io.sluice.sql.SqlType;
import io.sluice.sql.function.ScalarFunction;
import java.util.List;

/**
 * A user function written against rtsql's interface, as a user would: CELSIUS_TO_F(DOUBLE) ->
 * DOUBLE, NULL below absolute zero. Listed in the test class path's service file, so both rtsql and
 * the metrics query language's {@code map} find it.
 */
public final class CelsiusToFahrenheit implements ScalarFunction {
    @Override
    public String name() {
        return "celsius_to_f";
    }

    @Override
    public SqlType resultType(List<SqlType> argTypes) {
        if (argTypes.size() != 1 || !argTypes.get(0).isNumeric()) {
            throw new IllegalArgumentException("CELSIUS_TO_F takes one number");
        }
        return SqlType.DOUBLE;
    }

    @Override
    public List<SqlType> argumentTypes(List<SqlType> argTypes) {
        return List.of(SqlType.DOUBLE);
    }

    @Override
    public Object call(Object[] args) {
        if (args[0] == null || (Double) args[0] < -273.15) {
            return null;
        }
        return (Double) args[0] * 9 / 5 + 32;
    }

    @Override
    public String signature() {
        return "CELSIUS_TO_F(DOUBLE) -> DOUBLE";
    }
}
