package io.headway.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.generator.Generator;
import io.headway.generator.GeneratorSettings;
import io.headway.model.CustomerModel;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;
import io.headway.testing.Harnesses;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The score state per account, in bytes, over generator accounts in the middle of their life: as the
 * state serializer writes each {@link ScoreState}, and as a checkpoint of the operator (heap state
 * backend: keys, values and the timer) divided by the accounts. Printed for the README.
 */
class ScoreStateSizeTest {

    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void shouldKeepTheStateOfAnAccountSmall() throws Exception {
        Generator g = new Generator(GeneratorSettings.builder().accounts(200).days(60).seed(5).start(START).build());
        long cut = START.plus(Duration.ofDays(40)).toEpochMilli();
        ScoreFunction function = new ScoreFunction(ScoreModel.from(CustomerModel.defaults()));
        try (KeyedOneInputStreamOperatorTestHarness<String, Touchpoint, ScoreUpdate> h = Harnesses.byAccount(function)) {
            long watermark = Long.MIN_VALUE;
            for (Touchpoint t : g.events()) {
                if (t.getOccurredAt() >= cut) {
                    break;
                }
                h.processElement(t, t.getOccurredAt());
                if (t.getOccurredAt() - 300_000 > watermark + 3_600_000) {
                    watermark = t.getOccurredAt() - 300_000;
                    h.processWatermark(watermark);
                }
            }
            h.processWatermark(cut);
            int accounts = h.numKeyedStateEntries();

            TypeSerializer<ScoreState> serializer =
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(ScoreState.class)
                            .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
            org.apache.flink.runtime.state.KeyedStateBackend<String> backend =
                    ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
            List<Integer> sizes = new ArrayList<>();
            DataOutputSerializer out = new DataOutputSerializer(4096);
            for (Object key : backend.getKeys(ScoreFunction.STATE.getName(), org.apache.flink.runtime.state.VoidNamespace.INSTANCE)
                    .toArray()) {
                backend.setCurrentKey((String) key);
                ScoreState s = backend
                        .getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE, ScoreFunction.STATE)
                        .value();
                out.clear();
                serializer.serialize(s, out);
                sizes.add(out.length());
            }
            Collections.sort(sizes);
            double mean = sizes.stream().mapToInt(Integer::intValue).average().orElse(0);

            OperatorSubtaskState snapshot = h.snapshot(1, cut);
            long checkpointBytes = 0;
            for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
                checkpointBytes += handle.getStateSize();
            }
            System.out.printf(Locale.ROOT,
                    "ScoreStateSizeTest: %d accounts on day 40 of 60; ScoreState serialized: mean %.0f, median %d, p95 %d, max %d bytes;"
                            + " checkpoint (heap backend, keys + state + timers) %d bytes = %.0f bytes per account%n",
                    accounts, mean, sizes.get(sizes.size() / 2), sizes.get((int) (sizes.size() * 0.95)), sizes.get(sizes.size() - 1),
                    checkpointBytes, checkpointBytes / (double) accounts);

            assertThat(accounts).isGreaterThan(150);
            assertThat(mean).isLessThan(1500);
            assertThat(sizes.get(sizes.size() - 1)).isLessThan(4000);
        }
    }
}
