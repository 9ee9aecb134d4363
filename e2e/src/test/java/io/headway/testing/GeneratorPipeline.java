package io.headway.testing;

import io.headway.generator.GeneratorMain;
import io.headway.generator.GeneratorReport;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the ITCases that hold an output against the generator's ground truth share: generator data
 * (30 % deteriorating, disordered by up to 4 minutes — inside the 5-minute watermark bound — with 1 %
 * duplicates and 0.5 % malformed records) into a real broker, the production pipeline over it
 * (bounded, parallelism 2), and every record of the output under test once the job has ended.
 */
public final class GeneratorPipeline {

    /** The generator's report (with its ground truth) and the topic the output under test went to. */
    public record Run(GeneratorReport report, String outputTopic) {}

    private GeneratorPipeline() {}

    /** Runs it; {@code outputKey} (e.g. {@code output.journey-topic}) gets a fresh topic, as does every other output. */
    public static Run run(KafkaTestBroker kafka, String outputKey, int accounts, int days, int seed, String jobName)
            throws Exception {
        String input = kafka.newTopic("touchpoints", 4, Map.of());
        String outputTopic = kafka.newTopic(outputKey.substring("output.".length()), 2, Map.of());
        GeneratorReport report = GeneratorMain.run(new String[] {
            "--accounts", Integer.toString(accounts), "--days", Integer.toString(days), "--seed", Integer.toString(seed),
            "--start", "2026-06-01T00:00:00Z", "--deteriorating-share", "0.3", "--out-of-order-minutes", "4",
            "--duplicate-rate", "0.01", "--malformed-rate", "0.005", "--out", "kafka",
            "--bootstrap-servers", kafka.bootstrapServers(), "--topic", input
        });

        Map<String, String> settings = TestJobConfig.settings(
                kafka.bootstrapServers(), input, kafka.newTopic("activity", 2, Map.of()),
                kafka.newTopic("dead-letters", 2, Map.of()), kafka.newTopic("late", 2, Map.of()), "");
        settings.put(outputKey, outputTopic);
        TestJobConfig.freshOutputTopics(settings, prefix -> kafka.newTopic(prefix, 2, Map.of()));
        settings.put("input.bounded", "true");
        TestJobConfig.submit(settings, jobName).getJobExecutionResult().get();
        return new Run(report, outputTopic);
    }

    /** Every record of {@code topic} (read_committed): read until nothing new arrived for {@code quiet}. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            KafkaTestBroker kafka, String topic, Duration quiet, Duration timeout) {
        return kafka.readUntil(topic, quietFor(quiet), timeout);
    }

    private static Predicate<List<ConsumerRecord<byte[], byte[]>>> quietFor(Duration quiet) {
        return new Predicate<>() {
            private int size = -1;
            private long since = System.nanoTime();

            @Override
            public boolean test(List<ConsumerRecord<byte[], byte[]>> read) {
                if (read.size() != size) {
                    size = read.size();
                    since = System.nanoTime();
                }
                return size > 0 && System.nanoTime() - since > quiet.toNanos();
            }
        };
    }
}
