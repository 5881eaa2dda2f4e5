package io.sluice.sql.exec;

import io.sluice.sql.expr.Evaluator;

import java.util.List;

/** Computes the output columns of each row. Never changes its input row. */
public final class ProjectOperator implements Operator {
    private final Evaluator[] exprs;
    private final int[] columns;
    private final RowConsumer out;

    public ProjectOperator(List<Evaluator> exprs, RowConsumer out) {
        this.exprs = exprs.toArray(new Evaluator[0]);
        this.columns = new int[this.exprs.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = this.exprs[i].columnIndex();
        }
        this.out = out;
    }

    @Override
    public void add(int port, Object[] row, long time) {
        Object[] r = new Object[exprs.length];
        for (int i = 0; i < r.length; i++) {
            int c = columns[i];
            r[i] = c >= 0 ? row[c] : exprs[i].eval(row, time);
        }
        out.accept(r, time);
    }
}
