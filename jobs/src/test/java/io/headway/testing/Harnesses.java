package io.headway.testing;

import io.headway.ingest.AccountKey;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The one factory for keyed-function harness tests: the function in a {@link KeyedProcessOperator},
 * keyed as the job keys it, opened and ready for {@code processElement} / {@code processWatermark}.
 * The caller closes it (try-with-resources, or {@code @AfterEach}).
 */
public final class Harnesses {

    private Harnesses() {}

    /** A function on touchpoints, keyed by account as the job's {@code keyBy(new AccountKey())}. */
    public static <O> KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, O> byAccount(
            KeyedProcessFunction<String, Touchpoint, O> function) throws Exception {
        return keyed(function, new AccountKey(), Types.STRING);
    }

    /** Any keyed function, with its key selector and key type. */
    public static <K, I, O> KeyedOneInputStreamOperatorTestHarness<K, I, O> keyed(
            KeyedProcessFunction<K, I, O> function, KeySelector<I, K> key, TypeInformation<K> keyType) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, I, O> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), key, keyType);
        h.open();
        return h;
    }
}
