package io.sluice.cli;

import io.sluice.core.registry.ComponentRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code docs/components.md} is what {@code sluice components --markdown} prints for this build, and
 * no default in it depends on the machine that generated it.
 */
class ComponentsReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "components.md");

    @Test
    void docsComponentsMdIsUpToDate() throws Exception {
        String generated = ComponentsCommand.markdown(ComponentRegistry.standard());
        assertThat(DOC).as("docs/components.md (tests run in sluice-cli)").exists();
        String onDisk = Files.readString(DOC, StandardCharsets.UTF_8);
        if (!onDisk.equals(generated)) {
            fail("docs/components.md is stale: it differs from what this build's components print, from line "
                    + firstDifferentLine(onDisk, generated) + ". Regenerate it from the root of the source tree with\n"
                    + "    " + ComponentsCommand.REGENERATE + "\n(bin/sluice builds the distribution first when it"
                    + " is older than the sources) and commit the result.");
        }
    }

    @Test
    void noDefaultShowsThisMachinesHeapOrCpuCount() {
        String generated = ComponentsCommand.markdown(ComponentRegistry.standard());
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(generated)
                .doesNotContain("`" + heap / 16 + "`")
                .doesNotContain("`" + (long) (heap * 0.8) + "`")
                .contains("`80% of the heap (-Xmx)`")
                .contains("`1/16 of the heap (-Xmx)`");
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return Math.min(x.length, y.length) + 1;
    }
}
