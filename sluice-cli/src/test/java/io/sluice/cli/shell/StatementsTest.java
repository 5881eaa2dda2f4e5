package io.sluice.cli.shell;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatementsTest {
    @Test
    void aStatementIsCompleteOnlyAtASemicolonOutsideStringsAndComments() {
        assertThat(Statements.isComplete("SELECT a FROM s;")).isTrue();
        assertThat(Statements.isComplete("SELECT a\nFROM s")).isFalse();
        assertThat(Statements.isComplete("SELECT 'a;' FROM s")).isFalse();
        assertThat(Statements.isComplete("SELECT 'it''s' FROM s;  ")).isTrue();
        assertThat(Statements.isComplete("SELECT 'a\\'b;' FROM s")).isFalse();
        assertThat(Statements.isComplete("SELECT a FROM s; -- don't stop")).isTrue();
        assertThat(Statements.isComplete("SELECT a FROM s -- ;")).isFalse();
        assertThat(Statements.isComplete("SELECT a /* ; */ FROM s")).isFalse();
        assertThat(Statements.isComplete("SELECT a FROM s; /* open")).isFalse();
        assertThat(Statements.isComplete("   ")).isTrue();
    }

    @Test
    void selectIsRecognisedAfterComments() {
        assertThat(Statements.isSelect("-- c\n/* d */ select 1")).isTrue();
        assertThat(Statements.isSelect("CREATE STREAM x AS SELECT a FROM s")).isFalse();
        assertThat(Statements.isSelect("EXPLAIN SELECT a FROM s")).isFalse();
    }
}
