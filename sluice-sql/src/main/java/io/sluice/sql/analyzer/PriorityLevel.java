package io.sluice.sql.analyzer;

import io.sluice.sql.SqlType;
import io.sluice.sql.function.ScalarFunction;

import java.util.List;
import java.util.Locale;

/**
 * PRIORITY_LEVEL(): the numeric level of the {@code priority} header (FATAL 0, ERROR 1, WARN 2,
 * INFO 3, DEBUG 4, TRACE 5; a number is taken as is; anything else is NULL). Thread-safe.
 */
final class PriorityLevel implements ScalarFunction {
    static final PriorityLevel INSTANCE = new PriorityLevel();

    private PriorityLevel() {
    }

    @Override
    public String name() {
        return "priority_level";
    }

    @Override
    public SqlType resultType(List<SqlType> argTypes) {
        return SqlType.INT;
    }

    @Override
    public Object call(Object[] args) {
        if (args[0] == null) {
            return null;
        }
        String p = args[0].toString().trim().toUpperCase(Locale.ROOT);
        switch (p) {
            case "FATAL": return 0;
            case "ERROR": return 1;
            case "WARN": case "WARNING": return 2;
            case "INFO": return 3;
            case "DEBUG": return 4;
            case "TRACE": return 5;
            default:
                try {
                    return Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }
}
