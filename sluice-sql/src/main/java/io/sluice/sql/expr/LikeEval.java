package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

import java.util.regex.Pattern;

/**
 * {@code x LIKE pattern}: {@code %} matches any run of characters, {@code _} one character (one
 * code point, also outside the Basic Multilingual Plane),
 * {@code \} escapes the next one. A constant pattern is compiled once.
 */
public final class LikeEval implements Evaluator {
    private final Evaluator value;
    private final Evaluator pattern;
    private final Pattern constant;

    public LikeEval(Evaluator value, Evaluator pattern) {
        this.value = value;
        this.pattern = pattern;
        Object p = pattern.isConstant() ? pattern.eval(new Object[0], 0) : null;
        this.constant = p == null ? null : compile(Values.text(p));
    }

    static Pattern compile(String like) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); ) {
            int c = like.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\' && i < like.length()) {
                int e = like.codePointAt(i);
                i += Character.charCount(e);
                re.append(Pattern.quote(new String(Character.toChars(e))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.'); // one code point: Java's regex reads a surrogate pair as one character
            } else {
                re.append(Pattern.quote(new String(Character.toChars(c))));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    @Override
    public Object eval(Object[] row, long time) {
        Object v = value.eval(row, time);
        if (v == null) {
            return null;
        }
        Pattern p = constant;
        if (p == null) {
            Object pv = pattern.eval(row, time);
            if (pv == null) {
                return null;
            }
            p = compile(Values.text(pv));
        }
        return p.matcher(Values.text(v)).matches();
    }

    @Override
    public SqlType type() {
        return SqlType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + value + " LIKE " + pattern + ")";
    }
}
