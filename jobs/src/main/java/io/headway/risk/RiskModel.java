package io.headway.risk;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted logistic model of the probability that an account misses its result: {@code p =
 * sigmoid(intercept + Σ weight_i × (x_i − mean_i) / scale_i)} over {@link RiskFeatures#NAMES}. The
 * weights are fitted from history ({@code backtest --fit}), never hand-tuned here; an unknown
 * feature value (NaN) is taken as the mean, so it contributes nothing. Each assessment explains
 * itself: the contributions plus the intercept are the logit.
 */
public final class RiskModel implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One feature's term. */
    public record Term(String feature, double weight, double mean, double scale) implements Serializable {
        public Term {
            if (!RiskFeatures.NAMES.contains(feature)) {
                throw new IllegalArgumentException("unknown risk feature '" + feature + "'; known: " + RiskFeatures.NAMES);
            }
            if (!(scale > 0) || Double.isNaN(weight) || Double.isNaN(mean)) {
                throw new IllegalArgumentException("risk feature '" + feature + "' needs a finite weight and mean and a scale > 0");
            }
        }
    }

    /** Probability, logit and per-feature values and contributions, in {@link RiskFeatures#NAMES} order. */
    public record Assessment(double probability, double logit, double intercept, double[] values, double[] contributions) {

        /** Feature names by absolute contribution, largest first, at most {@code n}. */
        public List<String> topDrivers(int n) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < contributions.length; i++) {
                if (contributions[i] != 0) {
                    order.add(i);
                }
            }
            order.sort((a, b) -> Double.compare(Math.abs(contributions[b]), Math.abs(contributions[a])));
            List<String> names = new ArrayList<>();
            for (int i : order.subList(0, Math.min(n, order.size()))) {
                names.add(RiskFeatures.NAMES.get(i));
            }
            return names;
        }
    }

    private final double intercept;
    private final Map<String, Term> terms;
    private final String version;
    private final double[] weight;
    private final double[] mean;
    private final double[] scale;

    public RiskModel(double intercept, List<Term> terms, String version) {
        this.intercept = intercept;
        this.version = version;
        Map<String, Term> byName = new LinkedHashMap<>();
        for (Term t : terms) {
            if (byName.put(t.feature(), t) != null) {
                throw new IllegalArgumentException("risk feature '" + t.feature() + "' given twice");
            }
        }
        this.terms = Collections.unmodifiableMap(byName);
        int n = RiskFeatures.NAMES.size();
        weight = new double[n];
        mean = new double[n];
        scale = new double[n];
        for (int i = 0; i < n; i++) {
            Term t = byName.get(RiskFeatures.NAMES.get(i));
            weight[i] = t == null ? 0 : t.weight();
            mean[i] = t == null ? 0 : t.mean();
            scale[i] = t == null ? 1 : t.scale();
        }
    }

    public double intercept() {
        return intercept;
    }

    /** Terms by feature name, in the order given. */
    public Map<String, Term> terms() {
        return terms;
    }

    /** The fitted date, or "unfitted". */
    public String version() {
        return version;
    }

    /** Assesses {@code values} ({@link RiskFeatures#NAMES} order), which the assessment keeps: do not change them afterwards. */
    public Assessment assess(double[] values) {
        if (values.length != weight.length) {
            throw new IllegalArgumentException("expected " + weight.length + " feature values, got " + values.length);
        }
        double[] contributions = new double[values.length];
        double logit = intercept;
        for (int i = 0; i < values.length; i++) {
            double x = values[i];
            contributions[i] = Double.isNaN(x) || weight[i] == 0 ? 0 : weight[i] * (x - mean[i]) / scale[i];
            logit += contributions[i];
        }
        // The assessment keeps the caller's array: RiskFeatures.values makes a new one per call, and
        // this runs once per journey, score and goal record of every account.
        return new Assessment(sigmoid(logit), logit, intercept, values, contributions);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
