package io.headway.backtest.fit;

import io.headway.risk.RiskFeatures;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Fits the account risk from samples: chooses the regularisation C by account-grouped k-fold
 * cross-validation (the mean out-of-fold log-loss; every sample of an account is in one fold, so a
 * fold never scores an account it was trained on), reports the out-of-fold AUC and the account-level
 * threshold for the target precision, and fits the final weights on all samples with that C.
 * Each fold standardises with its own training samples' means and scales, as the final fit does
 * with all of them. Plain Java.
 */
public final class RiskFit {

    public static final double[] C_GRID = {0.01, 0.1, 1, 10};

    /** One term of the fitted model, in the job's form: weight × (x − mean) / scale. */
    public record Term(String feature, double weight, double mean, double scale) {}

    /** Everything the fit found. */
    public record Result(double intercept, List<Term> terms, List<String> leftOut, double c, double[] cLogLoss, int folds, int samples,
            int positives, int accounts, double cvAuc, Threshold.Choice threshold, double targetPrecision, List<String> againstDirection) {}

    private RiskFit() {}

    /** The fold of an account: a stable hash (CRC-32 of its UTF-8 id), the same in every run and JVM. */
    public static int fold(String accountId, int folds) {
        CRC32 crc = new CRC32();
        crc.update(accountId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % folds);
    }

    public static Result fit(List<RiskSampler.Sample> samples, int folds, double targetPrecision) {
        if (folds < 2) {
            throw new IllegalArgumentException("--folds must be at least 2, was " + folds);
        }
        int n = samples.size();
        boolean[] missed = new boolean[n];
        String[] accounts = new String[n];
        int[] fold = new int[n];
        int positives = 0;
        Set<String> distinct = new HashSet<>();
        List<double[]> raw = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RiskSampler.Sample s = samples.get(i);
            missed[i] = s.missed();
            accounts[i] = s.accountId();
            fold[i] = fold(s.accountId(), folds);
            positives += s.missed() ? 1 : 0;
            distinct.add(s.accountId());
            raw.add(s.values());
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("cannot fit the risk: the " + n + " samples are all " + (positives == 0 ? "achieved" : "missed")
                    + " (a fit needs both outcomes)");
        }
        // Signs first, with the least regularised C (where correlated features flip most), so the
        // cross-validation below scores the feature set that is shipped.
        List<String> againstDirection = new ArrayList<>();
        raw = withDirections(raw, missed, C_GRID[C_GRID.length - 1], againstDirection);
        double[] logLoss = new double[C_GRID.length];
        double[][] outOfFold = new double[C_GRID.length][];
        for (int g = 0; g < C_GRID.length; g++) {
            outOfFold[g] = crossValidate(raw, missed, fold, folds, C_GRID[g]);
            logLoss[g] = logLoss(missed, outOfFold[g]);
        }
        int best = 0;
        for (int g = 1; g < C_GRID.length; g++) {
            if (logLoss[g] < logLoss[best]) {
                best = g;
            }
        }
        double c = C_GRID[best];
        double auc = Threshold.auc(missed, outOfFold[best]);
        Threshold.Choice threshold = Threshold.choose(accounts, missed, outOfFold[best], targetPrecision);

        raw = withDirections(raw, missed, c, againstDirection);
        Standardiser std = Standardiser.fit(raw, RiskFeatures.NAMES.size());
        LogisticRegression.Fitted model = LogisticRegression.fit(standardise(std, raw), missed, c);
        List<Term> terms = new ArrayList<>();
        List<String> leftOut = new ArrayList<>(RiskFeatures.NAMES);
        for (int i = 0; i < std.kept.length; i++) {
            String name = RiskFeatures.NAMES.get(std.kept[i]);
            terms.add(new Term(name, model.weights()[i], std.mean[i], std.scale[i]));
            leftOut.remove(name);
        }
        leftOut.removeAll(againstDirection);
        return new Result(model.intercept(), terms, leftOut, c, logLoss, folds, n, positives, distinct.size(), auc, threshold, targetPrecision,
                againstDirection);
    }

    /**
     * The samples without the features whose fitted weight goes against {@link RiskFeatures#DIRECTION}:
     * fits, drops the feature with the largest such weight (as unknown in every sample), and refits
     * until every weight points the way its feature means. Adds the dropped names to {@code dropped}.
     */
    static List<double[]> withDirections(List<double[]> raw, boolean[] missed, double c, List<String> dropped) {
        List<double[]> rows = raw;
        for (int round = 0; round < RiskFeatures.NAMES.size(); round++) {
            Standardiser std = Standardiser.fit(rows, RiskFeatures.NAMES.size());
            if (std.kept.length == 0) {
                return rows;
            }
            double[] w = LogisticRegression.fit(standardise(std, rows), missed, c).weights();
            int worst = -1;
            for (int i = 0; i < std.kept.length; i++) {
                int direction = RiskFeatures.DIRECTION.get(RiskFeatures.NAMES.get(std.kept[i]));
                if (direction != 0 && Math.signum(w[i]) == -direction && (worst < 0 || Math.abs(w[i]) > Math.abs(w[worst]))) {
                    worst = i;
                }
            }
            if (worst < 0) {
                return rows;
            }
            int feature = std.kept[worst];
            dropped.add(RiskFeatures.NAMES.get(feature));
            List<double[]> masked = new ArrayList<>(rows.size());
            for (double[] r : rows) {
                double[] copy = r.clone();
                copy[feature] = Double.NaN;
                masked.add(copy);
            }
            rows = masked;
        }
        return rows;
    }

    /** Out-of-fold probabilities: sample i scored by the model fitted on every other fold. */
    static double[] crossValidate(List<double[]> raw, boolean[] missed, int[] fold, int folds, double c) {
        double[] p = new double[raw.size()];
        for (int f = 0; f < folds; f++) {
            List<double[]> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            List<Boolean> trainMissed = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                if (fold[i] == f) {
                    test.add(i);
                } else {
                    train.add(raw.get(i));
                    trainMissed.add(missed[i]);
                }
            }
            if (test.isEmpty()) {
                continue;
            }
            boolean[] y = new boolean[trainMissed.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = trainMissed.get(i);
            }
            Standardiser std = Standardiser.fit(train, RiskFeatures.NAMES.size());
            LogisticRegression.Fitted model = LogisticRegression.fit(standardise(std, train), y, c);
            for (int i : test) {
                p[i] = model.probability(std.apply(raw.get(i)));
            }
        }
        return p;
    }

    static List<double[]> standardise(Standardiser std, List<double[]> raw) {
        List<double[]> z = new ArrayList<>(raw.size());
        for (double[] r : raw) {
            z.add(std.apply(r));
        }
        return z;
    }

    /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
    static double logLoss(boolean[] missed, double[] p) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
            sum -= missed[i] ? Math.log(q) : Math.log(1 - q);
        }
        return sum / p.length;
    }
}
