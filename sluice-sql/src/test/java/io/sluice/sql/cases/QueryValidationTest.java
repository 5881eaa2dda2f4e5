package io.sluice.sql.cases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case of {@code src/test/resources/cases/*.json} as its own dynamic test, grouped by
 * file, so a report names each failing case with its diff. A case marked {@code knownFailure}
 * must still fail (it is reported as skipped with its reason); one that passes fails the run
 * until its mark is removed. Run one file or name
 * with {@code -Dcases=substring}.
 */
class QueryValidationTest {
    @TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicNode> everyCaseGivesItsExpectedRowsOrError() {
        List<QueryCase> cases = CaseLoader.loadAll();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        String filter = System.getProperty("cases", "").toLowerCase(Locale.ROOT);
        List<DynamicNode> files = new ArrayList<>();
        String file = null;
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (QueryCase c : cases) {
            n++;
            if (!filter.isEmpty() && !c.id().toLowerCase(Locale.ROOT).contains(filter)) {
                continue;
            }
            if (!c.file.equals(file)) {
                if (file != null) {
                    files.add(DynamicContainer.dynamicContainer(file, List.copyOf(tests)));
                }
                file = c.file;
                tests.clear();
            }
            int index = n;
            tests.add(DynamicTest.dynamicTest(c.name, () -> runCase(c, index)));
        }
        if (file != null) {
            files.add(DynamicContainer.dynamicContainer(file, List.copyOf(tests)));
        }
        return files.stream();
    }

    private static void runCase(QueryCase c, int index) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("case-" + index));
        List<String> problems;
        try {
            problems = CaseRunner.run(c, dir);
        } catch (Exception | AssertionError e) {
            problems = List.of("the runner failed: " + e);
        }
        String report = c.id() + "\n  " + String.join("\n  ", problems);
        if (c.knownFailure.isPresent()) {
            if (problems.isEmpty()) {
                Assertions.fail(c.id() + " is marked knownFailure (" + c.knownFailure.get()
                        + ") but now passes: remove the mark");
            }
            // Reported as skipped with its reason, so a known failure stays visible in every report.
            Assumptions.abort("KNOWN FAILURE (" + c.knownFailure.get() + "): " + report);
        }
        if (!problems.isEmpty()) {
            Assertions.fail(report);
        }
    }
}
