package io.sluice.sql.userfn;

import io.sluice.sql.SqlType;
import io.sluice.sql.function.AggregateFunction;

import java.util.List;

/** An example user aggregate: GEOMEAN(number) -> DOUBLE, the geometric mean of positive values. */
public final class GeoMeanFunction implements AggregateFunction {
    @Override
    public String name() {
        return "geomean";
    }

    @Override
    public SqlType resultType(List<SqlType> argTypes) {
        if (argTypes.size() != 1 || !argTypes.get(0).isNumeric()) {
            throw new IllegalArgumentException("GEOMEAN takes one number");
        }
        return SqlType.DOUBLE;
    }

    @Override
    public Accumulator newAccumulator() {
        return new Accumulator() {
            private double logSum;
            private long n;

            @Override
            public void add(Object[] args) {
                if (args[0] != null && ((Number) args[0]).doubleValue() > 0) {
                    logSum += Math.log(((Number) args[0]).doubleValue());
                    n++;
                }
            }

            @Override
            public void merge(Accumulator other) {
                throw new UnsupportedOperationException("not reached by tumbling windows");
            }

            @Override
            public Object result() {
                return n == 0 ? null : Math.exp(logSum / n);
            }
        };
    }
}
