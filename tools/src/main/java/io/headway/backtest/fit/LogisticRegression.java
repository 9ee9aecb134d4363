package io.headway.backtest.fit;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

import java.util.List;

/**
 * L2-regularised logistic regression with an unregularised intercept, solved by liblinear (its
 * primal Newton solver, L2R_LR): minimises ½‖w‖² + C Σ log(1 + exp(−y (w·x + b))). Deterministic
 * for the same input. The rows are already standardised, so one C treats every feature alike.
 */
public final class LogisticRegression {

    /** The fitted logit: intercept + Σ weights[i] × x[i]. */
    public record Fitted(double intercept, double[] weights) {

        public double logit(double[] x) {
            double z = intercept;
            for (int i = 0; i < weights.length; i++) {
                z += weights[i] * x[i];
            }
            return z;
        }

        public double probability(double[] x) {
            return sigmoid(logit(x));
        }
    }

    static final double EPSILON = 1e-4;

    static {
        Linear.disableDebugOutput();
    }

    private LogisticRegression() {}

    /**
     * Fits {@code rows} (all of the same width) against {@code missed}. With one class only there is
     * nothing to separate: the weights are 0 and the intercept is that class's log-odds, clipped.
     */
    public static Fitted fit(List<double[]> rows, boolean[] missed, double c) {
        int n = rows.isEmpty() ? 0 : rows.get(0).length;
        int positives = 0;
        for (boolean m : missed) {
            positives += m ? 1 : 0;
        }
        if (positives == 0 || positives == missed.length) {
            double p = positives == 0 ? 1e-3 : 1 - 1e-3;
            return new Fitted(Math.log(p / (1 - p)), new double[n]);
        }
        Problem problem = new Problem();
        problem.l = rows.size();
        problem.n = n + 1;
        problem.bias = 1;
        problem.y = new double[problem.l];
        problem.x = new Feature[problem.l][];
        for (int r = 0; r < problem.l; r++) {
            double[] row = rows.get(r);
            Feature[] x = new Feature[n + 1];
            for (int i = 0; i < n; i++) {
                x[i] = new FeatureNode(i + 1, row[i]);
            }
            x[n] = new FeatureNode(n + 1, 1);
            problem.x[r] = x;
            problem.y[r] = missed[r] ? 1 : 0;
        }
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, EPSILON);
        parameter.setRegularizeBias(false);
        Model model = Linear.train(problem, parameter);
        double[] w = model.getFeatureWeights();
        // liblinear's decision value favours its first label; make it the log-odds of a miss.
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = sign * w[i];
        }
        return new Fitted(sign * w[n], weights);
    }

    public static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
