package io.headway.backtest;

import io.headway.backtest.fit.RiskSampler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The results of one backtest job, filled by its source readers and sinks (several threads) and read
 * by the command once the job has finished. It keeps only what the scorecard needs: compact risk
 * openings and win times, not the alert records; the alert lines only when they are written out.
 */
final class RunCollector {

    /** A risk alert that opened (kind risk, reason fired) at event time {@code openedAt}. */
    record Opening(String accountId, String rule, int ruleVersion, long openedAt) {}

    /** A line of an output file with the key that orders the file. */
    record Line(String key, String json) {}

    final boolean collectAlertLines;
    final String modelLabel;
    /** Records handed to the parser so far: the progress, updated by every reader as it goes. */
    final LongAdder recordsRead = new LongAdder();
    /** Valid touchpoints the job dropped as duplicates (its own counter, see {@link DuplicateCounter}). */
    final LongAdder duplicates = new LongAdder();
    /** The fit's sampler of risk re-assessments ({@code --fit}), or null: then they are not collected. */
    volatile RiskSampler sampler;

    private long valid;
    private final Map<String, long[]> accountSpans = new HashMap<>();
    private final List<Opening> openings = new ArrayList<>();
    private final List<Long> wins = new ArrayList<>();
    private final List<Line> alertLines = new ArrayList<>();
    private final List<Line> deadLetterLines = new ArrayList<>();
    private final Map<String, Long> deadLettersByReason = new TreeMap<>();
    private final Map<String, Long> lateByReason = new TreeMap<>();

    RunCollector(boolean collectAlertLines, String modelLabel) {
        this.collectAlertLines = collectAlertLines;
        this.modelLabel = modelLabel;
    }

    /** A reader's tallies for one file: valid records and each account's first and last event time. */
    synchronized void mergeReader(long validRecords, Map<String, long[]> spans) {
        valid += validRecords;
        spans.forEach((account, span) -> accountSpans.merge(account, span, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
    }

    synchronized void opening(Opening o) {
        openings.add(o);
    }

    synchronized void win(long at) {
        wins.add(at);
    }

    synchronized void alertLine(Line line) {
        alertLines.add(line);
    }

    synchronized void deadLetter(String reasonCode, Line line) {
        deadLettersByReason.merge(reasonCode, 1L, Long::sum);
        deadLetterLines.add(line);
    }

    synchronized void late(String reason) {
        lateByReason.merge(reason, 1L, Long::sum);
    }

    synchronized long valid() {
        return valid;
    }

    synchronized Map<String, long[]> accountSpans() {
        return new HashMap<>(accountSpans);
    }

    synchronized List<Opening> openings() {
        return new ArrayList<>(openings);
    }

    synchronized List<Long> wins() {
        return new ArrayList<>(wins);
    }

    synchronized List<Line> alertLines() {
        return new ArrayList<>(alertLines);
    }

    synchronized List<Line> deadLetterLines() {
        return new ArrayList<>(deadLetterLines);
    }

    synchronized Map<String, Long> deadLettersByReason() {
        return new TreeMap<>(deadLettersByReason);
    }

    synchronized Map<String, Long> lateByReason() {
        return new TreeMap<>(lateByReason);
    }
}
