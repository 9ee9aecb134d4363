package io.headway.alert;

/**
 * Keyed state of one alert key (rule, subject) of an account: the open alert, or — after it
 * resolved — only the re-fire count until the refire window ends. A Flink POJO (no Kryo).
 */
public class AlertEntry {

    public static final long NONE = Long.MIN_VALUE;

    public String rule;
    public String subject;
    public String alertId;
    /** open, escalated, acknowledged, snoozed or resolved. */
    public String state;
    public boolean open;
    public boolean escalated;
    public long openedAt = NONE;
    public long dueAt = NONE;
    public long escalateAt = NONE;
    public long acknowledgedAt = NONE;
    public long snoozedUntil = NONE;
    /** How bad it was when it opened (rule-specific, larger is worse), to notice worsening. */
    public double worst;
    /** Openings since windowStart; at most rules.lifecycle.max_fires within the refire window. */
    public int fireCount;
    public long windowStart = NONE;
    public String ownerTeam;
    public String headline;
    public String explanation;
    public String[] eventIds = new String[0];
    /** The alert's own severity and recommended action (account_risk's come from its risk); null: the rule's. */
    public String severity;
    public String action;

    public AlertEntry() {}
}
