package io.sluice.core.agent;

import static java.util.Objects.requireNonNull;

/** The configuration has at least one problem; the agent was not started. The report lists them all. */
public final class InvalidConfigurationException extends Exception {
    private final transient ValidationReport report;

    public InvalidConfigurationException(ValidationReport report) {
        super(requireNonNull(report, "report is null").render());
        this.report = report;
    }

    public ValidationReport report() {
        return report;
    }
}
