package io.headway.bench;

import io.headway.HeadwayJob;
import io.headway.WorkflowSinks;
import io.headway.PipelineSettings;
import io.headway.ingest.AccountKey;
import io.headway.ingest.IngestedTimestamps;
import io.headway.ingest.TouchpointParser;
import io.headway.schema.IngestedRecord;
import io.headway.schema.Touchpoint;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/** The two pipelines the benchmark compares, over the same replaying source. */
public final class BenchmarkPipelines {

    public static final String VALID_UID = "valid-touchpoints";
    public static final String COUNT_KEYED_UID = "count-keyed";
    public static final String FLOOR_UID = "state-and-timer-per-event";

    private BenchmarkPipelines() {}

    /** Replays the installed {@link BenchmarkInput}: record i is parsed from the i-th bytes, as fast as it goes. */
    public static DataGeneratorSource<IngestedRecord> source(TouchpointParser parser, int records) {
        return new DataGeneratorSource<>(
                new ReplayFunction(parser),
                records,
                RateLimiterStrategy.noOp(),
                new AvroTypeInfo<>(IngestedRecord.class));
    }

    /** FULL: the job's workflow, every output into a counting, discarding sink. */
    public static void full(
            StreamExecutionEnvironment env, DataGeneratorSource<IngestedRecord> source, PipelineSettings settings) {
        HeadwayJob.defineWorkflow(
                env,
                source,
                settings,
                WorkflowSinks.create()
                        .activity(activity -> activity.sinkTo(new CountingSink<>(CountingSink.Counter.ACTIVITY))
                                .uid("discard-activity")
                                .name("Discard activity"))
                        .activityDatabase(activity -> activity.sinkTo(new CountingSink<>(CountingSink.Counter.ACTIVITY_DATABASE))
                                .uid("discard-activity-database")
                                .name("Discard activity (database)"))
                        .deadLetters(deadLetters -> deadLetters.sinkTo(new CountingSink<>(CountingSink.Counter.DEAD_LETTERS))
                                .uid("discard-dead-letters")
                                .name("Discard dead letters"))
                        .late(late -> late.sinkTo(new LateCountingSink())
                                .uid("discard-late")
                                .name("Discard late"))
                        .journeys(journeys -> journeys.sinkTo(new CountingSink<>(CountingSink.Counter.JOURNEYS))
                                .uid("discard-journeys")
                                .name("Discard journeys"))
                        .scores(scores -> scores.sinkTo(new CountingSink<>(CountingSink.Counter.SCORES))
                                .uid("discard-scores")
                                .name("Discard scores"))
                        .goals(goals -> goals.sinkTo(new CountingSink<>(CountingSink.Counter.GOALS))
                                .uid("discard-goals")
                                .name("Discard goals"))
                        .alerts(alerts -> alerts.sinkTo(new CountingSink<>(CountingSink.Counter.ALERTS))
                                .uid("discard-alerts")
                                .name("Discard alerts")));
    }

    /**
     * BARE: what any keyed job on this input pays: the same source, parser and watermark strategy as
     * {@link HeadwayJob#defineWorkflow}, dead letters dropped, the same {@code keyBy(account)}
     * shuffle of Avro touchpoints, and a keyed operator that only counts.
     */
    public static void bare(
            StreamExecutionEnvironment env, DataGeneratorSource<IngestedRecord> source, PipelineSettings settings) {
        keyed(env, source, settings, new CountKeyed(), COUNT_KEYED_UID, "Count (keyed no-op)");
    }

    /** FLOOR: {@link #bare} with one state read/write and one timer per event instead of the no-op. */
    public static void floor(
            StreamExecutionEnvironment env, DataGeneratorSource<IngestedRecord> source, PipelineSettings settings) {
        keyed(env, source, settings, new StateAndTimerPerEvent(), FLOOR_UID, "State and timer per event");
    }

    private static void keyed(
            StreamExecutionEnvironment env,
            DataGeneratorSource<IngestedRecord> source,
            PipelineSettings settings,
            KeyedProcessFunction<String, Touchpoint, Void> function,
            String uid,
            String name) {
        env.fromSource(source, watermarks(settings), "Touchpoints")
                .uid(HeadwayJob.SOURCE_UID)
                .flatMap(new ValidTouchpoints(), new AvroTypeInfo<>(Touchpoint.class))
                .uid(VALID_UID)
                .name("Drop dead letters")
                .keyBy(new AccountKey())
                .process(function, Types.VOID)
                .uid(uid)
                .name(name);
    }

    /** The watermark strategy of {@link HeadwayJob#defineWorkflow}; keep the two the same. */
    static WatermarkStrategy<IngestedRecord> watermarks(PipelineSettings settings) {
        return WatermarkStrategy.<IngestedRecord>forBoundedOutOfOrderness(settings.maxOutOfOrderness)
                .withTimestampAssigner(new IngestedTimestamps())
                .withIdleness(settings.idleness);
    }
}
