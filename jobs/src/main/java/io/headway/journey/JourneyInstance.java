package io.headway.journey;

import java.util.Arrays;

/**
 * One journey instance of one account. While open it holds what its records report; once completed
 * or abandoned only the identity and outcome stay (what re-entry needs), and the arrays are dropped.
 * A Flink POJO of arrays: no Kryo, a few hundred bytes while open.
 */
public class JourneyInstance {

    public static final long NOT_REACHED = Long.MIN_VALUE;

    public String journey;
    public int number;
    /** Records emitted so far for this instance. */
    public int sequence;
    public boolean open;
    /** While open: on the way; once closed: completed or abandoned. */
    public String outcome;
    public long startedAt;
    public long endedAt = Long.MIN_VALUE;
    public long lastActivityAt;

    /** Per milestone of the definition, when it was reached, or {@link #NOT_REACHED}. */
    public long[] reachedAt = new long[0];

    public String[] sources = new String[0];
    public long[] sourceCounts = new long[0];
    public long touchpoints;

    public String[] surveys = new String[0];
    public int[] surveyAnswers = new int[0];
    public double[] surveySum = new double[0];
    public double[] surveyLast = new double[0];
    public long[] surveyLastAt = new long[0];

    public JourneyInstance() {}

    static JourneyInstance open(String journey, int number, long startedAt, int milestones) {
        JourneyInstance i = new JourneyInstance();
        i.journey = journey;
        i.number = number;
        i.open = true;
        i.outcome = JourneyFunction.ON_THE_WAY;
        i.startedAt = startedAt;
        i.lastActivityAt = startedAt;
        i.reachedAt = new long[milestones];
        Arrays.fill(i.reachedAt, NOT_REACHED);
        return i;
    }

    void reopen() {
        open = true;
        outcome = JourneyFunction.ON_THE_WAY;
        endedAt = Long.MIN_VALUE;
    }

    /** Keeps identity and outcome only: the summary re-entry decisions need. */
    void close(String how, long at) {
        open = false;
        outcome = how;
        endedAt = at;
    }

    /** Drops what only an open instance needs; a re-opened abandoned instance starts its counts again. */
    void compact() {
        sources = new String[0];
        sourceCounts = new long[0];
        surveys = new String[0];
        surveyAnswers = new int[0];
        surveySum = new double[0];
        surveyLast = new double[0];
        surveyLastAt = new long[0];
    }

    void count(String source, long at) {
        touchpoints++;
        lastActivityAt = Math.max(lastActivityAt, at);
        for (int i = 0; i < sources.length; i++) {
            if (sources[i].equals(source)) {
                sourceCounts[i]++;
                return;
            }
        }
        sources = Arrays.copyOf(sources, sources.length + 1);
        sourceCounts = Arrays.copyOf(sourceCounts, sourceCounts.length + 1);
        sources[sources.length - 1] = source;
        sourceCounts[sourceCounts.length - 1] = 1;
    }

    void answer(String survey, double value, long at) {
        int i = 0;
        while (i < surveys.length && !surveys[i].equals(survey)) {
            i++;
        }
        if (i == surveys.length) {
            surveys = Arrays.copyOf(surveys, i + 1);
            surveyAnswers = Arrays.copyOf(surveyAnswers, i + 1);
            surveySum = Arrays.copyOf(surveySum, i + 1);
            surveyLast = Arrays.copyOf(surveyLast, i + 1);
            surveyLastAt = Arrays.copyOf(surveyLastAt, i + 1);
            surveys[i] = survey;
            surveyLastAt[i] = Long.MIN_VALUE;
        }
        surveyAnswers[i]++;
        surveySum[i] += value;
        // Latest by event time, so a late-but-allowed answer does not overwrite a newer one; at one
        // instant the higher answer, so arrival order never decides.
        if (at > surveyLastAt[i] || (at == surveyLastAt[i] && value > surveyLast[i])) {
            surveyLast[i] = value;
            surveyLastAt[i] = at;
        }
    }

    String instanceId(String account) {
        return account + "/" + journey + "/" + number;
    }
}
