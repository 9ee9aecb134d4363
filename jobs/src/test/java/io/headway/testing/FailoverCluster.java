package io.headway.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.util.concurrent.TimeUnit;

/**
 * A MiniCluster for tests that kill a TaskManager: two TaskManagers with two slots each, slots spread
 * evenly, so a parallelism-2 job lands on both (terminating either one fails running tasks) and the
 * survivor has the two slots the restarted job needs.
 */
public final class FailoverCluster {

    private FailoverCluster() {}

    public static MiniClusterExtension twoTaskManagers() {
        Configuration spreadOutSlots = new Configuration();
        spreadOutSlots.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        return MiniClusters.cluster(2, MiniClusters.PARALLELISM, spreadOutSlots);
    }

    /** The job's checkpoint statistics: how many completed, and which was restored. */
    public static CheckpointStatsSnapshot checkpoints(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS).getCheckpointStatsSnapshot();
    }
}
