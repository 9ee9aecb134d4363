package io.headway.eventtime;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

import java.util.List;

/**
 * How far a bounded input's data reached on one subtask: the latest event time it has seen, kept in
 * operator state. When the input ends the watermark jumps to +infinity, and the last watermark
 * before that depends on which partition ended first, i.e. on timing. Keyed functions that must not
 * fast-forward an account "to the end of time" fire, at the end of input, exactly what lies at or
 * before this horizon: the same set on every run, and after a restore from a checkpoint (the value is
 * snapshotted; without the state, a restored subtask would only know what it saw since the restore).
 *
 * <p>On rescaling, a subtask takes the maximum of the values it is given, which may be another
 * subtask's horizon: exact only at the parallelism the checkpoint was taken with.
 */
public final class EndOfInputHorizon implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final ListStateDescriptor<Long> descriptor;
    private transient ListState<Long> state;
    private long latest = Long.MIN_VALUE;

    public EndOfInputHorizon(String name) {
        this.descriptor = new ListStateDescriptor<>(name, Types.LONG);
    }

    /** From the function's {@code initializeState}, which runs before {@code open}. */
    public void initialize(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getListState(descriptor);
        latest = Long.MIN_VALUE;
        for (Long t : state.get()) {
            latest = Math.max(latest, t);
        }
    }

    /** From the function's {@code snapshotState}. */
    public void snapshot() throws Exception {
        state.update(latest == Long.MIN_VALUE ? List.of() : List.of(latest));
    }

    public void see(long eventTime) {
        if (eventTime > latest) {
            latest = eventTime;
        }
    }

    /** The latest event time seen, or {@code Long.MIN_VALUE}. */
    public long get() {
        return latest;
    }
}
