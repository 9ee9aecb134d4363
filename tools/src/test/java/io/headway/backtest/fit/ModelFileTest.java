package io.headway.backtest.fit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelFileTest {

    private static final String SECTION = "risk:\n  threshold: 0.5\n";

    @Test
    void shouldReplaceTheTopLevelRiskBlockAndKeepTheRest() {
        String yaml = "# my model\njourneys:\n  - name: x\n\nrisk:\n  threshold: 0.9\n  # old comment\n  terms:\n    - {feature: health}\n\n"
                + "# rules follow\nrules:\n  - id: r\n";
        assertThat(ModelFile.withRisk(yaml, SECTION))
                .isEqualTo("# my model\njourneys:\n  - name: x\n\nrisk:\n  threshold: 0.5\n\n# rules follow\nrules:\n  - id: r\n");
    }

    @Test
    void shouldReplaceAFlowRiskAtTheEnd() {
        assertThat(ModelFile.withRisk("journeys: []\nrisk: {threshold: 0.9}\n", SECTION)).isEqualTo("journeys: []\nrisk:\n  threshold: 0.5\n");
    }

    @Test
    void shouldAppendWhenThereIsNoRiskSection() {
        assertThat(ModelFile.withRisk("journeys: []\n  # risk: nested, not top level\n", SECTION))
                .isEqualTo("journeys: []\n  # risk: nested, not top level\n\nrisk:\n  threshold: 0.5\n");
        assertThat(ModelFile.withRisk("journeys: []", SECTION)).isEqualTo("journeys: []\n\nrisk:\n  threshold: 0.5\n");
    }

    @Test
    void shouldWriteNumbersExactlyAndStringsQuoted() {
        assertThat(ModelFile.num(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(ModelFile.num(2)).isEqualTo("2.0");
        assertThat(ModelFile.floor4(0.723456)).isEqualTo(0.7234);
        assertThat(ModelFile.quoted("events=a \"b\"\\c")).isEqualTo("\"events=a \\\"b\\\"\\\\c\"");
    }

    @Test
    void shouldCutTheTopLevelRiskSectionOut() {
        String yaml = "journeys:\n  - id: a\nrisk:\n  threshold: 0.5\n  # kept\n\n  terms: []\n\nalerts:\n  x: 1\n";
        org.assertj.core.api.Assertions.assertThat(ModelFile.riskSection(yaml)).isEqualTo("risk:\n  threshold: 0.5\n  # kept\n\n  terms: []\n");
        org.assertj.core.api.Assertions.assertThat(ModelFile.riskSection("journeys: []\n")).isNull();
    }
}
