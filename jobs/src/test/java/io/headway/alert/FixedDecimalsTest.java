package io.headway.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

/** Alert texts format numbers without {@code String.format}, and must read exactly as it would. */
class FixedDecimalsTest {

    @Test
    void shouldFormatAsStringFormatDoes() {
        Random random = new Random(7);
        double[] edges = {0.05, 0.15, 0.25, 1.45, 2.675, 99.95, 100, 0, 1e-9, 123456.789, -3.25, -0.5};
        for (double v : edges) {
            assertSame(v);
        }
        for (int i = 0; i < 100_000; i++) {
            double v = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(6));
            assertSame(v);
            assertSame(Math.round(v * 1000) / 1000.0 + 0.05);
        }
        assertThat(AlertFunction.fmt(Double.NaN)).isEqualTo("n/a");
    }

    private static void assertSame(double v) {
        for (int decimals = 1; decimals <= 3; decimals++) {
            String expected = String.format(Locale.ROOT, "%." + decimals + "f", v);
            if (expected.startsWith("-") && expected.replaceAll("[-0.]", "").isEmpty()) {
                continue; // "-0.0": the formatter keeps the sign of a negative that rounds to zero
            }
            assertThat(AlertFunction.fixed(v, decimals)).as("%s with %d decimals", v, decimals).isEqualTo(expected);
        }
    }
}
