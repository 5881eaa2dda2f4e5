package io.sluice.sql.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every case of {@code src/test/resources/cases/*.json} and fails, listing every failing case
 * with a diff, if any case fails. A case marked {@code knownFailure} is reported loudly and counted
 * but does not fail the run. Run one file or name with {@code -Dcases=substring}.
 */
class QueryValidationTest {
    private static final Logger LOG = LoggerFactory.getLogger(QueryValidationTest.class);

    @Test
    void everyCaseGivesItsExpectedRowsOrError(@TempDir Path tmp) throws Exception {
        List<QueryCase> cases = CaseLoader.loadAll();
        String filter = System.getProperty("cases", "").toLowerCase(Locale.ROOT);
        List<String> failures = new ArrayList<>();
        List<String> known = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        int ran = 0;
        int n = 0;
        for (QueryCase c : cases) {
            n++;
            if (!filter.isEmpty() && !c.id().toLowerCase(Locale.ROOT).contains(filter)) {
                continue;
            }
            ran++;
            Path dir = Files.createDirectory(tmp.resolve("case-" + n));
            List<String> problems;
            try {
                problems = CaseRunner.run(c, dir);
            } catch (Exception | AssertionError e) {
                problems = List.of("the runner failed: " + e);
                LOG.warn("case {} threw", c.id(), e);
            }
            String report = c.id() + "\n  " + String.join("\n  ", problems);
            if (c.knownFailure.isPresent()) {
                if (problems.isEmpty()) {
                    fixed.add(c.id() + " (marked knownFailure: " + c.knownFailure.get() + ")");
                } else {
                    known.add("KNOWN FAILURE (" + c.knownFailure.get() + "): " + report);
                }
            } else if (!problems.isEmpty()) {
                failures.add(report);
            }
        }
        String summary = String.format("rtsql cases: %d run of %d, %d passed, %d failed, %d known failures,"
                + " %d known failures now passing", ran, cases.size(), ran - failures.size() - known.size(),
                failures.size(), known.size(), fixed.size());
        System.out.println(summary);
        LOG.info(summary);
        known.forEach(k -> LOG.warn(k));
        fixed.forEach(f -> LOG.warn("NOW PASSING, remove knownFailure: {}", f));
        failures.forEach(f -> LOG.error("FAILED: {}", f));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        assertThat(failures).as(summary + "\n" + String.join("\n\n", failures)).isEmpty();
    }
}
