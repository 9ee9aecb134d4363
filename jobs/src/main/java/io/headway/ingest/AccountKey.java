package io.headway.ingest;

import io.headway.schema.Touchpoint;

import org.apache.flink.api.java.functions.KeySelector;

/** The one key of the hot path. */
public final class AccountKey implements KeySelector<Touchpoint, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Touchpoint t) {
        return t.getAccountId();
    }
}
