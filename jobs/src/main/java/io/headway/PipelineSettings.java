package io.headway;

import io.headway.config.HeadwayConfig;
import io.headway.model.CustomerModel;

import java.io.Serializable;
import java.time.Duration;

/**
 * The event-time and state settings {@link HeadwayJob#defineWorkflow} needs; I/O settings stay in
 * {@link HeadwayConfig}, so tests can run the workflow without inventing brokers and URLs.
 */
public final class PipelineSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    public final Duration maxOutOfOrderness;
    public final Duration idleness;
    public final Duration allowedLateness;
    public final Duration dedupHorizon;
    public final Duration activityEmitInterval;
    /** Journeys and goal settings (and, later, scores and rules): what the keyed functions compute. */
    public final CustomerModel customerModel;

    public PipelineSettings(
            Duration maxOutOfOrderness,
            Duration idleness,
            Duration allowedLateness,
            Duration dedupHorizon,
            Duration activityEmitInterval,
            CustomerModel customerModel) {
        this.maxOutOfOrderness = maxOutOfOrderness;
        this.idleness = idleness;
        this.allowedLateness = allowedLateness;
        this.dedupHorizon = dedupHorizon;
        this.activityEmitInterval = activityEmitInterval;
        this.customerModel = customerModel;
    }

    public static PipelineSettings from(HeadwayConfig c) {
        return new PipelineSettings(
                c.get(HeadwayConfig.WATERMARK_OUT_OF_ORDERNESS),
                c.get(HeadwayConfig.WATERMARK_IDLENESS),
                c.get(HeadwayConfig.WATERMARK_ALLOWED_LATENESS),
                c.get(HeadwayConfig.DEDUP_HORIZON),
                c.get(HeadwayConfig.ACTIVITY_EMIT_INTERVAL),
                c.customerModel());
    }

    /** The documented defaults of every key. */
    public static PipelineSettings defaults() {
        return new PipelineSettings(
                Duration.ofMinutes(5),
                Duration.ofMinutes(1),
                Duration.ZERO,
                Duration.ofDays(1),
                Duration.ofHours(1),
                CustomerModel.defaults());
    }

    public PipelineSettings withMaxOutOfOrderness(Duration d) {
        return new PipelineSettings(d, idleness, allowedLateness, dedupHorizon, activityEmitInterval, customerModel);
    }

    public PipelineSettings withAllowedLateness(Duration d) {
        return new PipelineSettings(maxOutOfOrderness, idleness, d, dedupHorizon, activityEmitInterval, customerModel);
    }

    public PipelineSettings withActivityEmitInterval(Duration d) {
        return new PipelineSettings(maxOutOfOrderness, idleness, allowedLateness, dedupHorizon, d, customerModel);
    }
}
