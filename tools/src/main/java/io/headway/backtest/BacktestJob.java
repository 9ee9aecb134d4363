package io.headway.backtest;

import io.headway.HeadwayJob;
import io.headway.PipelineSettings;
import io.headway.backtest.fit.RiskSampler;
import io.headway.WorkflowSinks;
import io.headway.config.HeadwayConfig;
import io.headway.ingest.TouchpointParser;
import io.headway.ingest.TouchpointSource;
import io.headway.schema.IngestedRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Clock;
import java.util.UUID;

/**
 * One pass of the history through the production workflow ({@link HeadwayJob#defineWorkflow}) on a
 * local MiniCluster: a bounded file source whose readers call the production parser, the job's own
 * watermarks, validation and end-of-input, and sinks into a {@link RunCollector}. Also the floor
 * pass (the same source, parse, discard) the throughput measurement compares it with.
 */
final class BacktestJob {

    static final String SOURCE_NAME = "History files";

    private BacktestJob() {}

    /** The file source over the history; every reader parses with {@code parser}. */
    static FileSource<IngestedRecord> source(HistoryFiles files, TouchpointParser parser, int parallelism, String runId) {
        HistoryFormat format = new HistoryFormat(parser, files, parallelism, runId);
        Path[] paths = files.files.stream().map(p -> new Path(p.toUri())).toArray(Path[]::new);
        return FileSource.forBulkFileFormat(format, paths).setFileEnumerator(format.enumerator()).build();
    }

    /** The parser as the job builds it, with the clock of this run (validation.max-past is relative to it). */
    static TouchpointParser parser(HeadwayConfig config) {
        return TouchpointSource.parser(config, Clock.systemUTC());
    }

    /** Runs the whole workflow; the collector holds what it produced. */
    static RunCollector run(HeadwayConfig config, HistoryFiles files, int parallelism, String label, boolean alertLines, Progress.Factory progress)
            throws Exception {
        return run(config, files, parallelism, label, alertLines, progress, null);
    }

    /** Runs the whole workflow; with a {@code sampler}, its risk re-assessments go to it (the fit). */
    static RunCollector run(HeadwayConfig config, HistoryFiles files, int parallelism, String label, boolean alertLines, Progress.Factory progress,
            RiskSampler sampler) throws Exception {
        String runId = label + "-" + UUID.randomUUID();
        RunCollector run = RunRegistry.open(runId, alertLines, label);
        run.sampler = sampler;
        try {
            Configuration engine = HeadwayJob.engineConfiguration(config);
            DuplicateCounter.install(engine, runId);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, engine);
            HeadwayJob.defineWorkflow(
                    env,
                    source(files, parser(config), parallelism, runId),
                    PipelineSettings.from(config),
                    WorkflowSinks.create()
                            .alerts(s -> s.sinkTo(new RunSink<>(runId, RunSink.Output.ALERTS)).uid("backtest-alerts").name("Backtest alerts"))
                            .deadLetters(s -> s.sinkTo(new RunSink<>(runId, RunSink.Output.DEAD_LETTERS))
                                    .uid("backtest-dead-letters").name("Backtest dead letters"))
                            .late(s -> s.sinkTo(new RunSink<>(runId, RunSink.Output.LATE)).uid("backtest-late").name("Backtest late records"))
                            .risk(s -> s.sinkTo(new RunSink<>(runId, RunSink.Output.RISK)).uid("backtest-risk").name("Backtest risk updates")));
            try (Progress p = progress.start(label, run.recordsRead::sum)) {
                env.execute(config.get(HeadwayConfig.JOB_NAME) + " (" + label + ")");
            }
            return run;
        } finally {
            RunRegistry.close(runId);
        }
    }

    /** The read+parse floor: the same source and parser, every record discarded. Returns the records read. */
    static long floor(HeadwayConfig config, HistoryFiles files, int parallelism, Progress.Factory progress) throws Exception {
        String runId = "floor-" + UUID.randomUUID();
        RunCollector run = RunRegistry.open(runId, false, "floor");
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, HeadwayJob.engineConfiguration(config));
            env.fromSource(source(files, parser(config), parallelism, runId), WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                    .uid("touchpoint-source").name(SOURCE_NAME)
                    .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()).uid("discard").name("Discard");
            try (Progress p = progress.start("floor", run.recordsRead::sum)) {
                env.execute("headway-backtest-floor");
            }
            return run.recordsRead.sum();
        } finally {
            RunRegistry.close(runId);
        }
    }
}
