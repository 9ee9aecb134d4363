package io.headway.deploy;

import static io.headway.deploy.Manifests.DOCKERFILE;
import static io.headway.deploy.Manifests.FLINK_DEPLOYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What can be checked of the image recipe without a Docker engine: the base image is the official one
 * of the Flink version the job is built against, the jar it copies is the one the build writes, and the
 * operator's jarURI points where it is copied to.
 */
class DockerfileTest {

    private final List<String> lines = read();

    @Test
    void shouldBuildOnTheOfficialFlinkImageOfTheFlinkVersionTheJobIsBuiltAgainst() {
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();

        assertThat(from).containsExactly("FROM flink:" + Manifests.property("flink.version") + "-java17");
    }

    @Test
    void shouldCopyTheShadedJobJarTheBuildWritesToWhereTheFlinkDeploymentRunsIt() throws Exception {
        String[] copy = lines.stream().filter(l -> l.startsWith("COPY ")).findFirst().orElseThrow().split("\\s+");
        String source = copy[copy.length - 2];
        String target = copy[copy.length - 1];
        // maven-shade-plugin in jobs/pom.xml: <artifactId>-<version>-<shadedClassifierName>.jar under jobs/target.
        String jobsPom = Files.readString(Path.of("..", "jobs", "pom.xml"));
        assertThat(jobsPom).contains("<artifactId>headway-jobs</artifactId>").contains("<shadedClassifierName>job</shadedClassifierName>");
        String built = "jobs/target/headway-jobs-" + Manifests.property("project.version") + "-job.jar";

        assertThat(built).matches(Pattern.quote(source).replace("*", "\\E[^/]+\\Q"));
        assertThat(target).startsWith("/opt/flink/usrlib/");
        assertThat(Manifests.yaml(FLINK_DEPLOYMENT).at("/spec/job/jarURI").asText()).isEqualTo("local://" + target);
    }

    @Test
    void shouldEnableThePrometheusReporterOnTheSamePortAsTheFlinkDeployment() {
        String text = String.join("\n", lines);
        String port = Manifests.yaml(FLINK_DEPLOYMENT).at("/spec/flinkConfiguration/metrics.reporter.prom.port").asText();

        assertThat(text)
                .contains("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .contains("metrics.reporter.prom.port: " + port)
                .contains("EXPOSE " + port)
                .contains("/opt/flink/plugins/metrics-prometheus");
    }

    private static List<String> read() {
        try {
            return Files.readAllLines(DOCKERFILE).stream().map(String::strip).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
