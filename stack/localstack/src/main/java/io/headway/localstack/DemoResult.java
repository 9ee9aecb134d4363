package io.headway.localstack;

import io.headway.generator.GeneratorReport;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What one demo run did, for the console summary and for tests. */
public final class DemoResult {

    /** Final Flink job status, e.g. {@code FINISHED}. */
    public String jobStatus;
    /** Records in the touchpoints topic when the job started (what the bounded job reads). */
    public long eventsInKafka;
    /** What the generator wrote, with its ground truth. */
    public GeneratorReport generatorReport;
    /** Accounts the generator simulated. */
    public Set<String> generatedAccountIds;
    /** Final ingestion counters by {@link io.headway.ingest.IngestMetrics} name. */
    public Map<String, Long> counters;
    public Map<String, Long> deadLettersByReason;
    /** Records on the dead-letter and late topics when the job ended. */
    public long deadLetterRecords;
    public long lateRecords;
    public long activityRecords;
    public long journeyRecords;
    public long scoreRecords;
    public long goalRecords;
    /** The alert topic, read committed. */
    AlertTally alerts;
    /** Accounts with a row in {@code account_activity} at the end. */
    public Set<String> accountIds;
    public List<String> sampleRows;
    /** Rows per analyst table and view at the end (docs/analysts.md). */
    public Map<String, Long> tableRows;
    /** Seconds from the start (the script's, when it says) to the first row in PostgreSQL; -1 if none. */
    public double secondsToFirstRow = -1;
    public double secondsToJobStart;
    public double totalSeconds;
    public long brokerPid = -1;
    public long postgresPid = -1;
    public String webUiUrl;

    public long counter(String name) {
        return counters == null ? 0 : counters.getOrDefault(name, 0L);
    }
}
