package io.headway.localstack;

import io.headway.generator.AccountResult;
import io.headway.generator.GeneratorMain;
import io.headway.generator.GeneratorReport;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Writes the demo's touchpoints into Kafka with the project's event generator. */
final class GeneratorStep {

    private GeneratorStep() {}

    static String[] arguments(String bootstrapServers, String topic, DemoOptions o, Path groundTruth) {
        return new String[] {
            "--out", "kafka",
            "--bootstrap-servers", bootstrapServers,
            "--topic", topic,
            "--format", "json",
            "--accounts", Integer.toString(o.accounts),
            "--days", Integer.toString(o.days),
            "--seed", Long.toString(o.seed),
            "--malformed-rate", Double.toString(o.malformedRate),
            "--duplicate-rate", Double.toString(o.duplicateRate),
            "--ground-truth", groundTruth.toString()
        };
    }

    static GeneratorReport run(String bootstrapServers, String topic, DemoOptions o, Path groundTruth) {
        return GeneratorMain.run(arguments(bootstrapServers, topic, o, groundTruth));
    }

    /** The accounts the generator simulated (each has at least its journey's touchpoints). */
    static Set<String> accounts(GeneratorReport report) {
        Set<String> ids = new TreeSet<>();
        for (AccountResult r : report.groundTruth().results()) {
            ids.add(r.accountId());
        }
        return ids;
    }
}
