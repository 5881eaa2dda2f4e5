package io.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one scenario variant: the events/s of every Sluice run and every peer run, and
 * their medians. Immutable.
 *
 * @param scenario the name printed after {@code scenario=}, e.g. {@code memory-pipeline}
 * @param peer     the peer's short name printed as {@code <peer>_eps}, e.g. {@code flume}
 * @param sluice   events/s of each Sluice run, in run order
 * @param peerRuns events/s of each peer run, in run order
 */
public record Comparison(String scenario, String peer, List<Double> sluice, List<Double> peerRuns) {

    public Comparison {
        requireNonNull(scenario, "scenario is null");
        requireNonNull(peer, "peer is null");
        sluice = List.copyOf(requireNonNull(sluice, "sluice is null"));
        peerRuns = List.copyOf(requireNonNull(peerRuns, "peerRuns is null"));
        if (sluice.isEmpty() || peerRuns.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one run per side, got sluice="
                    + sluice.size() + " " + peer + "=" + peerRuns.size());
        }
    }

    public double sluiceMedian() {
        return median(sluice);
    }

    public double peerMedian() {
        return median(peerRuns);
    }

    /** Sluice's median divided by the peer's; infinite when the peer moved nothing. */
    public double ratio() {
        double p = peerMedian();
        return p == 0 ? Double.POSITIVE_INFINITY : sluiceMedian() / p;
    }

    /** {@code scenario=memory-pipeline sluice_eps=15000000 flume_eps=9000000 ratio=1.67}. */
    public String finalLine() {
        return String.format(Locale.ROOT, "scenario=%s sluice_eps=%d %s_eps=%d ratio=%.2f", scenario,
                Math.round(sluiceMedian()), peer, Math.round(peerMedian()), ratio());
    }

    /** The median of {@code values} (mean of the two middle values for an even count). */
    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
