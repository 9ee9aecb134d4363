package io.headway.backtest.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headway.model.CustomerModel;
import io.headway.risk.RiskFeatures;
import io.headway.risk.RiskModel;
import io.headway.risk.RiskSettings;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The fitted weights, written into the model file, read back by the job's own parser: the same probabilities. */
class FittedModelRoundTripTest {

    @Test
    void shouldGiveTheJobTheProbabilitiesTheFitComputed() {
        List<RiskSampler.Sample> samples = RiskFitTest.synthetic(4);
        RiskFit.Result fit = RiskFit.fit(samples, 5, 0.8);
        String yaml = ModelFile.withRisk(ModelFile.read(null), ModelFile.fittedSection(fit, "2026-12-02", "events=h \"x\" outcomes=o.csv"));

        CustomerModel model = CustomerModel.parse(yaml, "fitted.yaml");
        RiskSettings risk = model.risk().orElseThrow();
        assertThat(risk.version()).isEqualTo("2026-12-02");
        assertThat(risk.threshold()).isEqualTo(ModelFile.floor4(fit.threshold().threshold()));
        assertThat(risk.resolveBelow()).isCloseTo(risk.threshold() - 0.1, within(1e-4));
        assertThat(risk.minAgeDays()).isEqualTo(14.0);
        assertThat(risk.emitMinChange()).isEqualTo(0.02);
        assertThat(risk.budget()).isFalse();
        assertThat(risk.fitted()).containsEntry("data", "events=h \"x\" outcomes=o.csv").containsKeys("cv_auc", "samples", "c");
        // The rest of the bundled model is still there.
        assertThat(model.journeys()).hasSameSizeAs(CustomerModel.defaults().journeys());

        // The fit's own logit over the standardised sample, against the job's assessment of the raw values.
        Standardiser std = Standardiser.fit(samples.stream().map(RiskSampler.Sample::values).toList(), RiskFeatures.NAMES.size());
        double[] weights = fit.terms().stream().mapToDouble(RiskFit.Term::weight).toArray();
        LogisticRegression.Fitted own = new LogisticRegression.Fitted(fit.intercept(), weights);
        RiskModel job = risk.model();
        for (RiskSampler.Sample s : samples.subList(0, 30)) {
            RiskModel.Assessment a = job.assess(s.values());
            assertThat(a.probability()).isCloseTo(own.probability(std.apply(s.values())), within(1e-12));
            double sum = a.intercept();
            for (double c : a.contributions()) {
                sum += c;
            }
            assertThat(sum).isCloseTo(a.logit(), within(1e-12));
        }
    }

    @Test
    void shouldBeReadByTheJobAsACollectionSection() {
        CustomerModel model = CustomerModel.parse(ModelFile.withRisk(ModelFile.read(null), ModelFile.collectionSection()), "collect.yaml");
        RiskSettings risk = model.risk().orElseThrow();
        assertThat(risk.threshold()).isEqualTo(1.01);
        assertThat(risk.emitMinChange()).isZero();
        assertThat(risk.model().terms()).isEmpty();
    }
}
