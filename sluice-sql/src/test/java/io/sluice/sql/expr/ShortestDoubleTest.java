package io.sluice.sql.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShortestDoubleTest {
    @Test
    void printsTheShortestDigitsInJavasLayout() {
        assertThat(ShortestDouble.of(1.0E23)).isEqualTo("1.0E23"); // Java 17: 9.999999999999999E22
        assertThat(ShortestDouble.of(2.0E-3)).isEqualTo("0.002");
        assertThat(ShortestDouble.of(0.1)).isEqualTo("0.1");
        assertThat(ShortestDouble.of(100.0)).isEqualTo("100.0");
        assertThat(ShortestDouble.of(1.0E7)).isEqualTo("1.0E7");
        assertThat(ShortestDouble.of(9999999.0)).isEqualTo("9999999.0");
        assertThat(ShortestDouble.of(0.001)).isEqualTo("0.001");
        assertThat(ShortestDouble.of(-1.5E-5)).isEqualTo("-1.5E-5");
        assertThat(ShortestDouble.of(Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(ShortestDouble.of(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
        assertThat(ShortestDouble.of(-0.0)).isEqualTo("-0.0");
        assertThat(ShortestDouble.of(Double.NaN)).isEqualTo("NaN");
        assertThat(ShortestDouble.of(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(ShortestDouble.of(2.0E23)).isEqualTo("2.0E23");
        assertThat(ShortestDouble.of(8.41E21)).isEqualTo("8.41E21");
        assertThat(ShortestDouble.of(1.0E-5f)).isEqualTo("1.0E-5");
        assertThat(ShortestDouble.of(0.3f)).isEqualTo("0.3");
    }

    @Test
    void randomDoublesReadBackAndNeedNoFewerDigits() {
        SplittableRandom random = new SplittableRandom(20261206L);
        for (int i = 0; i < 40_000; i++) {
            double d = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong())
                    : random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            String s = ShortestDouble.of(d);
            assertThat(Double.parseDouble(s)).as(s).isEqualTo(d);
            int digits = digits(s);
            assertThat(digits).as(s).isLessThanOrEqualTo(digits(Double.toString(d)));
            if (digits > 2) {
                // no decimal of one digit fewer reads back as d
                BigDecimal exact = new BigDecimal(d);
                for (RoundingMode m : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                    assertThat(exact.round(new MathContext(digits - 1, m)).doubleValue()).as(s).isNotEqualTo(d);
                }
            }
        }
    }

    private static int digits(String s) {
        int e = s.indexOf('E');
        String m = (e < 0 ? s : s.substring(0, e)).replace("-", "").replace(".", "");
        m = m.replaceFirst("^0+(?=.)", "").replaceFirst("(?<=.)0+$", "");
        return m.length();
    }
}
