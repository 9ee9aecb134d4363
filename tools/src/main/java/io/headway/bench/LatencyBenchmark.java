package io.headway.bench;

import io.headway.HeadwayJob;
import io.headway.config.CommandLine;
import io.headway.config.ConfigException;
import io.headway.config.HeadwayConfig;
import io.headway.ingest.TouchpointJson;
import io.headway.schema.Touchpoint;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Event-to-output latency of the production pipeline through a real Kafka broker, with exactly-once
 * outputs: {@link HeadwayJob#buildPipeline} on a local MiniCluster (parallelism 2, checkpoints every
 * second, {@code output.delivery-guarantee=exactly-once}) reading an unbounded input topic.
 *
 * <ol>
 *   <li>Rate search: touchpoints with {@code occurred_at} = now (product logins of {@code --accounts}
 *       accounts) at a fixed rate per step of {@code --step} seconds, doubling from {@code --start-rate}
 *       until the job's consumer lag (input end offsets minus the offsets the job commits at each
 *       checkpoint) ends a step above {@link #LAG_BOUND_SECONDS} seconds of input or grows by more than
 *       one second of input over the step's second half, then two bisection steps. The highest rate that
 *       passed is the maximum sustainable rate. {@code --rate N} skips the search and takes N as that rate.
 *   <li>Latency: at half that rate for {@code --duration} seconds, {@code --probes-per-second} of the
 *       touchpoints are probes, for a fresh account each. {@code --probe alert} (default): a
 *       {@code journey_started} and, 1 ms later, its {@code first_value} milestone, which the default
 *       customer model answers with a {@code first-value-early} win alert: journey record, alert
 *       function, exactly-once alert topic. {@code --probe journey}: the {@code journey_started} alone,
 *       read as the journey's {@code started} record. Latency = when a {@code read_committed} consumer
 *       of the output topic receives that record minus when the probe's last touchpoint was handed to
 *       the producer (both on this JVM's monotonic clock).
 * </ol>
 *
 * <p>Options: {@code --bootstrap-servers} (required), {@code --rate}, {@code --start-rate} (1000),
 * {@code --max-rate} (64000), {@code --step} (15), {@code --duration} (60), {@code --probes-per-second}
 * (5), {@code --accounts} (20000), {@code --parallelism} (2), and any job key with a dot, e.g.
 * {@code --watermark.max-out-of-orderness "1 s"} (default here 1 s) or {@code --checkpoint.interval}
 * (default here 1 s). Run it with {@code scripts/latency.sh}, which starts and stops a broker.
 */
public final class LatencyBenchmark {

    public static final String USAGE =
            "usage: LatencyBenchmark --bootstrap-servers HOST:PORT [--rate N | --start-rate N --max-rate N --step S]"
                    + " [--duration S] [--probes-per-second N] [--probe alert|journey] [--accounts N] [--parallelism N] [--<job key> value ...]";

    /** A step passes if its final lag is at most this many seconds of input (checkpoint-paced commits). */
    static final double LAG_BOUND_SECONDS = 4.0;

    /** The output the journey probes are read from, and what a probe's record looks like there. */
    static final String PROBE_OUTPUT = "output.journey-topic";

    /** The win alert an alert probe (a journey started and reached first value at once) opens. */
    static final String PROBE_ALERT_RULE = "\"rule\":\"first-value-early\"";

    static final String PROBE_PREFIX = "probe-";

    private final Map<String, String> options;
    private final String bootstrap;
    private final String input;
    private final Map<String, String> jobSettings = new LinkedHashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private long sequence;
    private long probes;

    private LatencyBenchmark(Map<String, String> options) {
        this.options = options;
        this.bootstrap = require(options, "bootstrap-servers");
        this.input = "latency-touchpoints-" + runId;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Map<String, String> options = new LinkedHashMap<>();
        try {
            CommandLine.pairs(args).forEach(p -> options.put(p.getKey(), p.getValue()));
            require(options, "bootstrap-servers");
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        new LatencyBenchmark(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        HeadwayConfig config = jobConfig();
        System.out.printf(
                Locale.ROOT,
                "Job: parallelism %d, exactly-once outputs, checkpoint.interval %s, watermark.max-out-of-orderness %s,"
                        + " watermark.idleness %s; broker %s; input %s%n",
                intOption("parallelism", 2), config.get(HeadwayConfig.CHECKPOINT_INTERVAL).toMillis() + " ms",
                config.get(HeadwayConfig.WATERMARK_OUT_OF_ORDERNESS).toMillis() + " ms",
                config.get(HeadwayConfig.WATERMARK_IDLENESS).toMillis() + " ms",
                bootstrap, input);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(HeadwayJob.engineConfiguration(config));
        env.setParallelism(intOption("parallelism", 2));
        HeadwayJob.buildPipeline(env, config);
        JobClient job = env.executeAsync("headway-latency");
        try {
            // Warm-up: start-up, first checkpoints, JIT.
            int startRate = intOption("start-rate", 1000);
            System.out.printf(Locale.ROOT, "Warm-up: 10 s at %d/s%n", startRate);
            Step warm = step(startRate, 10, 0, null);
            drain(startRate);
            System.out.println("  " + warm);

            int sustainable;
            if (options.containsKey("rate")) {
                sustainable = intOption("rate", 0);
                System.out.printf(Locale.ROOT, "Maximum sustainable rate given: %d/s (no search)%n", sustainable);
            } else {
                sustainable = search(startRate, intOption("max-rate", 64000), intOption("step", 15));
                System.out.printf(Locale.ROOT, "Maximum sustainable rate: %d touchpoints/s%n", sustainable);
            }

            int rate = Math.max(1, sustainable / 2);
            int duration = intOption("duration", 60);
            int probesPerSecond = intOption("probes-per-second", 5);
            System.out.printf(
                    Locale.ROOT, "Latency: %d s at %d/s (half the maximum), %d probes/s%n", duration, rate, probesPerSecond);
            Map<String, Long> sent = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean reading = new AtomicBoolean(true);
            boolean alertProbe = !"journey".equals(options.getOrDefault("probe", "alert"));
            String probeTopic = config.get(alertProbe ? HeadwayConfig.OUTPUT_ALERT_TOPIC : HeadwayConfig.OUTPUT_JOURNEY_TOPIC);
            String probeRecord = alertProbe ? PROBE_ALERT_RULE : "\"transition\":\"started\"";
            System.out.printf(Locale.ROOT, "Probes: %s, read from %s%n", alertProbe ? "alert (first-value-early win)" : "journey started", probeTopic);
            Thread reader = new Thread(() -> readProbes(probeTopic, probeRecord, sent, latencies, reading), "probe-reader");
            reader.start();
            Thread.sleep(2000); // the reader is assigned and at the end of the topic
            Step measured = step(rate, duration, probesPerSecond, sent);
            // The last probes need later touchpoints to move the watermark past them: keep the load on.
            step(rate, 5, 0, null);
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (latencies.size() < sent.size() && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            reading.set(false);
            reader.join(5000);
            System.out.println("  " + measured);
            report(sent.size(), latencies);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            producer.close();
        }
    }

    private HeadwayConfig jobConfig() throws Exception {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("input.topics", input);
        // A fresh topic for every output of the job, including ones added later.
        for (io.headway.config.ConfigKey<?> k : HeadwayConfig.KEYS) {
            String key = k.name();
            if (key.startsWith("output.") && key.endsWith("-topic")) {
                topics.put(key, "latency-" + key.substring("output.".length(), key.length() - "-topic".length()) + "-" + runId);
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> create = new ArrayList<>();
            topics.values().forEach(t -> create.add(new NewTopic(t, 2, (short) 1)));
            admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
        }
        jobSettings.put("kafka.bootstrap-servers", bootstrap);
        jobSettings.putAll(topics);
        jobSettings.put("input.group-id", "latency-" + runId);
        jobSettings.put("input.starting-offsets", "earliest");
        jobSettings.put("output.delivery-guarantee", "exactly-once");
        jobSettings.put("output.transactional-id-prefix", "latency-" + runId);
        jobSettings.put("checkpoint.interval", "1 s");
        jobSettings.put("watermark.max-out-of-orderness", "1 s");
        jobSettings.put("jdbc.url", "");
        // The keyed state outgrows the JobManager's in-memory checkpoint storage (5 MB) within a minute.
        jobSettings.put(
                "checkpoint.dir",
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "headway-latency-" + runId).toUri().toString());
        options.forEach((k, v) -> {
            if (k.contains(".")) {
                jobSettings.put(k, v);
            }
        });
        return HeadwayConfig.of(jobSettings, System.getenv());
    }

    /** Result of producing at a fixed rate for a while. */
    record Step(int rate, int seconds, long sent, long lagMid, long lagEnd, boolean producerKeptUp) {
        boolean sustainable() {
            return producerKeptUp && lagEnd <= LAG_BOUND_SECONDS * rate && lagEnd <= lagMid + rate;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%6d/s for %d s: sent %d%s, consumer lag %d at half time, %d at the end (%.1f s of input) -> %s",
                    rate, seconds, sent, producerKeptUp ? "" : " (the producer fell behind)", lagMid, lagEnd,
                    lagEnd / (double) rate, sustainable() ? "sustainable" : "NOT sustainable");
        }
    }

    private int search(int startRate, int maxRate, int seconds) throws Exception {
        System.out.printf(Locale.ROOT, "Rate search: %d s per step, lag bound %.0f s of input%n", seconds, LAG_BOUND_SECONDS);
        int good = 0;
        int bad = 0;
        for (int rate = startRate; rate <= maxRate; rate *= 2) {
            Step s = step(rate, seconds, 0, null);
            System.out.println("  " + s);
            drain(rate);
            if (!s.sustainable()) {
                bad = rate;
                break;
            }
            good = rate;
        }
        if (bad == 0) {
            System.out.printf(Locale.ROOT, "  every rate up to --max-rate %d passed%n", maxRate);
            return good;
        }
        for (int i = 0; i < 2 && bad - good > good / 8; i++) {
            int rate = (good + bad) / 2;
            Step s = step(rate, seconds, 0, null);
            System.out.println("  " + s);
            drain(rate);
            if (s.sustainable()) {
                good = rate;
            } else {
                bad = rate;
            }
        }
        return good;
    }

    /** Produces at {@code rate} for {@code seconds}, {@code probesPerSecond} of them probes. */
    private Step step(int rate, int seconds, int probesPerSecond, Map<String, Long> sent) throws Exception {
        int accounts = intOption("accounts", 20000);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long mid = start + TimeUnit.SECONDS.toNanos(seconds) / 2;
        long lagMid = -1;
        long count = 0;
        long probeEvery = probesPerSecond > 0 ? Math.max(1, rate / probesPerSecond) : Long.MAX_VALUE;
        long behind = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (lagMid < 0 && now >= mid) {
                producer.flush();
                lagMid = lag();
            }
            long due = (now - start) * rate / 1_000_000_000L;
            behind = Math.max(behind, due - count);
            if (count >= due) {
                LockSupport.parkNanos(200_000);
                continue;
            }
            while (count < due) {
                count++;
                long at = System.currentTimeMillis();
                if (count % probeEvery == 0) {
                    String account = PROBE_PREFIX + runId + "-" + (++probes);
                    send(touchpoint(account, at, "onboarding", "journey_started", Map.of("journey", "onboarding")));
                    if (!"journey".equals(options.getOrDefault("probe", "alert"))) {
                        send(touchpoint(account, at + 1, "onboarding", "milestone_reached",
                                Map.of("journey", "onboarding", "milestone", "first_value")));
                    }
                    sent.put(account, System.nanoTime());
                } else {
                    String account = String.format(Locale.ROOT, "load-%06d", (sequence * 7919) % accounts);
                    send(touchpoint(account, at, "product", "login", Map.of()));
                }
            }
        }
        producer.flush();
        long lagEnd = lag();
        return new Step(rate, seconds, count, lagMid, lagEnd, behind <= rate);
    }

    /** Waits (producing nothing) until the job has caught up, so the next step starts from no lag. */
    private void drain(int rate) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lag() > Math.max(1000, rate) && System.nanoTime() < until) {
            Thread.sleep(500);
        }
        Thread.sleep(2000);
    }

    private Touchpoint touchpoint(String account, long at, String source, String type, Map<String, String> attributes) {
        return new Touchpoint("lat-" + runId + "-" + (++sequence), account, null, at, source, type, null, new HashMap<>(attributes));
    }

    private void send(Touchpoint t) {
        producer.send(new ProducerRecord<>(input, t.getAccountId().getBytes(StandardCharsets.UTF_8), TouchpointJson.toJson(t)));
    }

    /** Input end offsets minus the offsets the job committed (it commits them when a checkpoint completes). */
    private long lag() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                specs.put(new TopicPartition(input, p), OffsetSpec.latest());
            }
            long end = admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(jobSettings.get("input.group-id"))
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            long done = committed.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
            return end - done;
        }
    }

    private void readProbes(
            String topic, String probeRecord, Map<String, Long> sent, List<Long> latencies, AtomicBoolean reading) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long received = System.nanoTime();
                    String account = new String(r.key(), StandardCharsets.UTF_8);
                    Long at = sent.get(account);
                    if (at != null && new String(r.value(), StandardCharsets.UTF_8).contains(probeRecord)) {
                        latencies.add(received - at);
                    }
                }
            }
        }
    }

    private static void report(int probes, List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.printf(Locale.ROOT, "Event->output latency: %d probes sent, none received%n", probes);
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "Event->output latency (probe send -> read_committed receive), %d of %d probes: p50 %d ms, p99 %d ms, max %d ms, min %d ms%n",
                sorted.size(), probes, millis(percentile(sorted, 0.50)), millis(percentile(sorted, 0.99)),
                millis(sorted.get(sorted.size() - 1)), millis(sorted.get(0)));
    }

    /** Nearest-rank percentile. */
    static long percentile(List<Long> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private int intOption(String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + name, "not a whole number: " + v);
        }
    }

    private static String require(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new ConfigException("--" + name, "required");
        }
        return v;
    }
}
