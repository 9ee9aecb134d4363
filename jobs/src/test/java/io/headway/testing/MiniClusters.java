package io.headway.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The one MiniCluster the ITCases run on: one TaskManager with two slots, for jobs at parallelism 2
 * (the house style's ITCase shape). Declare it as
 * {@code @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.parallelismTwo();}.
 * Tests that kill a TaskManager use {@link FailoverCluster}, built here too.
 */
public final class MiniClusters {

    /** The parallelism the ITCases submit at; the cluster has exactly these slots. */
    public static final int PARALLELISM = 2;

    private MiniClusters() {}

    public static MiniClusterExtension parallelismTwo() {
        return parallelismTwo(new Configuration());
    }

    /** With extra cluster settings, e.g. a metrics reporter the test reads. */
    public static MiniClusterExtension parallelismTwo(Configuration configuration) {
        return cluster(1, PARALLELISM, configuration);
    }

    static MiniClusterExtension cluster(int taskManagers, int slotsPerTaskManager, Configuration configuration) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .setConfiguration(configuration)
                        .build());
    }
}
