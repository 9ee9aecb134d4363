package io.headway;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.activity.ActivityState;
import io.headway.activity.ActivitySummaryFunction;
import io.headway.ingest.AcceptTouchpoints;
import io.headway.ingest.SplitDeadLetters;
import io.headway.schema.ActivitySummary;
import io.headway.schema.DeadLetter;
import io.headway.schema.IngestedRecord;
import io.headway.journey.JourneyFunction;
import io.headway.journey.JourneyInstance;
import io.headway.journey.JourneyState;
import io.headway.journey.PendingTouchpoint;
import io.headway.outcome.GoalFunction;
import io.headway.outcome.GoalState;
import io.headway.outcome.GoalTrack;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.ScoreUpdate;
import io.headway.schema.Touchpoint;
import io.headway.score.ScoreFunction;
import io.headway.score.ScoreState;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** No Kryo anywhere: events are Avro records, state is Avro, POJOs or Flink basic types. */
class SerializationTest {

    @Test
    void shouldSerializeEveryEventTypeWithAvro() {
        for (Class<?> type :
                new Class<?>[] {
                    Touchpoint.class, DeadLetter.class, IngestedRecord.class, ActivitySummary.class,
                    LateTouchpoint.class, JourneyUpdate.class, ScoreUpdate.class, GoalUpdate.class
                }) {
            assertThat(TypeInformation.of(type)).as(type.getSimpleName()).isInstanceOf(AvroTypeInfo.class);
        }
    }

    @Test
    void shouldSerializeActivityStateAsAPojoWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ActivityState.class);
        assertThat(ActivitySummaryFunction.STATE.getType()).isNotNull();
    }

    @Test
    void shouldSerializeJourneyStateAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(JourneyState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(JourneyInstance.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(PendingTouchpoint.class);
    }

    @Test
    void shouldSerializeScoreStateAsAPojoWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ScoreState.class);
        assertThat(TypeInformation.of(ScoreState.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void shouldSerializeGoalStateAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(GoalState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(GoalTrack.class);
    }

    @Test
    void shouldUseNoGenericTypeInAnyStateDescriptorOrOutputTag() {
        ExecutionConfig config = new ExecutionConfig();
        ((SerializerConfigImpl) config.getSerializerConfig()).setGenericTypes(false);
        AcceptTouchpoints.SEEN_EVENT_IDS.initializeSerializerUnlessSet(config);
        assertNoKryo(AcceptTouchpoints.SEEN_EVENT_IDS.getSerializer());
        ActivitySummaryFunction.STATE.initializeSerializerUnlessSet(config);
        assertNoKryo(ActivitySummaryFunction.STATE.getSerializer());
        JourneyFunction.STATE.initializeSerializerUnlessSet(config);
        assertNoKryo(JourneyFunction.STATE.getSerializer());
        JourneyFunction.PENDING.initializeSerializerUnlessSet(config);
        assertNoKryo(JourneyFunction.PENDING.getSerializer());
        assertThat(JourneyFunction.UNAPPLIED.getTypeInfo()).isInstanceOf(AvroTypeInfo.class);
        ScoreFunction.STATE.initializeSerializerUnlessSet(config);
        assertNoKryo(ScoreFunction.STATE.getSerializer());
        GoalFunction.STATE.initializeSerializerUnlessSet(config);
        assertNoKryo(GoalFunction.STATE.getSerializer());
        assertThat(GoalFunction.UNAPPLIED.getTypeInfo()).isInstanceOf(AvroTypeInfo.class);
        assertThat(AcceptTouchpoints.LATE.getTypeInfo()).isInstanceOf(AvroTypeInfo.class);
        assertThat(SplitDeadLetters.DEAD_LETTERS.getTypeInfo()).isInstanceOf(AvroTypeInfo.class);
        assertThat(TypeInformation.of(ActivityState.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(ActivityState.class)).isNotInstanceOf(GenericTypeInfo.class);
    }

    private static void assertNoKryo(TypeSerializer<?> serializer) {
        assertThat(serializer.getClass().getName()).doesNotContain("Kryo");
    }
}
