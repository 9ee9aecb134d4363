package io.headway.config;

import io.headway.ingest.InputFormat;
import io.headway.ingest.TouchpointVocabulary;
import io.headway.alert.AlertRules;
import io.headway.model.CustomerModel;
import io.headway.model.VocabularyCheck;
import io.headway.score.ScoreModel;
import io.headway.sink.OutputLimits;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The typed configuration of the Headway job: a properties file ({@code --config path}) overridden by
 * {@code --key value} arguments. Every key is a constant below with its default and meaning; unknown
 * keys and unreadable values fail at start with a message that names the key. Passwords are never
 * configuration values: {@code jdbc.password-env} / {@code jdbc.password-file} say where to read one.
 */
public final class HeadwayConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Keys under these prefixes are passed through to the Kafka clients and to Flink. */
    public static final String KAFKA_CONSUMER_PREFIX = "kafka.consumer.";
    public static final String KAFKA_PRODUCER_PREFIX = "kafka.producer.";
    public static final String FLINK_PREFIX = "flink.";

    /** How the job writes its Kafka outputs. */
    public enum Delivery {
        AT_LEAST_ONCE,
        EXACTLY_ONCE
    }

    /** Where a consumer group with no committed offsets starts reading. */
    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }

    public static final ConfigKey<String> JOB_NAME =
            ConfigKey.string("job.name", "Headway", "Name of the Flink job.");
    /**
     * 128 is what Flink derived for every earlier Headway deployment (parallelism up to 85), so their
     * savepoints keep restoring; docs/operations.md explains why it can never change for a running job.
     */
    public static final ConfigKey<Integer> JOB_MAX_PARALLELISM =
            ConfigKey.integer(
                    "job.max-parallelism",
                    "128",
                    "Key groups of all keyed state: the upper bound of any future parallelism; fixed for the life of the state (changing it loses the savepoint).");
    public static final ConfigKey<String> KAFKA_BOOTSTRAP_SERVERS =
            ConfigKey.string("kafka.bootstrap-servers", null, "Kafka bootstrap servers (required).");
    public static final ConfigKey<List<String>> INPUT_TOPICS =
            ConfigKey.list("input.topics", "touchpoints", "Comma-separated touchpoint topics.");
    public static final ConfigKey<InputFormat> INPUT_FORMAT =
            ConfigKey.enumeration("input.format", "json", InputFormat.class, "Default wire format of the input topics.");
    public static final ConfigKey<List<String>> INPUT_TOPIC_FORMATS =
            ConfigKey.list(
                    "input.topic-formats",
                    "",
                    "Per-topic format overrides as topic:format pairs, e.g. billing-events:avro.");
    public static final ConfigKey<String> INPUT_GROUP_ID =
            ConfigKey.string("input.group-id", "headway", "Kafka consumer group id.");
    public static final ConfigKey<StartingOffsets> INPUT_STARTING_OFFSETS =
            ConfigKey.enumeration(
                    "input.starting-offsets",
                    "committed",
                    StartingOffsets.class,
                    "Where to start without a checkpoint; committed falls back to earliest.");
    public static final ConfigKey<Boolean> INPUT_BOUNDED =
            ConfigKey.bool(
                    "input.bounded",
                    "false",
                    "Stop at the offsets that are latest when the job starts (replays, demo).");
    public static final ConfigKey<String> OUTPUT_ACTIVITY_TOPIC =
            ConfigKey.string("output.activity-topic", "headway.activity", "Topic of per-account activity summaries (JSON).");
    public static final ConfigKey<String> OUTPUT_JOURNEY_TOPIC =
            ConfigKey.string(
                    "output.journey-topic", "headway.journeys", "Topic of journey changelog records (JSON, key = account).");
    public static final ConfigKey<String> OUTPUT_SCORE_TOPIC =
            ConfigKey.string("output.score-topic", "headway.scores", "Topic of explained health score records (JSON), keyed by account.");
    public static final ConfigKey<String> OUTPUT_GOAL_TOPIC =
            ConfigKey.string(
                    "output.goal-topic", "headway.goals", "Topic of customer goal records (JSON, key = account).");
    public static final ConfigKey<String> OUTPUT_ALERT_TOPIC =
            ConfigKey.string(
                    "output.alert-topic",
                    "headway.alerts",
                    "Topic of alert transitions and wins (JSON, key = account); always written exactly-once.");
    public static final ConfigKey<String> OUTPUT_RISK_TOPIC =
            ConfigKey.string(
                    "output.risk-topic",
                    "headway.risk",
                    "Topic of account risk assessments (JSON, key = account); written only when the customer model has a risk: section.");
    public static final ConfigKey<String> OUTPUT_DEAD_LETTER_TOPIC =
            ConfigKey.string(
                    "output.dead-letter-topic", "headway.dead-letters", "Topic of rejected input records.");
    public static final ConfigKey<String> OUTPUT_LATE_TOPIC =
            ConfigKey.string("output.late-topic", "headway.late", "Topic of touchpoints later than the allowed lateness.");
    public static final ConfigKey<Delivery> OUTPUT_DELIVERY =
            ConfigKey.enumeration(
                    "output.delivery-guarantee", "at-least-once", Delivery.class, "Kafka sink guarantee.");
    public static final ConfigKey<String> OUTPUT_TRANSACTIONAL_ID_PREFIX =
            ConfigKey.string(
                    "output.transactional-id-prefix",
                    "headway",
                    "Transactional id prefix for exactly-once Kafka sinks; unique per job on a cluster.");
    public static final ConfigKey<Duration> OUTPUT_TRANSACTION_TIMEOUT =
            ConfigKey.duration(
                    "output.transaction-timeout",
                    "10 min",
                    "Kafka transaction timeout; at most the broker's transaction.max.timeout.ms (15 min by default).");
    public static final ConfigKey<String> JDBC_URL =
            ConfigKey.string("jdbc.url", "", "PostgreSQL JDBC URL; empty disables the database sink.");
    public static final ConfigKey<String> JDBC_USER =
            ConfigKey.string("jdbc.user", "postgres", "Database user.");
    public static final ConfigKey<String> JDBC_PASSWORD_ENV =
            ConfigKey.secretReference(
                    "jdbc.password-env",
                    "HEADWAY_JDBC_PASSWORD",
                    "Environment variable holding the database password (unset = no password).");
    public static final ConfigKey<String> JDBC_PASSWORD_FILE =
            ConfigKey.secretReference(
                    "jdbc.password-file", "", "File holding the database password; wins over jdbc.password-env.");
    public static final ConfigKey<Integer> JDBC_BATCH_SIZE =
            ConfigKey.integer("jdbc.batch-size", "500", "Rows per JDBC batch.");
    public static final ConfigKey<Duration> JDBC_BATCH_INTERVAL =
            ConfigKey.duration("jdbc.batch-interval", "1 s", "Longest time a row waits in a JDBC batch.");
    public static final ConfigKey<Integer> JDBC_MAX_RETRIES =
            ConfigKey.integer("jdbc.max-retries", "3", "Retries of a JDBC batch that failed for an infrastructure reason before the job restarts; refused rows go to dead_letters.");
    public static final ConfigKey<Duration> JDBC_SCORE_HISTORY_RETENTION =
            ConfigKey.duration(
                    "jdbc.score-history-retention",
                    "400 d",
                    "score_history rows older than this before the newest row are deleted, once a day; 0 keeps every row.");
    public static final ConfigKey<Boolean> JDBC_MIGRATE =
            ConfigKey.bool("jdbc.migrate", "true", "Create or migrate the tables at job start (idempotent).");
    public static final ConfigKey<Duration> WATERMARK_OUT_OF_ORDERNESS =
            ConfigKey.duration(
                    "watermark.max-out-of-orderness",
                    "5 min",
                    "How far out of event-time order touchpoints may arrive and still be exact.");
    public static final ConfigKey<Duration> WATERMARK_IDLENESS =
            ConfigKey.duration(
                    "watermark.idleness", "1 min", "A partition silent this long stops holding back event time.");
    public static final ConfigKey<Duration> WATERMARK_ALLOWED_LATENESS =
            ConfigKey.duration(
                    "watermark.allowed-lateness",
                    "0 s",
                    "Touchpoints behind the watermark by more than this go to the late output.");
    public static final ConfigKey<Duration> DEDUP_HORIZON =
            ConfigKey.duration(
                    "dedup.horizon",
                    "1 d",
                    "How long (event time) an event_id is remembered per account for de-duplication.");
    public static final ConfigKey<Integer> VALIDATION_MAX_PAYLOAD_BYTES =
            ConfigKey.integer(
                    "validation.max-payload-bytes",
                    "983040",
                    "Larger input records are dead letters; at most kafka.producer.max.request.size minus 64 KiB, so a valid record always fits the late output.");
    public static final ConfigKey<Duration> VALIDATION_MAX_PAST =
            ConfigKey.duration(
                    "validation.max-past", "1825 d", "Oldest accepted occurred_at, before the wall clock.");
    public static final ConfigKey<Duration> VALIDATION_MAX_FUTURE =
            ConfigKey.duration(
                    "validation.max-future", "1 d", "Newest accepted occurred_at, after the wall clock.");
    public static final ConfigKey<List<String>> VALIDATION_EXTRA_SOURCES =
            ConfigKey.list("validation.extra-sources", "", "Sources accepted besides the built-in ones.");
    public static final ConfigKey<List<String>> VALIDATION_EXTRA_TYPES =
            ConfigKey.list("validation.extra-types", "", "Touchpoint types accepted besides the built-in ones.");
    public static final ConfigKey<Integer> DEAD_LETTER_MAX_PAYLOAD_BYTES =
            ConfigKey.integer(
                    "dead-letter.max-payload-bytes",
                    "524288",
                    "Dead-letter payloads are cut to this size (the header says so) to fit Kafka's record limit.");
    public static final ConfigKey<Duration> ACTIVITY_EMIT_INTERVAL =
            ConfigKey.duration(
                    "activity.emit-interval",
                    "1 h",
                    "Event-time interval of activity summary updates; must divide one day.");
    public static final ConfigKey<String> MODEL_PATH =
            ConfigKey.string(
                    "model.path",
                    "",
                    "Customer model file (YAML: journeys and their milestones); empty = the bundled default model.");
    public static final ConfigKey<Boolean> ALERTS_REQUIRED =
            ConfigKey.bool(
                    "alerts.required",
                    "false",
                    "Refuse to start when the customer model has no alert rules (else the job runs without alerts and logs a warning).");
    public static final ConfigKey<Duration> CHECKPOINT_INTERVAL =
            ConfigKey.duration("checkpoint.interval", "30 s", "Checkpoint interval; 0 disables checkpointing (not with the Kafka alert sink, which is exactly-once).");
    public static final ConfigKey<String> CHECKPOINT_DIR =
            ConfigKey.string("checkpoint.dir", "", "Checkpoint storage URI (e.g. file:///var/headway/checkpoints); empty = Flink's setting.");
    public static final ConfigKey<Integer> RESTART_ATTEMPTS =
            ConfigKey.integer(
                    "restart.attempts",
                    "30",
                    "Restarts in a row (exponential back-off) before the job fails; with the default delays about 25 min of a database or broker outage.");
    public static final ConfigKey<Duration> RESTART_DELAY =
            ConfigKey.duration(
                    "restart.delay", "1 s", "Delay before the first restart; doubled at each further restart up to restart.max-delay.");
    public static final ConfigKey<Duration> RESTART_MAX_DELAY =
            ConfigKey.duration("restart.max-delay", "1 min", "Longest delay between two restarts.");
    public static final ConfigKey<Duration> RESTART_RESET_AFTER =
            ConfigKey.duration(
                    "restart.reset-after",
                    "10 min",
                    "A job that ran this long without failing starts again at restart.delay and restart.attempts.");

    public static final List<ConfigKey<?>> KEYS =
            List.of(
                    JOB_NAME,
                    JOB_MAX_PARALLELISM,
                    KAFKA_BOOTSTRAP_SERVERS,
                    INPUT_TOPICS,
                    INPUT_FORMAT,
                    INPUT_TOPIC_FORMATS,
                    INPUT_GROUP_ID,
                    INPUT_STARTING_OFFSETS,
                    INPUT_BOUNDED,
                    OUTPUT_ACTIVITY_TOPIC,
                    OUTPUT_JOURNEY_TOPIC,
                    OUTPUT_SCORE_TOPIC,
                    OUTPUT_GOAL_TOPIC,
                    OUTPUT_ALERT_TOPIC,
                    OUTPUT_RISK_TOPIC,
                    OUTPUT_DEAD_LETTER_TOPIC,
                    OUTPUT_LATE_TOPIC,
                    OUTPUT_DELIVERY,
                    OUTPUT_TRANSACTIONAL_ID_PREFIX,
                    OUTPUT_TRANSACTION_TIMEOUT,
                    JDBC_URL,
                    JDBC_USER,
                    JDBC_PASSWORD_ENV,
                    JDBC_PASSWORD_FILE,
                    JDBC_BATCH_SIZE,
                    JDBC_BATCH_INTERVAL,
                    JDBC_MAX_RETRIES,
                    JDBC_SCORE_HISTORY_RETENTION,
                    JDBC_MIGRATE,
                    WATERMARK_OUT_OF_ORDERNESS,
                    WATERMARK_IDLENESS,
                    WATERMARK_ALLOWED_LATENESS,
                    DEDUP_HORIZON,
                    VALIDATION_MAX_PAYLOAD_BYTES,
                    VALIDATION_MAX_PAST,
                    VALIDATION_MAX_FUTURE,
                    VALIDATION_EXTRA_SOURCES,
                    VALIDATION_EXTRA_TYPES,
                    DEAD_LETTER_MAX_PAYLOAD_BYTES,
                    ACTIVITY_EMIT_INTERVAL,
                    MODEL_PATH,
                    ALERTS_REQUIRED,
                    CHECKPOINT_INTERVAL,
                    CHECKPOINT_DIR,
                    RESTART_ATTEMPTS,
                    RESTART_DELAY,
                    RESTART_MAX_DELAY,
                    RESTART_RESET_AFTER);

    private static final Map<String, ConfigKey<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (ConfigKey<?> k : KEYS) {
            BY_NAME.put(k.name(), k);
        }
    }

    private final Map<String, String> raw;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final String jdbcPassword;
    private final CustomerModel customerModel;
    private final AlertRules alertRules;

    private HeadwayConfig(Map<String, String> raw, Map<String, String> environment) {
        this.raw = Collections.unmodifiableMap(new TreeMap<>(raw));
        for (ConfigKey<?> key : KEYS) {
            String text = raw.getOrDefault(key.name(), key.defaultText());
            if (text == null || (key.required() && text.isBlank())) {
                throw new ConfigException(key.name(), "is required (" + key.description() + ")");
            }
            values.put(key.name(), key.parse(text));
        }
        validate();
        // Read once, here: a bad model stops the job at start-up, and every operator gets the same model
        // even if the file changes while the job runs.
        this.customerModel = loadCustomerModel();
        VocabularyCheck.check(customerModel, new TouchpointVocabulary(get(VALIDATION_EXTRA_SOURCES), get(VALIDATION_EXTRA_TYPES)));
        // The scores: section is read by the score module; read it here too, so a bad one stops the job at start.
        ScoreModel.from(customerModel);
        // So is the rules: section: a rule that names something the model lacks is a message at start,
        // not a stack trace from the pipeline's construction.
        this.alertRules = AlertRules.from(customerModel);
        if (alertRules.rules.isEmpty() && get(ALERTS_REQUIRED)) {
            throw new ConfigException(ALERTS_REQUIRED.name(), "is true, but the customer model " + customerModel.origin()
                    + " has no alert rules (add a rules: section with alerts, see docs/customer-model.md, Rules)");
        }
        this.jdbcPassword = readPassword(environment);
    }

    /** Reads {@code --config file} and {@code --key value} / {@code --key=value} arguments. */
    public static HeadwayConfig fromArgs(String[] args, Map<String, String> environment) {
        Map<String, String> fromFile = new LinkedHashMap<>();
        Map<String, String> fromArgs = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : CommandLine.pairs(args)) {
            String name = pair.getKey();
            String value = pair.getValue();
            if (name.equals("config")) {
                fromFile.putAll(readFile(Path.of(value)));
            } else {
                if (looksLikeSecret(name)) {
                    throw new ConfigException(
                            name,
                            "secrets are never accepted on the command line (they end up in process lists"
                                    + " and shell history); put it in a file or an environment variable");
                }
                fromArgs.put(name, value);
            }
        }
        Map<String, String> merged = new LinkedHashMap<>(fromFile);
        merged.putAll(fromArgs);
        return of(merged, environment);
    }

    /** Builds a configuration from key/value pairs; unknown keys fail. */
    public static HeadwayConfig of(Map<String, String> raw, Map<String, String> environment) {
        for (String name : raw.keySet()) {
            if (!BY_NAME.containsKey(name) && !isPassThrough(name)) {
                if (name.equals("jdbc.password")) {
                    throw new ConfigException(
                            name, "passwords are not configuration values; use jdbc.password-env or jdbc.password-file");
                }
                throw new ConfigException(name, "unknown key" + suggestion(name));
            }
        }
        return new HeadwayConfig(raw, environment);
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name).trim());
        }
        return out;
    }

    private static boolean isPassThrough(String name) {
        return (name.startsWith(KAFKA_CONSUMER_PREFIX) && name.length() > KAFKA_CONSUMER_PREFIX.length())
                || (name.startsWith(KAFKA_PRODUCER_PREFIX) && name.length() > KAFKA_PRODUCER_PREFIX.length())
                || (name.startsWith(FLINK_PREFIX) && name.length() > FLINK_PREFIX.length());
    }

    /**
     * Narrower than {@link Secrets#isSecretName} (which masks in logs): refusing a key on the command
     * line must not catch harmless names such as an OAuth token endpoint URL.
     */
    private static boolean looksLikeSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return (n.contains("password") || n.contains("jaas") || n.contains("secret"))
                && !(BY_NAME.containsKey(name) && BY_NAME.get(name).isSecretReference());
    }

    private static String suggestion(String name) {
        return Suggestions.closest(name, BY_NAME.keySet()).map(k -> " (did you mean " + k + "?)").orElse("");
    }

    private void validate() {
        positive(WATERMARK_IDLENESS);
        notNegative(WATERMARK_OUT_OF_ORDERNESS);
        notNegative(WATERMARK_ALLOWED_LATENESS);
        positive(DEDUP_HORIZON);
        positive(VALIDATION_MAX_PAST);
        notNegative(VALIDATION_MAX_FUTURE);
        notNegative(CHECKPOINT_INTERVAL);
        notNegative(RESTART_DELAY);
        positive(RESTART_RESET_AFTER);
        if (get(RESTART_MAX_DELAY).compareTo(get(RESTART_DELAY)) < 0) {
            throw new ConfigException(RESTART_MAX_DELAY.name(), "must be at least restart.delay (" + get(RESTART_DELAY) + ")");
        }
        Duration interval = get(ACTIVITY_EMIT_INTERVAL);
        if (interval.toMillis() <= 0 || Duration.ofDays(1).toMillis() % interval.toMillis() != 0) {
            throw new ConfigException(
                    ACTIVITY_EMIT_INTERVAL.name(), "must divide one day evenly, e.g. 15 min, 1 h, 1 d; was " + interval);
        }
        atLeast(VALIDATION_MAX_PAYLOAD_BYTES, 64);
        atLeast(DEAD_LETTER_MAX_PAYLOAD_BYTES, 0);
        int requestLimit = producerMaxRequestSize();
        // Room for the key (cut at 16 KiB) and the headers: a dead letter the producer refuses
        // would stop the job instead of parking the record.
        int outputLimit = OutputLimits.payloadLimit(requestLimit);
        if (get(DEAD_LETTER_MAX_PAYLOAD_BYTES) > outputLimit) {
            throw new ConfigException(
                    DEAD_LETTER_MAX_PAYLOAD_BYTES.name(),
                    "must be at most the producer's max.request.size (" + requestLimit + ") minus 64 KiB; raise kafka.producer.max.request.size first");
        }
        // A valid record can be written back whole (late topic, as JSON): one the outputs cannot carry
        // is not valid. Otherwise it would pass validation and fail the job at the late sink.
        if (get(VALIDATION_MAX_PAYLOAD_BYTES) > outputLimit) {
            throw new ConfigException(
                    VALIDATION_MAX_PAYLOAD_BYTES.name(),
                    "is "
                            + get(VALIDATION_MAX_PAYLOAD_BYTES)
                            + " but the late and dead-letter outputs carry at most "
                            + outputLimit
                            + " bytes (kafka.producer.max.request.size "
                            + requestLimit
                            + " minus 64 KiB for key, headers and framing); lower it, or raise kafka.producer.max.request.size"
                            + " and the output topics' max.message.bytes (see docs/operations.md)");
        }
        Secrets.secretIn(get(JDBC_URL))
                .ifPresent(
                        what -> {
                            throw new ConfigException(
                                    JDBC_URL.name(),
                                    "contains "
                                            + what
                                            + "; secrets are not configuration values (they would be logged): put the password in the file named by "
                                            + JDBC_PASSWORD_FILE.name()
                                            + " or the environment variable named by "
                                            + JDBC_PASSWORD_ENV.name());
                        });
        atLeast(JDBC_BATCH_SIZE, 1);
        atLeast(JDBC_MAX_RETRIES, 0);
        atLeast(RESTART_ATTEMPTS, 0);
        atLeast(JOB_MAX_PARALLELISM, 1);
        // Flink's own upper bound (KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM).
        if (get(JOB_MAX_PARALLELISM) > 32768) {
            throw new ConfigException(JOB_MAX_PARALLELISM.name(), "must be at most 32768, was " + get(JOB_MAX_PARALLELISM));
        }
        notNegative(JDBC_SCORE_HISTORY_RETENTION);
        if (get(INPUT_TOPICS).isEmpty()) {
            throw new ConfigException(INPUT_TOPICS.name(), "names no topic");
        }
        topicFormats();
        Duration timeout = get(OUTPUT_TRANSACTION_TIMEOUT);
        if (get(OUTPUT_DELIVERY) == Delivery.EXACTLY_ONCE) {
            if (get(CHECKPOINT_INTERVAL).isZero()) {
                throw new ConfigException(
                        OUTPUT_DELIVERY.name(), "exactly-once needs checkpointing (checkpoint.interval > 0)");
            }
            if (timeout.compareTo(get(CHECKPOINT_INTERVAL)) <= 0) {
                throw new ConfigException(
                        OUTPUT_TRANSACTION_TIMEOUT.name(), "must be longer than checkpoint.interval");
            }
        }
    }

    /** The Kafka producers' {@code max.request.size}: {@code kafka.producer.max.request.size}, else Kafka's default. */
    public int producerMaxRequestSize() {
        String text = raw.get(KAFKA_PRODUCER_PREFIX + "max.request.size");
        if (text == null) {
            return OutputLimits.DEFAULT_MAX_REQUEST_SIZE;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(KAFKA_PRODUCER_PREFIX + "max.request.size", "cannot read '" + text + "'");
        }
    }

    private void positive(ConfigKey<Duration> key) {
        if (get(key).isNegative() || get(key).isZero()) {
            throw new ConfigException(key.name(), "must be positive, was " + get(key));
        }
    }

    private void notNegative(ConfigKey<Duration> key) {
        if (get(key).isNegative()) {
            throw new ConfigException(key.name(), "must not be negative, was " + get(key));
        }
    }

    private void atLeast(ConfigKey<Integer> key, int min) {
        if (get(key) < min) {
            throw new ConfigException(key.name(), "must be at least " + min + ", was " + get(key));
        }
    }

    private String readPassword(Map<String, String> environment) {
        String file = get(JDBC_PASSWORD_FILE);
        if (!file.isBlank()) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(JDBC_PASSWORD_FILE.name(), "cannot read the password file: " + e.getMessage());
            }
        }
        String variable = get(JDBC_PASSWORD_ENV);
        return variable.isBlank() ? null : environment.get(variable);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!values.containsKey(key.name())) {
            throw new IllegalArgumentException("not a Headway key: " + key.name());
        }
        return (T) values.get(key.name());
    }

    /** Input format per topic: {@code input.topic-formats} entries, else {@code input.format}. */
    public Map<String, InputFormat> topicFormats() {
        Map<String, InputFormat> out = new LinkedHashMap<>();
        for (String topic : get(INPUT_TOPICS)) {
            out.put(topic, get(INPUT_FORMAT));
        }
        for (String pair : get(INPUT_TOPIC_FORMATS)) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new ConfigException(INPUT_TOPIC_FORMATS.name(), "entry '" + pair + "' is not topic:format");
            }
            String topic = pair.substring(0, colon);
            if (!out.containsKey(topic)) {
                throw new ConfigException(INPUT_TOPIC_FORMATS.name(), "topic '" + topic + "' is not in input.topics");
            }
            try {
                out.put(topic, InputFormat.parse(pair.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        INPUT_TOPIC_FORMATS.name(), "format of '" + topic + "' must be json or avro");
            }
        }
        return out;
    }

    /** Pass-through entries under a prefix, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }

    /** The customer model from {@code model.path}, or the bundled default; validated when the configuration was read. */
    public CustomerModel customerModel() {
        return customerModel;
    }

    /** One line for the start-up log: which alert rules run, or that none do. */
    public String alertsSummary() {
        if (alertRules.rules.isEmpty()) {
            return "alerts: none \u2014 the customer model has no rules";
        }
        List<String> ids = new ArrayList<>();
        alertRules.rules.forEach(r -> ids.add(r.id));
        return "alerts: " + ids.size() + " rules (" + String.join(", ", ids) + ")";
    }

    public boolean hasAlertRules() {
        return !alertRules.rules.isEmpty();
    }

    private CustomerModel loadCustomerModel() {
        String path = get(MODEL_PATH);
        return path.isBlank() ? CustomerModel.defaults() : CustomerModel.load(Path.of(path.trim()));
    }

    /** The database password, or null; never part of {@link #toString()}. */
    public String jdbcPassword() {
        return jdbcPassword;
    }

    public boolean databaseEnabled() {
        return !get(JDBC_URL).isBlank();
    }

    /**
     * Effective settings for the start-up log; secrets are never here: pass-through keys named like a
     * secret are masked whole, and passwords inside URLs (user-info, {@code password=} and similar
     * parameters) in any value.
     */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        for (ConfigKey<?> key : KEYS) {
            lines.add(key.name() + "=" + Secrets.mask(String.valueOf(values.get(key.name()))));
        }
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (isPassThrough(e.getKey())) {
                lines.add(e.getKey() + "=" + (Secrets.isSecretName(e.getKey()) ? Secrets.MASK : Secrets.mask(e.getValue())));
            }
        }
        lines.add(alertsSummary());
        return String.join("\n", lines);
    }
}
