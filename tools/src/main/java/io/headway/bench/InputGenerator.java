package io.headway.bench;

import io.headway.generator.Malformation;
import io.headway.generator.MalformedRecords;
import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointJson;
import io.headway.ingest.TouchpointVocabulary;
import io.headway.schema.Touchpoint;

import org.apache.flink.util.NumberSequenceIterator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates a benchmark input that looks like a month of production traffic, deterministically for a
 * seed and an anchor instant:
 *
 * <ul>
 *   <li>valid touchpoints of every source and type of {@link TouchpointVocabulary}, product usage
 *       dominating, with a user on most and one to three attributes each, and a value where the type
 *       has one (survey answers, invoices, seats, outcomes);
 *   <li>accounts Zipf-distributed (exponent 0.7): a few busy accounts, a long tail of quiet ones;
 *   <li>occurred_at advancing evenly over {@link #SPAN} before the anchor, each record up to
 *       {@link #MAX_JITTER} earlier than its slot (out of order, well inside the 5-minute watermark bound);
 *   <li>{@link #DUPLICATE_SHARE} re-sends of a valid record from the last two minutes (same bytes, a
 *       producer retry: de-duplicated, never late);
 *   <li>{@link #MALFORMED_SHARE} malformed records of every JSON kind the event generator makes
 *       ({@link Malformation}).
 * </ul>
 */
public final class InputGenerator {

    public static final Duration SPAN = Duration.ofDays(30);
    private static final List<Malformation> JSON_MALFORMATIONS = Malformation.forFormat(InputFormat.JSON);
    public static final Duration MAX_JITTER = Duration.ofSeconds(59);
    public static final double DUPLICATE_SHARE = 0.01;
    public static final double MALFORMED_SHARE = 0.005;
    static final Duration DUPLICATE_LOOKBACK = Duration.ofMinutes(2);
    static final double ZIPF_EXPONENT = 0.7;

    /** A source, its share of all touchpoints, and its types (repeats weigh a type up). */
    private record SourceMix(String source, double share, String... types) {}

    private static final List<SourceMix> MIX =
            List.of(
                    new SourceMix("product", 0.55, "login", "login", "feature_used", "feature_used",
                            "feature_used", "user_invited", "user_removed"),
                    new SourceMix("onboarding", 0.05, "journey_started", "milestone_reached", "milestone_reached"),
                    new SourceMix("support", 0.10, "ticket_opened", "ticket_escalated", "ticket_reopened",
                            "ticket_resolved"),
                    new SourceMix("education", 0.06, "course_started", "course_completed", "webinar_attended"),
                    new SourceMix("services", 0.03, "engagement_started", "session_held", "engagement_completed"),
                    new SourceMix("billing", 0.06, "subscription_started", "plan_changed", "seats_changed",
                            "invoice_issued", "invoice_paid", "invoice_overdue", "subscription_cancelled"),
                    new SourceMix("survey", 0.04, "survey_answered"),
                    new SourceMix("success", 0.08, "meeting_held", "alert_acknowledged", "alert_snoozed"),
                    new SourceMix("outcome", 0.03, "goal_set", "outcome_measured"));

    private static final String[] FEATURES = {
        "dashboards", "reports", "exports", "api", "alerts", "sso", "integrations", "search", "workflows",
        "audit-log", "sharing", "comments", "templates", "mobile", "webhooks", "permissions", "scheduler",
        "forecasts", "imports", "billing-portal"
    };
    private static final String[] CLIENTS = {"web", "web", "web", "ios", "android", "api"};
    private static final String[] PLANS = {"starter", "team", "business", "enterprise"};
    /** The default customer model's onboarding milestones, so the journey function has work to do. */
    private static final String[] MILESTONES = {
        "kickoff", "integration_connected", "data_imported", "first_report", "team_invited", "first_value"
    };
    private static final String[] CHANNELS = {"email", "in-app", "chat", "phone"};
    private static final String[] CSMS = {"ana", "bjorn", "chen", "dara", "emeka", "farah"};

    private final SplittableRandom random;
    private final int accounts;
    private final String[] accountIds;
    private final double[] accountCdf;
    private final double[] sourceCdf;

    private InputGenerator(long seed, int accounts) {
        this.random = new SplittableRandom(seed);
        this.accounts = accounts;
        this.accountIds = new String[accounts];
        this.accountCdf = new double[accounts];
        double sum = 0;
        for (int k = 0; k < accounts; k++) {
            accountIds[k] = "acct-" + k;
            sum += Math.pow(k + 1, -ZIPF_EXPONENT);
            accountCdf[k] = sum;
        }
        for (int k = 0; k < accounts; k++) {
            accountCdf[k] /= sum;
        }
        this.sourceCdf = new double[MIX.size()];
        double s = 0;
        TouchpointVocabulary vocabulary = TouchpointVocabulary.standard();
        for (int i = 0; i < MIX.size(); i++) {
            SourceMix mix = MIX.get(i);
            s += mix.share();
            sourceCdf[i] = s;
            if (!vocabulary.isKnownSource(mix.source())) {
                throw new IllegalStateException("not a vocabulary source: " + mix.source());
            }
            for (String type : mix.types()) {
                if (!vocabulary.isKnownType(type)) {
                    throw new IllegalStateException("not a vocabulary type: " + type);
                }
            }
        }
        sourceCdf[MIX.size() - 1] = 1.0;
    }

    /**
     * @param end the anchor: every occurred_at is in [end - SPAN - MAX_JITTER, end)
     * @param parallelism the source parallelism the records are laid out for
     */
    public static BenchmarkInput generate(int events, int accounts, long seed, Instant end, int parallelism) {
        return generate(events, accounts, seed, end, SPAN, parallelism);
    }

    /** @param span event time covered by the input, ending at {@code end} */
    public static BenchmarkInput generate(int events, int accounts, long seed, Instant end, Duration span, int parallelism) {
        if (events < 1 || accounts < 1 || parallelism < 1) {
            throw new IllegalArgumentException("events, accounts and parallelism must be positive");
        }
        return new InputGenerator(seed, accounts).generate(events, end.toEpochMilli(), span.toMillis(), parallelism);
    }

    private BenchmarkInput generate(int n, long endMillis, long span, int parallelism) {
        long start = endMillis - span;
        double slotMillis = (double) span / n;
        int lookback = (int) Math.max(1, Math.min(1_000_000, DUPLICATE_LOOKBACK.toMillis() / slotMillis));

        byte[][] values = new byte[n][];
        int[] accountIndex = new int[n];
        long[] kafkaTimestamps = new long[n];
        boolean[] valid = new boolean[n];
        BitSet activeAccounts = new BitSet(accounts);
        int malformed = 0;
        int duplicates = 0;
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        for (int i = 0; i < n; i++) {
            long slot = start + (long) (i * slotMillis);
            double u = random.nextDouble();
            kafkaTimestamps[i] = slot + random.nextInt(2_000);
            if (u < DUPLICATE_SHARE && i > 0) {
                int j = i - 1 - random.nextInt(Math.min(lookback, i));
                if (valid[j]) {
                    values[i] = values[j];
                    accountIndex[i] = accountIndex[j];
                    valid[i] = true;
                    duplicates++;
                    bytes += values[i].length;
                    continue;
                }
            }
            int account = account();
            long occurredAt = slot - random.nextLong(MAX_JITTER.toMillis() + 1);
            Touchpoint t = touchpoint(account, occurredAt);
            accountIndex[i] = account;
            if (u >= DUPLICATE_SHARE && u < DUPLICATE_SHARE + MALFORMED_SHARE) {
                values[i] = malformed(t);
                malformed++;
            } else {
                values[i] = TouchpointJson.toJson(t);
                valid[i] = true;
                activeAccounts.set(account);
                first = Math.min(first, occurredAt);
                last = Math.max(last, occurredAt);
            }
            bytes += values[i].length;
        }

        int[] position = layout(n, parallelism);
        byte[][] laidOutValues = new byte[n][];
        int[] laidOutAccounts = new int[n];
        long[] laidOutTimestamps = new long[n];
        for (int i = 0; i < n; i++) {
            laidOutValues[position[i]] = values[i];
            laidOutAccounts[position[i]] = accountIndex[i];
            laidOutTimestamps[position[i]] = kafkaTimestamps[i];
        }
        byte[][] keys = new byte[accounts][];
        for (int k = 0; k < accounts; k++) {
            keys[k] = accountIds[k].getBytes(StandardCharsets.UTF_8);
        }
        return new BenchmarkInput(
                laidOutValues,
                laidOutAccounts,
                laidOutTimestamps,
                keys,
                malformed,
                duplicates,
                activeAccounts.cardinality(),
                bytes,
                Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last));
    }

    /**
     * Where the i-th record in time order goes: dealt round-robin over the index ranges that
     * DataGeneratorSource (NumberSequenceSource) gives its readers, so each reader replays in order.
     */
    static int[] layout(int n, int parallelism) {
        int[] position = new int[n];
        if (parallelism == 1) {
            Arrays.setAll(position, i -> i);
            return position;
        }
        NumberSequenceIterator[] splits = new NumberSequenceIterator(0, n - 1).split(parallelism);
        long[] next = new long[splits.length];
        long[] to = new long[splits.length];
        for (int s = 0; s < splits.length; s++) {
            next[s] = splits[s].getCurrent();
            to[s] = splits[s].getTo();
        }
        int s = 0;
        for (int i = 0; i < n; i++) {
            while (next[s] > to[s]) {
                s = (s + 1) % splits.length;
            }
            position[i] = (int) next[s]++;
            s = (s + 1) % splits.length;
        }
        return position;
    }

    private int account() {
        int k = Arrays.binarySearch(accountCdf, random.nextDouble());
        return Math.min(k >= 0 ? k : -k - 1, accounts - 1);
    }

    private Touchpoint touchpoint(int account, long occurredAt) {
        double u = random.nextDouble();
        int m = 0;
        while (sourceCdf[m] < u) {
            m++;
        }
        String source = MIX.get(m).source();
        String type = pick(MIX.get(m).types());
        String accountId = accountIds[account];
        String user = random.nextInt(10) < 8 ? "user-" + account + "-" + random.nextInt(25) : null;
        Map<String, String> attributes = new HashMap<>(8);
        Double value = null;
        switch (source) {
            case "product":
                attributes.put("feature", pick(FEATURES));
                attributes.put("client", pick(CLIENTS));
                break;
            case "onboarding":
                attributes.put("journey", "onboarding");
                if (type.equals("milestone_reached")) {
                    attributes.put("milestone", pick(MILESTONES));
                }
                break;
            case "support":
                attributes.put("ticket_id", "T-" + (100_000 + random.nextInt(900_000)));
                attributes.put("priority", "p" + (1 + random.nextInt(4)));
                attributes.put("channel", pick(CHANNELS));
                break;
            case "education":
                attributes.put("course_id", "course-" + random.nextInt(40));
                break;
            case "services":
                attributes.put("engagement_id", "eng-" + account + "-" + random.nextInt(3));
                break;
            case "billing":
                attributes.put("plan", pick(PLANS));
                if (type.startsWith("invoice")) {
                    attributes.put("invoice_id", "INV-" + (1_000_000 + random.nextInt(9_000_000)));
                    value = Math.round(random.nextDouble(100, 50_000) * 100) / 100.0;
                } else if (type.equals("seats_changed")) {
                    value = (double) (1 + random.nextInt(500));
                }
                break;
            case "survey":
                attributes.put("survey_id", "nps-" + random.nextInt(6));
                attributes.put("channel", pick(CHANNELS));
                value = (double) random.nextInt(11);
                break;
            case "success":
                attributes.put("csm", pick(CSMS));
                break;
            default: // outcome
                attributes.put("goal_id", "goal-" + account + "-" + random.nextInt(4));
                if (type.equals("outcome_measured")) {
                    value = Math.round(random.nextDouble(0, 1_000) * 10) / 10.0;
                }
        }
        String eventId = new UUID(random.nextLong(), random.nextLong()).toString();
        return new Touchpoint(eventId, accountId, user, occurredAt, source, type, value, attributes);
    }

    /** The generator's broken records (each kind is one the job's parser rejects with a known reason). */
    private byte[] malformed(Touchpoint t) {
        return MalformedRecords.create(JSON_MALFORMATIONS.get(random.nextInt(JSON_MALFORMATIONS.size())), t, InputFormat.JSON, random);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }


}
