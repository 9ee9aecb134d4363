package io.headway.alert;

import io.headway.schema.AccountSignal;
import io.headway.schema.JourneyUpdate;

import org.apache.flink.api.common.functions.MapFunction;

/** A journey record into the alert stream. */
public final class JourneySignal implements MapFunction<JourneyUpdate, AccountSignal> {
    @Override
    public AccountSignal map(JourneyUpdate u) {
        return AccountSignal.newBuilder().setAccountId(u.getAccountId()).setJourney(u).build();
    }
}
