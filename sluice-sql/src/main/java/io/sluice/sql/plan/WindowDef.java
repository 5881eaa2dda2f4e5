package io.sluice.sql.plan;

/**
 * A resolved aggregation window; lengths in milliseconds. TUMBLING has {@code advance == size};
 * a sliding RANGE window arrives here already turned into HOPPING. Immutable.
 */
public record WindowDef(Kind kind, long size, long advance) {
    /** Window kinds an aggregate can use. */
    public enum Kind { TUMBLING, HOPPING, SESSION }

    public static WindowDef tumbling(long size) {
        return new WindowDef(Kind.TUMBLING, size, size);
    }

    public static WindowDef hopping(long size, long advance) {
        return new WindowDef(Kind.HOPPING, size, advance);
    }

    public static WindowDef session(long gap) {
        return new WindowDef(Kind.SESSION, gap, gap);
    }

    @Override
    public String toString() {
        switch (kind) {
            case TUMBLING: return "TUMBLING " + size + " ms";
            case HOPPING: return "HOPPING " + size + " ms ADVANCE " + advance + " ms";
            default: return "SESSION gap " + size + " ms";
        }
    }
}
