package io.headway.risk;

import io.headway.schema.RiskFeature;
import io.headway.schema.RiskUpdate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One account's risk in the alert operator's state: its {@link RiskFeatures} and what the last
 * {@link RiskUpdate} said, so that an assessment is emitted only when it tells something new (the
 * model's {@code emit_min_change}). Plain Java; a Flink POJO (public fields, no-arg constructor).
 */
public class RiskState {

    public RiskFeatures features = new RiskFeatures();
    /** The feature values of the last RiskUpdate emitted; null before the first. */
    public double[] emittedValues;
    /** The probability of the last RiskUpdate emitted (meaningless while emittedValues is null). */
    public double emittedProbability;

    public RiskState() {}

    /** The account's risk as of {@code at} (event time), from the features kept so far. */
    public RiskModel.Assessment assess(RiskSettings settings, long at) {
        return settings.model().assess(features.values(at));
    }

    /**
     * The RiskUpdate for {@code a} if it is worth emitting, else null: always the first; then when the
     * probability moved at least {@code emit_min_change} since the last one emitted, or, with
     * {@code emit_min_change} 0, whenever a feature value changed.
     */
    public RiskUpdate update(RiskSettings settings, String account, long at, RiskModel.Assessment a) {
        if (emittedValues != null) {
            boolean changed = settings.emitMinChange() == 0
                    ? !Arrays.equals(emittedValues, a.values())
                    : Math.abs(a.probability() - emittedProbability) >= settings.emitMinChange();
            if (!changed) {
                return null;
            }
        }
        emittedValues = a.values();
        emittedProbability = a.probability();
        return toRecord(account, at, a, settings.version());
    }

    /** Every feature in {@link RiskFeatures#NAMES} order, with its value (null when unknown) and contribution. */
    public static RiskUpdate toRecord(String account, long at, RiskModel.Assessment a, String version) {
        List<RiskFeature> features = new ArrayList<>(RiskFeatures.NAMES.size());
        for (int i = 0; i < RiskFeatures.NAMES.size(); i++) {
            double v = a.values()[i];
            features.add(new RiskFeature(RiskFeatures.NAMES.get(i), Double.isNaN(v) ? null : v, a.contributions()[i]));
        }
        return RiskUpdate.newBuilder()
                .setAccountId(account)
                .setAsOf(at)
                .setProbability(a.probability())
                .setLogit(a.logit())
                .setIntercept(a.intercept())
                .setModelVersion(version)
                .setFeatures(features)
                .build();
    }
}
