package io.headway.alert;

import io.headway.schema.AccountSignal;
import io.headway.schema.ScoreUpdate;

import org.apache.flink.api.common.functions.MapFunction;

/** A health score record into the alert stream. */
public final class ScoreSignal implements MapFunction<ScoreUpdate, AccountSignal> {
    @Override
    public AccountSignal map(ScoreUpdate u) {
        return AccountSignal.newBuilder().setAccountId(u.getAccountId()).setScore(u).build();
    }
}
