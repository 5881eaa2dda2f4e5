package io.sluice.sql.expr;

/**
 * Where evaluators report an arithmetic error (an integer overflow, a division by zero): the value
 * becomes NULL, and the flow being evaluated counts the error and logs it at a rate limit.
 *
 * <p>A flow installs its sink with {@link #enter} on the thread that runs its operators (always
 * under the flow's lock) and removes it with {@link #exit}; evaluation outside a flow (a test
 * evaluating an expression directly) reports to nobody. Thread-safe: the current sink is
 * per thread.
 */
public final class ArithmeticErrors {
    /** Receives the arithmetic errors of one flow. */
    public interface Sink {
        /**
         * Counts one error; {@code what} says which one ({@code "INT overflow"}) and {@code where}
         * the expression that failed.
         */
        void arithmeticError(String what, Object where);
    }

    private static final ThreadLocal<Sink> CURRENT = new ThreadLocal<>();

    private ArithmeticErrors() {
    }

    /** Makes {@code sink} the current thread's sink; returns the previous one, for {@link #exit}. */
    public static Sink enter(Sink sink) {
        Sink previous = CURRENT.get();
        CURRENT.set(sink);
        return previous;
    }

    /** Restores the sink that {@link #enter} returned. */
    public static void exit(Sink previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** Reports an error and returns NULL, the value of the failed expression. */
    public static Object report(String what, Object where) {
        Sink s = CURRENT.get();
        if (s != null) {
            s.arithmeticError(what, where);
        }
        return null;
    }
}
