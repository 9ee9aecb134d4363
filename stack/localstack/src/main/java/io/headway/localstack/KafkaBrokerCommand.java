package io.headway.localstack;

import io.headway.config.ConfigKey;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code scripts/kafka.sh start}: starts the standalone broker of {@link KafkaBroker}, creates the
 * Headway topics and returns, leaving the broker running; {@code kafka.sh stop} stops it by the PID
 * this writes.
 *
 * <p>Usage: {@code KafkaBrokerCommand --dir DIR --classpath-file FILE --port P --controller-port P}
 */
public final class KafkaBrokerCommand {

    private KafkaBrokerCommand() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        for (String required : new String[] {"--dir", "--classpath-file", "--port", "--controller-port"}) {
            if (!o.containsKey(required) || args.length % 2 != 0) {
                System.err.println(
                        "usage: KafkaBrokerCommand --dir DIR --classpath-file FILE --port P --controller-port P");
                System.exit(2);
            }
        }
        KafkaBroker broker =
                new KafkaBroker(
                        Path.of(o.get("--dir")),
                        Path.of(o.get("--classpath-file")),
                        Integer.parseInt(o.get("--port")),
                        Integer.parseInt(o.get("--controller-port")));
        try {
            broker.start(Duration.ofSeconds(90));
            LocalDemo.createTopics(broker, LocalDemo.outputTopics(ConfigKey::defaultText));
        } catch (Exception e) {
            broker.close();
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        broker.detach();
        System.out.printf(
                "Kafka broker running at %s (pid %d) with the topics %s (%d partitions), %s (%d each).%n"
                        + "Log: %s%n",
                broker.bootstrapServers(), broker.pid(), LocalDemo.INPUT_TOPIC, LocalDemo.INPUT_PARTITIONS,
                String.join(", ", LocalDemo.outputTopics(ConfigKey::defaultText)), LocalDemo.OUTPUT_PARTITIONS,
                broker.logFile());
        // Exit at once: the broker is a separate process and must outlive this launcher.
        System.exit(0);
    }
}
