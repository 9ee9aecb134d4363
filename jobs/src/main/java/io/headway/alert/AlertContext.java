package io.headway.alert;

import io.headway.risk.RiskState;

/**
 * Keyed state of an account that the rules read across records: the latest grade, product activity
 * for the silence timer, a short score history with the components that had evidence (health_drop) and daily adoption history
 * (adoption_decay), whether the renewal journey is open, the account risk's features, and the one pending timer. Cleared with the
 * account's final score record. A Flink POJO (no Kryo).
 */
public class AlertContext {

    public static final long NONE = Long.MIN_VALUE;

    public String grade;
    public long lastProductAt = NONE;
    /** The lastProductAt the silence alert already fired for, so one silent stretch fires once. */
    public long silenceFiredFor = NONE;
    public long[] scoreAt = new long[0];
    public double[] scores = new double[0];
    /** Per daily score in scoreAt, the contribution of each of AlertRules.SCORE_COMPONENTS (health_drop's drivers). */
    public float[] scoreContributions = new float[0];
    /** Bit i: component i of AlertRules.SCORE_COMPONENTS had a value in the scores kept; -1 before the first. */
    public int scoreEvidence = -1;
    public long[] adoptionAt = new long[0];
    public double[] adoption = new double[0];
    public boolean renewalOpen;
    public long renewalDueAt = NONE;
    /** The account risk's features and last emission; null without a risk: section in the model. */
    public RiskState risk;
    /** The event-time timer currently registered, or NONE: one timer per account at a time. */
    public long timerAt = NONE;

    public AlertContext() {}

    boolean isEmpty() {
        return grade == null && lastProductAt == NONE && scoreAt.length == 0 && adoptionAt.length == 0
                && !renewalOpen && timerAt == NONE && (risk == null || risk.features.isEmpty());
    }
}
