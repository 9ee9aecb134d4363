package io.headway.alert;

import io.headway.schema.AccountSignal;

import org.apache.flink.api.java.functions.KeySelector;

/** The account, like {@link io.headway.ingest.AccountKey}: the same key, so the same partitioning. */
public final class AccountSignalKey implements KeySelector<AccountSignal, String> {
    @Override
    public String getKey(AccountSignal s) {
        return s.getAccountId();
    }
}
