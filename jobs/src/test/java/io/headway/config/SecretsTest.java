package io.headway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/** Secrets in URLs and pass-through keys: masked in the logged configuration, refused in jdbc.url. */
class SecretsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:postgresql://db:5432/headway?password=hunter2",
                "jdbc:postgresql://db:5432/headway?user=app&password=hunter2&ssl=true",
                "jdbc:postgresql://db:5432/headway?user=app&PASSWORD=hunter2",
                "jdbc:postgresql://db:5432/headway?sslpassword=hunter2",
                "jdbc:postgresql://db:5432/headway?user=app&passwd=hunter2",
                "jdbc:postgresql://db:5432/headway?user=app&pwd=hunter2",
                "jdbc:postgresql://db:5432/headway?api_token=hunter2",
                "jdbc:postgresql://db:5432/headway?client_secret=hunter2",
                "jdbc:postgresql://db:5432/headway?apikey=hunter2",
                "jdbc:sqlserver://db:1433;databaseName=headway;password=hunter2",
                "jdbc:postgresql://app:hunter2@db:5432/headway",
                "postgresql://app:hunter2@db:5432/headway?sslmode=require"
            })
    void shouldRefuseASecretInJdbcUrlPointingToThePasswordKeys(String url) {
        assertThatThrownBy(() -> HeadwayConfig.of(Map.of("kafka.bootstrap-servers", "k:9092", "jdbc.url", url), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("jdbc.url: contains ")
                .hasMessageContaining("jdbc.password-file")
                .hasMessageContaining("jdbc.password-env")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldAcceptAJdbcUrlWithoutSecretsAndPathsToKeyFiles() {
        String url = "jdbc:postgresql://db:5432/headway?user=app&sslmode=verify-full&sslkey=/etc/headway/client.pk8&sslrootcert=/etc/headway/ca.pem";
        HeadwayConfig c = HeadwayConfig.of(Map.of("kafka.bootstrap-servers", "k:9092", "jdbc.url", url), Map.of());

        assertThat(c.get(HeadwayConfig.JDBC_URL)).isEqualTo(url);
    }

    @Test
    void shouldMaskSecretsInEveryLoggedValueAndSecretPassThroughKeys() {
        Map<String, String> raw = new HashMap<>();
        raw.put("kafka.bootstrap-servers", "k:9092");
        raw.put("checkpoint.dir", "s3://AKIDEXAMPLE:wJalrXUtnFEMIbPxRfiCYEXAMPLEKEY@bucket/checkpoints");
        raw.put("kafka.producer.ssl.key.password", "keypass-1");
        raw.put("kafka.consumer.ssl.truststore.password", "trustpass-2");
        raw.put("kafka.consumer.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"jaaspass-3\";");
        raw.put("kafka.consumer.sasl.oauthbearer.token.endpoint.url", "https://idp.example/token?client_secret=oauthsecret-4");
        raw.put("flink.s3.secret-key", "flinksecret-5");
        raw.put("flink.fs.azure.account.token", "azuretoken-6");
        raw.put("flink.metrics.reporter.prom.url", "https://user:promsecret-7@metrics.example/push");
        raw.put("kafka.producer.key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");

        String logged = HeadwayConfig.of(raw, Map.of()).toString();

        assertThat(logged)
                .doesNotContain("wJalrXUtnFEMIbPxRfiCYEXAMPLEKEY", "keypass-1", "trustpass-2", "jaaspass-3", "oauthsecret-4", "flinksecret-5", "azuretoken-6", "promsecret-7")
                .contains("checkpoint.dir=s3://AKIDEXAMPLE:******@bucket/checkpoints")
                .contains("kafka.producer.ssl.key.password=******")
                .contains("flink.metrics.reporter.prom.url=https://user:******@metrics.example/push")
                .contains("kafka.producer.key.serializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                .contains("kafka.bootstrap-servers=k:9092");
    }

    @Test
    void shouldMaskUrlPasswordsAndSecretParametersButNothingElse() {
        assertThat(Secrets.mask("jdbc:postgresql://db/h?user=app&password=x1&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/h?user=app&password=******&ssl=true");
        assertThat(Secrets.mask("https://app:p%40ss@host:8080/path?token=abc#frag"))
                .isEqualTo("https://app:******@host:8080/path?token=******#frag");
        assertThat(Secrets.mask("jdbc:postgresql://db:5432/h?user=app")).isEqualTo("jdbc:postgresql://db:5432/h?user=app");
        assertThat(Secrets.mask("broker-1:9092,broker-2:9092")).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(Secrets.mask("mailto:ops@example.com")).isEqualTo("mailto:ops@example.com");
    }
}
