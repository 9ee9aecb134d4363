package io.headway.backtest.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.risk.RiskFeatures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

class SamplesCsvTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatItWroteExactly() throws Exception {
        double[] a = new double[RiskFeatures.NAMES.size()];
        Arrays.fill(a, Double.NaN);
        a[0] = 0.1 + 0.2;
        a[3] = -1e-300;
        double[] b = new double[RiskFeatures.NAMES.size()];
        Arrays.fill(b, 7);
        Path file = dir.resolve("samples.csv");
        SamplesCsv.write(file, List.of(new RiskSampler.Sample("acc, \"1\"", true, 9, 86_400_000L * 100, 0, a),
                new RiskSampler.Sample("b", false, 0, 5, 0, b)));

        List<RiskSampler.Sample> back = SamplesCsv.read(file);
        assertThat(back).hasSize(2);
        assertThat(back.get(0).accountId()).isEqualTo("acc, \"1\"");
        assertThat(back.get(0).missed()).isTrue();
        assertThat(back.get(0).daysBefore()).isEqualTo(9);
        assertThat(back.get(0).at()).isEqualTo(86_400_000L * 100);
        assertThat(back.get(0).values()).containsExactly(a);
        assertThat(back.get(1).missed()).isFalse();
        assertThat(back.get(1).values()).containsExactly(b);
    }

    @Test
    void shouldNameTheFileLineAndColumnOfABadRow() throws Exception {
        Path file = dir.resolve("bad.csv");
        SamplesCsv.write(file, List.of());
        Files.writeString(file, Files.readString(file) + "a,2,1970-01-01T00:00:00Z,3" + ",".repeat(RiskFeatures.NAMES.size()) + "\n");
        assertThatThrownBy(() -> SamplesCsv.read(file)).hasMessageContaining("bad.csv:2: column label");
        Files.writeString(file, "account_id,label\n");
        assertThatThrownBy(() -> SamplesCsv.read(file)).hasMessageContaining("bad.csv:1: the header must be account_id,label,at,sample,");
    }
}
