package io.headway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The deployment files, read from the module's folders (tests run in {@code deploy/}). */
final class Manifests {

    static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    static final Path KUBERNETES = Path.of("kubernetes");
    static final Path FLINK_DEPLOYMENT = KUBERNETES.resolve("headway-flinkdeployment.yaml");
    static final Path CONFIG_MAP = KUBERNETES.resolve("headway-config.yaml");
    static final Path SECRET = KUBERNETES.resolve("headway-db-secret.yaml");
    static final Path KUSTOMIZATION = KUBERNETES.resolve("kustomization.yaml");
    static final Path DASHBOARD = Path.of("grafana", "headway-dashboard.json");
    static final Path JOB_SOURCES = Path.of("..", "jobs", "src", "main", "java");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {}

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A system property surefire sets from the pom (flink.version, project.version). */
    static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run the tests through Maven)");
        }
        return v;
    }
}
