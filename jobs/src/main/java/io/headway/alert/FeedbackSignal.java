package io.headway.alert;

import io.headway.schema.AccountSignal;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.functions.MapFunction;

/** An alert_acknowledged or alert_snoozed touchpoint (see {@link IsAlertFeedback}) into the alert stream. */
public final class FeedbackSignal implements MapFunction<Touchpoint, AccountSignal> {
    @Override
    public AccountSignal map(Touchpoint t) {
        return AccountSignal.newBuilder().setAccountId(t.getAccountId()).setTouchpoint(t).build();
    }
}
