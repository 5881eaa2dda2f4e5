package io.sluice.sql.pool;

import io.sluice.sql.SqlType;
import io.sluice.sql.function.ScalarFunction;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Scalar functions that let a test see inside a flow's operator: {@code MEET(x)} counts down
 * {@link #meet} and waits (at most 10 s) until every caller arrived, returning whether they did;
 * {@code HOLD(x)} waits until {@link #gate} opens. Both record the calling thread. Registered only
 * through the class loader {@code FlowPoolTest} makes, so other tests never see them.
 */
public final class PoolProbeFunctions {
    public static volatile CountDownLatch meet = new CountDownLatch(0);
    public static volatile CountDownLatch gate = new CountDownLatch(0);
    public static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    private PoolProbeFunctions() {
    }

    /** MEET(INT) -> BOOLEAN. */
    public static final class Meet implements ScalarFunction {
        @Override
        public String name() {
            return "meet";
        }

        @Override
        public SqlType resultType(List<SqlType> argTypes) {
            return SqlType.BOOLEAN;
        }

        @Override
        public Object call(Object[] args) {
            THREADS.add(Thread.currentThread().getName());
            CountDownLatch m = meet;
            m.countDown();
            try {
                return m.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean deterministic() {
            return false;
        }
    }

    /** HOLD(INT) -> BOOLEAN: true once the gate is open. */
    public static final class Hold implements ScalarFunction {
        @Override
        public String name() {
            return "hold";
        }

        @Override
        public SqlType resultType(List<SqlType> argTypes) {
            return SqlType.BOOLEAN;
        }

        @Override
        public Object call(Object[] args) {
            THREADS.add(Thread.currentThread().getName());
            try {
                return gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean deterministic() {
            return false;
        }
    }
}
