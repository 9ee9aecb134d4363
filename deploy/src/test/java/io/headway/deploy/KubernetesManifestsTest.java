package io.headway.deploy;

import static io.headway.deploy.Manifests.CONFIG_MAP;
import static io.headway.deploy.Manifests.FLINK_DEPLOYMENT;
import static io.headway.deploy.Manifests.KUBERNETES;
import static io.headway.deploy.Manifests.KUSTOMIZATION;
import static io.headway.deploy.Manifests.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.config.HeadwayConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests against the operator's FlinkDeployment spec (a JSON Schema written from the
 * operator's documentation, see the schema's header) and against each other and the job: the job's
 * arguments name the mounted ConfigMap's key, its properties pass the job's own configuration check,
 * the password variable comes from the Secret.
 */
class KubernetesManifestsTest {

    private static final Schema FLINK_DEPLOYMENT_SCHEMA = schema();

    private final JsonNode deployment = Manifests.yaml(FLINK_DEPLOYMENT);
    private final JsonNode configMap = Manifests.yaml(CONFIG_MAP);
    private final JsonNode secret = Manifests.yaml(SECRET);

    @Test
    void shouldMatchTheOperatorsFlinkDeploymentSpec() throws Exception {
        List<Error> errors = FLINK_DEPLOYMENT_SCHEMA.validate(Files.readString(FLINK_DEPLOYMENT), InputFormat.YAML);

        assertThat(errors).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownOrMisspelledField() {
        ObjectNode misspelled = deployment.deepCopy();
        ((ObjectNode) misspelled.at("/spec/job")).put("upgradeMod", "savepoint");
        ObjectNode badMode = deployment.deepCopy();
        ((ObjectNode) badMode.at("/spec/job")).put("upgradeMode", "last_state");

        assertThat(FLINK_DEPLOYMENT_SCHEMA.validate(misspelled.toString(), InputFormat.JSON)).isNotEmpty();
        assertThat(FLINK_DEPLOYMENT_SCHEMA.validate(badMode.toString(), InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void shouldUpgradeThroughSavepointsWithDurableStateDirectories() {
        JsonNode spec = deployment.get("spec");
        JsonNode flink = spec.get("flinkConfiguration");

        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(flink.get("execution.checkpointing.dir").asText()).matches("(s3|gs|abfss?|hdfs)://.+");
        assertThat(flink.get("execution.checkpointing.savepoint-dir").asText()).matches("(s3|gs|abfss?|hdfs)://.+");
        assertThat(flink.get("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(spec.at("/job/entryClass").asText()).isEqualTo(io.headway.HeadwayJob.class.getName());
    }

    @Test
    void shouldPassTheMountedConfigMapKeyAsTheJobsConfigAndAcceptItsProperties(@TempDir Path tmp) throws Exception {
        List<String> args = new ArrayList<>();
        deployment.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        int at = args.indexOf("--config");
        assertThat(at).as("--config in the job's args").isNotNegative();
        Path configPath = Path.of(args.get(at + 1));

        JsonNode container = mainContainer();
        JsonNode mount = find(container.get("volumeMounts"), m -> configPath.startsWith(m.get("mountPath").asText()));
        JsonNode volume = find(deployment.at("/spec/podTemplate/spec/volumes"), v -> v.get("name").asText().equals(mount.get("name").asText()));
        assertThat(volume.at("/configMap/name").asText()).isEqualTo(configMap.at("/metadata/name").asText());
        String key = Path.of(mount.get("mountPath").asText()).relativize(configPath).toString();
        assertThat(configMap.get("data").has(key)).as("ConfigMap key " + key).isTrue();

        // The job's own check: unknown keys, bad values and missing required keys fail here, not in the cluster.
        Path properties = Files.writeString(tmp.resolve(key), configMap.get("data").get(key).asText());
        String passwordVariable = "HEADWAY_JDBC_PASSWORD";
        HeadwayConfig config =
                HeadwayConfig.fromArgs(new String[] {"--config", properties.toString()}, Map.of(passwordVariable, "from-secret"));
        assertThat(config.get(HeadwayConfig.JDBC_PASSWORD_ENV)).isEqualTo(passwordVariable);
        assertThat(config.jdbcPassword()).isEqualTo("from-secret");
        assertThat(deployment.at("/spec/job/parallelism").asInt())
                .as("parallelism within job.max-parallelism")
                .isLessThanOrEqualTo(config.get(HeadwayConfig.JOB_MAX_PARALLELISM));
    }

    @Test
    void shouldTakeTheDatabasePasswordFromTheSecretThroughTheVariableJdbcPasswordEnvNames() throws Exception {
        Path properties = Files.createTempFile("headway", ".properties");
        Files.writeString(properties, configMap.at("/data/headway.properties").asText());
        String variable = HeadwayConfig.fromArgs(new String[] {"--config", properties.toString()}, Map.of())
                .get(HeadwayConfig.JDBC_PASSWORD_ENV);
        Files.delete(properties);

        JsonNode env = find(mainContainer().get("env"), e -> e.get("name").asText().equals(variable));
        JsonNode ref = env.at("/valueFrom/secretKeyRef");
        assertThat(ref.get("name").asText()).isEqualTo(secret.at("/metadata/name").asText());
        assertThat(secret.get("stringData").has(ref.get("key").asText())).isTrue();
        assertThat(configMap.at("/data/headway.properties").asText()).doesNotContainIgnoringCase("password=");
    }

    @Test
    void shouldListEveryManifestInTheKustomization() throws Exception {
        List<String> listed = new ArrayList<>();
        Manifests.yaml(KUSTOMIZATION).get("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            assertThat(listed).containsExactlyInAnyOrderElementsOf(
                    files.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(".yaml") && !n.equals(KUSTOMIZATION.getFileName().toString()))
                            .toList());
        }
    }

    private JsonNode mainContainer() {
        // The operator merges the pod template into the container of this name.
        return find(deployment.at("/spec/podTemplate/spec/containers"), c -> c.get("name").asText().equals("flink-main-container"));
    }

    private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> match) {
        assertThat(array).as("list in the manifest").isNotNull();
        for (JsonNode n : array) {
            if (match.test(n)) {
                return n;
            }
        }
        throw new AssertionError("no matching entry in " + array);
    }

    private static Schema schema() {
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/flinkdeployment-v1beta1.schema.yaml")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.YAML);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
