package io.headway.generator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces records to one topic, keyed by account so that an account's events stay in one
 * partition in emission order. acks=all with idempotence: a retried batch is neither lost nor
 * doubled, so the only duplicates on the topic are the ones the generator meant to write. Kafka
 * record timestamps are left to the producer (wall clock): event time is in the payload, and
 * back-dated record timestamps would make the broker's retention delete the data at once.
 */
public final class KafkaRecordSink implements RecordSink {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaRecordSink(String bootstrapServers, String topic, int partitions, PrintStream log) throws IOException {
        this.topic = topic;
        ensureTopic(bootstrapServers, topic, partitions, log);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "headway-generator");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Creates the topic if it is missing: local brokers run with auto-creation off, and a demo
     * should not have to create it first. The replication factor is the broker's default.
     */
    private static void ensureTopic(String bootstrapServers, String topic, int partitions, PrintStream log)
            throws IOException {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(conf)) {
            if (admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return;
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                        .all()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.println("generator: created topic " + topic + " with " + partitions + " partitions");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(
                    "cannot reach Kafka at " + bootstrapServers + " to check topic " + topic + ": "
                            + (e.getCause() == null ? e : e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking topic " + topic, e);
        }
    }

    @Override
    public void write(GeneratedRecord record) throws IOException {
        throwIfFailed();
        producer.send(
                new ProducerRecord<>(topic, record.key().getBytes(StandardCharsets.UTF_8), record.value()),
                (metadata, e) -> {
                    if (e == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @Override
    public long confirmed() {
        return acknowledged.get();
    }

    @Override
    public void close() throws IOException {
        try {
            producer.flush();
            throwIfFailed();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
    }

    private void throwIfFailed() throws IOException {
        Exception e = failure.get();
        if (e != null) {
            throw new IOException("Kafka did not accept a record for topic " + topic + ": " + e, e);
        }
    }
}
