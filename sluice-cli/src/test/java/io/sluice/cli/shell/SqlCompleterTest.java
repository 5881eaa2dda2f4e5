package io.sluice.cli.shell;

import io.sluice.sql.Column;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.SqlType;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Completion knows where the cursor is: streams after FROM, columns in expressions. */
class SqlCompleterTest {
    private RtsqlEngine engine;
    private SqlCompleter completer;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine();
        engine.createInputStream("clicks", List.of(new Column("page", SqlType.STRING),
                new Column("ms", SqlType.INT)));
        engine.createInputStream("users", List.of(new Column("name", SqlType.STRING)));
        completer = new SqlCompleter(engine);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private List<String> complete(String line) {
        return complete(line, line.length());
    }

    private List<String> complete(String line, int cursor) {
        List<Candidate> out = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, cursor, ParseContext.COMPLETE), out);
        return out.stream().map(Candidate::value).toList();
    }

    @Test
    void afterFromOnlyStreams() {
        assertThat(complete("SELECT page FROM ")).containsExactlyInAnyOrder("clicks", "users");
        assertThat(complete("SELECT page FROM cl")).containsExactlyInAnyOrder("clicks", "users");
        assertThat(complete("SELECT * FROM clicks c JOIN ")).containsExactlyInAnyOrder("clicks", "users");
        assertThat(complete("DESCRIBE ")).containsExactlyInAnyOrder("clicks", "users");
    }

    @Test
    void inExpressionsTheColumnsOfTheStreamsRead() {
        List<String> c = complete("SELECT page FROM clicks WHERE ");
        assertThat(c).contains("page", "ms", "UPPER", "AND").doesNotContain("name", "clicks");
        assertThat(complete("SELECT ")).contains("page", "ms", "name");
    }

    @Test
    void aQualifierCompletesItsColumns() {
        assertThat(complete("SELECT c. FROM clicks c", 9)).containsExactlyInAnyOrder("c.page", "c.ms");
        assertThat(complete("SELECT users.")).containsExactly("users.name");
    }
}
