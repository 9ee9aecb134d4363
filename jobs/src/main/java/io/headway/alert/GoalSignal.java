package io.headway.alert;

import io.headway.schema.AccountSignal;
import io.headway.schema.GoalUpdate;

import org.apache.flink.api.common.functions.MapFunction;

/** A goal record into the alert stream. */
public final class GoalSignal implements MapFunction<GoalUpdate, AccountSignal> {
    @Override
    public AccountSignal map(GoalUpdate u) {
        return AccountSignal.newBuilder().setAccountId(u.getAccountId()).setGoal(u).build();
    }
}
