package io.headway.localstack;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Writes the demo's touchpoints into Kafka with the project's event generator,
 * {@code io.headway.generator.GeneratorMain.run(String[])}.
 *
 * <p>Called reflectively while the generator is developed on its own branch, so this module builds
 * with or without it; once it is merged this becomes a direct call.
 */
final class GeneratorStep {

    static final String MAIN = "io.headway.generator.GeneratorMain";

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

    /** Runs the generator; returns its report object (printed as is). */
    static Object run(String bootstrapServers, String topic, DemoOptions o, Path groundTruth) throws Exception {
        Method run;
        try {
            run = Class.forName(MAIN).getMethod("run", String[].class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    MAIN + " is not on the classpath: the event generator has not been merged into this branch yet");
        }
        try {
            return run.invoke(null, (Object) arguments(bootstrapServers, topic, o, groundTruth));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw e;
        }
    }
}
