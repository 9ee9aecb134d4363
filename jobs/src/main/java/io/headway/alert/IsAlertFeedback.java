package io.headway.alert;

import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.FilterFunction;

/** Only the touchpoints the alert lifecycle reads: the rest of the activity reaches alerts through scores. */
public final class IsAlertFeedback implements FilterFunction<Touchpoint> {

    public static final String ACKNOWLEDGED = "alert_acknowledged";
    public static final String SNOOZED = "alert_snoozed";

    @Override
    public boolean filter(Touchpoint t) {
        String type = t.getType();
        return ACKNOWLEDGED.equals(type) || SNOOZED.equals(type);
    }
}
