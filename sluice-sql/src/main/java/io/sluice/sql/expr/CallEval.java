package io.sluice.sql.expr;

import io.sluice.sql.SqlType;
import io.sluice.sql.function.ScalarFunction;

import java.util.List;
import java.util.Locale;

/** A scalar function call: evaluates the arguments, then calls the function. */
public final class CallEval implements Evaluator {
    private final ScalarFunction function;
    private final Evaluator[] args;
    private final SqlType type;

    public CallEval(ScalarFunction function, List<Evaluator> args, SqlType type) {
        this.function = function;
        this.args = args.toArray(new Evaluator[0]);
        this.type = type;
    }

    @Override
    public Object eval(Object[] row, long time) {
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i].eval(row, time);
        }
        return function.call(values);
    }

    @Override
    public SqlType type() {
        return type;
    }

    @Override
    public boolean isConstant() {
        if (!function.deterministic()) {
            return false;
        }
        for (Evaluator a : args) {
            if (!a.isConstant()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(function.name().toUpperCase(Locale.ROOT)).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i > 0 ? ", " : "").append(args[i]);
        }
        return sb.append(')').toString();
    }
}
