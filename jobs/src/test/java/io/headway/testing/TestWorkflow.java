package io.headway.testing;

import io.headway.HeadwayJob;
import io.headway.PipelineSettings;
import io.headway.WorkflowSinks;
import io.headway.config.HeadwayConfig;
import io.headway.schema.ActivitySummary;
import io.headway.schema.Alert;
import io.headway.schema.DeadLetter;
import io.headway.schema.GoalUpdate;
import io.headway.schema.JourneyUpdate;
import io.headway.schema.LateTouchpoint;
import io.headway.schema.RiskUpdate;
import io.headway.schema.ScoreUpdate;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the production workflow ({@link HeadwayJob#defineWorkflow}) on the test's MiniCluster
 * ({@link MiniClusters#parallelismTwo()}) at parallelism 2, over a {@link BoundedInput}, with every
 * output of {@link WorkflowSinks} wired to a {@link CollectingSink}: no broker, no database. Returns
 * when the bounded job has finished, with what each output received.
 *
 * <pre>{@code
 * try (TestWorkflow run = TestWorkflow.run(BoundedInput.of(List.of(login("acme", DAY_1))))) {
 *     assertThat(run.activity()).extracting(ActivitySummary::getAccountId).containsOnly("acme");
 * }
 * }</pre>
 */
public final class TestWorkflow implements AutoCloseable {

    private final CollectingSink<ActivitySummary> activity = new CollectingSink<>();
    private final CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    private final CollectingSink<LateTouchpoint> late = new CollectingSink<>();
    private final CollectingSink<JourneyUpdate> journeys = new CollectingSink<>();
    private final CollectingSink<ScoreUpdate> scores = new CollectingSink<>();
    private final CollectingSink<GoalUpdate> goals = new CollectingSink<>();
    private final CollectingSink<Alert> alerts = new CollectingSink<>();
    private final CollectingSink<RiskUpdate> risk = new CollectingSink<>();

    private final BoundedInput input;

    private TestWorkflow(BoundedInput input) {
        this.input = input;
        // The activity output follows the accepting operator in one chain: a watermark that reached
        // its writers has reached the late-record check of the same subtask.
        activity.reportingWatermarksTo(input.watermarkProbe());
    }

    /** With the documented defaults of every setting and the default customer model. */
    public static TestWorkflow run(BoundedInput input) throws Exception {
        return run(PipelineSettings.defaults(), input);
    }

    public static TestWorkflow run(PipelineSettings settings, BoundedInput input) throws Exception {
        return run(settings, input, sinks -> {});
    }

    /** With {@code more} wiring further outputs too, e.g. a database sink beside the collected records. */
    public static TestWorkflow run(PipelineSettings settings, BoundedInput input, Consumer<WorkflowSinks> more) throws Exception {
        TestWorkflow run = new TestWorkflow(input);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(HeadwayJob.engineConfiguration(ENGINE));
        env.setParallelism(MiniClusters.PARALLELISM);
        WorkflowSinks sinks = run.sinks();
        more.accept(sinks);
        HeadwayJob.defineWorkflow(env, input, settings, sinks);
        env.execute("headway-workflow-test");
        return run;
    }

    /**
     * The production engine settings (no Kryo, object reuse), without checkpoints or restarts: a
     * bounded run that fails should fail the test at once. Watermarks every 20 ms, so a
     * {@link BoundedInput.Builder#pauseUntilWatermark} is short. The broker is never contacted.
     */
    private static final HeadwayConfig ENGINE = HeadwayConfig.of(
            Map.of(
                    HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS.name(), "unused.invalid:9092",
                    HeadwayConfig.CHECKPOINT_INTERVAL.name(), "0 s",
                    HeadwayConfig.RESTART_ATTEMPTS.name(), "0",
                    HeadwayConfig.FLINK_PREFIX + "pipeline.auto-watermark-interval", "20 ms"),
            Map.of());

    /** Every Kafka output to its collecting sink; the database outputs get the same streams, so they stay unwired. */
    private WorkflowSinks sinks() {
        return WorkflowSinks.create()
                .activity(to(activity, "activity"))
                .deadLetters(to(deadLetters, "dead-letters"))
                .late(to(late, "late"))
                .journeys(to(journeys, "journeys"))
                .scores(to(scores, "scores"))
                .goals(to(goals, "goals"))
                .alerts(to(alerts, "alerts"))
                .risk(to(risk, "risk"));
    }

    private static <T> Consumer<DataStream<T>> to(CollectingSink<T> sink, String output) {
        return stream -> stream.sinkTo(sink).uid("collect-" + output).name("Collect " + output);
    }

    public List<ActivitySummary> activity() {
        return activity.values();
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters.values();
    }

    public List<LateTouchpoint> late() {
        return late.values();
    }

    public List<JourneyUpdate> journeys() {
        return journeys.values();
    }

    public List<ScoreUpdate> scores() {
        return scores.values();
    }

    public List<GoalUpdate> goals() {
        return goals.values();
    }

    public List<Alert> alerts() {
        return alerts.values();
    }

    /** Empty unless the customer model has a risk: section. */
    public List<RiskUpdate> risk() {
        return risk.values();
    }

    @Override
    public void close() {
        for (CollectingSink<?> sink : List.of(activity, deadLetters, late, journeys, scores, goals, alerts, risk)) {
            sink.close();
        }
        input.forget();
    }
}
