package io.headway.backtest.fit;

import java.util.ArrayList;
import java.util.List;

/**
 * Each feature's mean and scale over a set of samples, and the samples standardised with them:
 * z = (x − mean) / scale, the form the job's {@code RiskModel} computes, so a weight fitted on z is
 * the model file's weight as it stands. The scale is the population standard deviation (1 when it
 * is 0: a constant feature stays 0, it has nothing to say). An unknown value (NaN) becomes 0, the
 * mean, which is also what the job does with it. A feature with no known value in the samples is
 * left out: there is no mean to write.
 */
public final class Standardiser {

    /** Indices (into the full feature vector) of the features kept, ascending. */
    public final int[] kept;
    public final double[] mean;
    public final double[] scale;

    private Standardiser(int[] kept, double[] mean, double[] scale) {
        this.kept = kept;
        this.mean = mean;
        this.scale = scale;
    }

    /** Fitted on {@code rows} (each a full feature vector, NaN where unknown). */
    public static Standardiser fit(List<double[]> rows, int features) {
        List<Integer> kept = new ArrayList<>();
        List<double[]> stats = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            long n = 0;
            double sum = 0;
            for (double[] r : rows) {
                if (!Double.isNaN(r[f])) {
                    n++;
                    sum += r[f];
                }
            }
            if (n == 0) {
                continue;
            }
            double m = sum / n;
            double ss = 0;
            for (double[] r : rows) {
                if (!Double.isNaN(r[f])) {
                    ss += (r[f] - m) * (r[f] - m);
                }
            }
            double sd = Math.sqrt(ss / n);
            kept.add(f);
            stats.add(new double[] {m, sd > 1e-12 ? sd : 1});
        }
        int[] k = kept.stream().mapToInt(Integer::intValue).toArray();
        double[] mean = new double[k.length];
        double[] scale = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            mean[i] = stats.get(i)[0];
            scale[i] = stats.get(i)[1];
        }
        return new Standardiser(k, mean, scale);
    }

    /** The kept features of {@code row}, standardised, NaN as 0. */
    public double[] apply(double[] row) {
        double[] z = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            double x = row[kept[i]];
            z[i] = Double.isNaN(x) ? 0 : (x - mean[i]) / scale[i];
        }
        return z;
    }
}
