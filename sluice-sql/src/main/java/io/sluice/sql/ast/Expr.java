package io.sluice.sql.ast;

import io.sluice.sql.SqlType;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** An expression as written, with its position. All implementations are immutable records. */
public sealed interface Expr {
    Pos pos();

    /** A literal; {@code type} is INT, BIGINT, DOUBLE, STRING, BOOLEAN or NULL. */
    record Literal(Pos pos, Object value, SqlType type) implements Expr {
        public Literal {
            requireNonNull(pos, "pos is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * {@code name} or {@code qualifier.name}; qualifier is null when absent. {@code quoted} when the
     * name was written in double quotes (so a message can say that strings take single quotes).
     */
    record ColumnRef(Pos pos, String qualifier, String name, boolean quoted) implements Expr {
        public ColumnRef {
            requireNonNull(pos, "pos is null");
            requireNonNull(name, "name is null");
        }

        public ColumnRef(Pos pos, String qualifier, String name) {
            this(pos, qualifier, name, false);
        }

        public String text() {
            return qualifier == null ? name : qualifier + "." + name;
        }
    }

    /** {@code #name}: the event header {@code name}. */
    record HeaderRef(Pos pos, String name) implements Expr {
        public HeaderRef {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code name(args)}, {@code name(DISTINCT arg)} or {@code name(*)}; name is lower case. */
    record Call(Pos pos, String name, List<Expr> args, boolean distinct, boolean star) implements Expr {
        public Call {
            requireNonNull(name, "name is null");
            args = List.copyOf(args);
        }
    }

    record Cast(Pos pos, Expr value, SqlType type) implements Expr {
        public Cast {
            requireNonNull(value, "value is null");
            requireNonNull(type, "type is null");
        }
    }

    /** One {@code WHEN condition THEN result}. */
    record When(Expr condition, Expr result) {
        public When {
            requireNonNull(condition, "condition is null");
            requireNonNull(result, "result is null");
        }
    }

    /** {@code CASE [operand] WHEN ... THEN ... [ELSE ...] END}; operand and elseValue may be null. */
    record Case(Pos pos, Expr operand, List<When> whens, Expr elseValue) implements Expr {
        public Case {
            whens = List.copyOf(whens);
        }
    }

    /** Unary {@code -} or {@code +}. */
    record Negate(Pos pos, Expr value, boolean minus) implements Expr {
    }

    record Not(Pos pos, Expr value) implements Expr {
    }

    /** Binary operators: {@code + - * / % || = != < <= > >= AND OR}. */
    record Binary(Pos pos, String op, Expr left, Expr right) implements Expr {
        public Binary {
            requireNonNull(op, "op is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }

    record Between(Pos pos, Expr value, Expr lower, Expr upper, boolean negated) implements Expr {
    }

    record InList(Pos pos, Expr value, List<Expr> list, boolean negated) implements Expr {
        public InList {
            list = List.copyOf(list);
        }
    }

    record Like(Pos pos, Expr value, Expr pattern, boolean negated) implements Expr {
    }

    record IsNull(Pos pos, Expr value, boolean negated) implements Expr {
    }

    /** {@code value[index]}: the entry of a MAP under a key. */
    record Subscript(Pos pos, Expr value, Expr index) implements Expr {
        public Subscript {
            requireNonNull(value, "value is null");
            requireNonNull(index, "index is null");
        }
    }
}
