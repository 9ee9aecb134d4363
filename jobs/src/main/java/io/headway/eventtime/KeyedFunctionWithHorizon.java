package io.headway.eventtime;

import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * A keyed function that knows how far a bounded input's data reached on its subtask
 * ({@link EndOfInputHorizon}), checkpointed with it. Subclasses call {@code horizon.see(t)} per input
 * and read {@code horizon.get()} when the watermark reaches +infinity.
 */
public abstract class KeyedFunctionWithHorizon<K, I, O> extends KeyedProcessFunction<K, I, O>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    /** The latest event time this subtask has seen, for the end of a bounded input. */
    protected final EndOfInputHorizon horizon;

    protected KeyedFunctionWithHorizon(String horizonStateName) {
        this.horizon = new EndOfInputHorizon(horizonStateName);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        horizon.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        horizon.snapshot();
    }
}
