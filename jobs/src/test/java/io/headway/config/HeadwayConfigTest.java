package io.headway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.HeadwayJob;
import io.headway.ingest.InputFormat;
import io.headway.model.CustomerModel;
import io.headway.model.JourneyDefinition;
import io.headway.model.ModelException;

import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

class HeadwayConfigTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static final String CUSTOMER_MODEL =
            """
            journeys:
              - name: trial
                entry: {source: billing, type: subscription_started}
                milestones:
                  - name: first_login
                    match: {source: product, type: login}
                    due: 7 d
                    owner_team: onboarding
                    success: Someone at the customer has logged in.
                abandonment: {inactivity: 14 d}
            """;

    @Test
    void shouldApplyDocumentedDefaults() {
        HeadwayConfig c = HeadwayConfig.fromArgs(new String[] {"--kafka.bootstrap-servers", "k:9092"}, NO_ENV);

        assertThat(c.get(HeadwayConfig.INPUT_TOPICS)).containsExactly("touchpoints");
        assertThat(c.get(HeadwayConfig.WATERMARK_OUT_OF_ORDERNESS)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.get(HeadwayConfig.OUTPUT_DELIVERY)).isEqualTo(HeadwayConfig.Delivery.AT_LEAST_ONCE);
        assertThat(c.databaseEnabled()).isFalse();
        assertThat(c.topicFormats()).containsEntry("touchpoints", InputFormat.JSON);
    }

    @Test
    void shouldFailNamingAMissingRequiredKey() {
        assertThatThrownBy(() -> HeadwayConfig.fromArgs(new String[0], NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.bootstrap-servers: is required");
    }

    @Test
    void shouldFailNamingAnUnknownKeyAndSuggestTheNearestOne() {
        assertThatThrownBy(() -> args("--watermark.max-out-of-order", "1 min"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("watermark.max-out-of-order: unknown key")
                .hasMessageContaining("did you mean watermark.max-out-of-orderness?");
    }

    @Test
    void shouldFailNamingTheKeyOfAnUnreadableValue() {
        assertThatThrownBy(() -> args("--dedup.horizon", "soon"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("dedup.horizon: cannot read 'soon'");
        assertThatThrownBy(() -> args("--jdbc.batch-size", "many"))
                .hasMessageStartingWith("jdbc.batch-size: cannot read 'many'");
        assertThatThrownBy(() -> args("--output.delivery-guarantee", "twice"))
                .hasMessageStartingWith("output.delivery-guarantee: cannot read 'twice'");
        assertThatThrownBy(() -> args("--input.bounded", "yes"))
                .hasMessageStartingWith("input.bounded: cannot read 'yes'");
    }

    @Test
    void shouldRejectValuesOutsideTheirRange() {
        assertThatThrownBy(() -> args("--activity.emit-interval", "7 min"))
                .hasMessageStartingWith("activity.emit-interval: must divide one day");
        assertThatThrownBy(() -> args("--watermark.idleness", "0 s"))
                .hasMessageStartingWith("watermark.idleness: must be positive");
        assertThatThrownBy(() -> args("--jdbc.batch-size", "0"))
                .hasMessageStartingWith("jdbc.batch-size: must be at least 1");
        assertThatThrownBy(() -> args("--input.topics", " , "))
                .hasMessageStartingWith("input.topics: names no topic");
        assertThatThrownBy(() -> args("--dead-letter.max-payload-bytes", "2000000"))
                .hasMessageStartingWith("dead-letter.max-payload-bytes: must be at most the producer's max.request.size");
        assertThat(args("--dead-letter.max-payload-bytes", "2000000", "--kafka.producer.max.request.size", "4194304")
                        .get(HeadwayConfig.DEAD_LETTER_MAX_PAYLOAD_BYTES))
                .isEqualTo(2000000);
    }

    @Test
    void shouldSetAnExplicitMaxParallelismSoSavepointsRescale() {
        assertThat(HeadwayJob.engineConfiguration(args()).get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
        assertThat(HeadwayJob.engineConfiguration(args("--job.max-parallelism", "720")).get(PipelineOptions.MAX_PARALLELISM))
                .isEqualTo(720);
        assertThatThrownBy(() -> args("--job.max-parallelism", "0"))
                .hasMessageStartingWith("job.max-parallelism: must be at least 1");
        assertThatThrownBy(() -> args("--job.max-parallelism", "40000"))
                .hasMessageStartingWith("job.max-parallelism: must be at most 32768");
    }

    @Test
    void shouldKeepScoreHistoryForADefaultPeriodOrForeverWithZero() {
        assertThat(args().get(HeadwayConfig.JDBC_SCORE_HISTORY_RETENTION)).isEqualTo(Duration.ofDays(400));
        assertThat(args("--jdbc.score-history-retention", "0").get(HeadwayConfig.JDBC_SCORE_HISTORY_RETENTION)).isZero();
        assertThatThrownBy(() -> args("--jdbc.score-history-retention", "-1 d"))
                .hasMessageStartingWith("jdbc.score-history-retention:");
    }

    @Test
    void shouldRequireCheckpointingForExactlyOnce() {
        assertThatThrownBy(
                        () -> args("--output.delivery-guarantee", "exactly-once", "--checkpoint.interval", "0 s"))
                .hasMessageStartingWith("output.delivery-guarantee: exactly-once needs checkpointing");
    }

    @Test
    void shouldRequireCheckpointingForTheAlwaysExactlyOnceAlertTopic() {
        assertThatThrownBy(() -> io.headway.sink.Sinks.alertTopic(args("--checkpoint.interval", "0 s")))
                .hasMessageStartingWith("checkpoint.interval: must be positive: the alert topic (output.alert-topic) is always written exactly-once");
        assertThatThrownBy(() -> io.headway.sink.Sinks.alertTopic(args("--checkpoint.interval", "20 min")))
                .hasMessageStartingWith("output.transaction-timeout: must be longer than checkpoint.interval (the alert topic is always exactly-once)");
        assertThat(args().get(HeadwayConfig.OUTPUT_ALERT_TOPIC)).isEqualTo("headway.alerts");
    }

    @Test
    void shouldReadPerTopicFormats() {
        HeadwayConfig c =
                args("--input.topics", "app,billing", "--input.topic-formats", "billing:avro");

        assertThat(c.topicFormats()).containsEntry("app", InputFormat.JSON).containsEntry("billing", InputFormat.AVRO);
        assertThatThrownBy(() -> args("--input.topic-formats", "other:avro"))
                .hasMessageStartingWith("input.topic-formats: topic 'other' is not in input.topics");
        assertThatThrownBy(() -> args("--input.topic-formats", "touchpoints:xml"))
                .hasMessageStartingWith("input.topic-formats: format of 'touchpoints' must be json or avro");
    }

    @Test
    void shouldLetTheCommandLineOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("headway.properties");
        Files.writeString(
                file,
                "kafka.bootstrap-servers=from-file:9092\ninput.group-id=file-group\nkafka.consumer.max.poll.records=100\n",
                StandardCharsets.UTF_8);

        HeadwayConfig c =
                HeadwayConfig.fromArgs(
                        new String[] {"--config", file.toString(), "--input.group-id=cli-group"}, NO_ENV);

        assertThat(c.get(HeadwayConfig.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("from-file:9092");
        assertThat(c.get(HeadwayConfig.INPUT_GROUP_ID)).isEqualTo("cli-group");
        assertThat(c.withPrefix(HeadwayConfig.KAFKA_CONSUMER_PREFIX)).containsEntry("max.poll.records", "100");
    }

    @Test
    void shouldNeverAcceptAPasswordOnTheCommandLine() {
        assertThatThrownBy(() -> args("--jdbc.password", "hunter2"))
                .hasMessageStartingWith("jdbc.password: secrets are never accepted on the command line")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> args("--kafka.consumer.sasl.jaas.config", "x"))
                .hasMessageStartingWith("kafka.consumer.sasl.jaas.config: secrets are never accepted");
    }

    @Test
    void shouldNotTakeAPasswordAsAConfigurationValue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("headway.properties");
        Files.writeString(file, "kafka.bootstrap-servers=k:9092\njdbc.password=hunter2\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> HeadwayConfig.fromArgs(new String[] {"--config", file.toString()}, NO_ENV))
                .hasMessageStartingWith("jdbc.password: passwords are not configuration values")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldReadThePasswordFromTheEnvironmentOrAFileAndNeverPrintIt(@TempDir Path dir) throws Exception {
        HeadwayConfig fromEnv =
                HeadwayConfig.fromArgs(
                        new String[] {"--kafka.bootstrap-servers", "k:9092", "--jdbc.url", "jdbc:postgresql://db/x"},
                        Map.of("HEADWAY_JDBC_PASSWORD", "s3cret-env"));
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret-file\n", StandardCharsets.UTF_8);
        HeadwayConfig fromFile =
                HeadwayConfig.fromArgs(
                        new String[] {"--kafka.bootstrap-servers", "k:9092", "--jdbc.password-file", file.toString()},
                        Map.of("HEADWAY_JDBC_PASSWORD", "s3cret-env"));

        assertThat(fromEnv.jdbcPassword()).isEqualTo("s3cret-env");
        assertThat(fromFile.jdbcPassword()).isEqualTo("s3cret-file");
        assertThat(fromEnv.toString()).doesNotContain("s3cret");
        assertThat(fromFile.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldFailNamingAPasswordFileThatCannotBeRead(@TempDir Path dir) {
        assertThatThrownBy(() -> args("--jdbc.password-file", dir.resolve("missing").toString()))
                .hasMessageStartingWith("jdbc.password-file: cannot read the password file");
    }

    @Test
    void shouldUseTheBundledCustomerModelByDefault() {
        HeadwayConfig c = args();

        assertThat(c.get(HeadwayConfig.MODEL_PATH)).isEmpty();
        assertThat(c.customerModel().origin()).isEqualTo("classpath:" + CustomerModel.DEFAULT_RESOURCE);
        assertThat(c.customerModel().journey("onboarding")).isPresent();
        assertThat(c.get(HeadwayConfig.OUTPUT_JOURNEY_TOPIC)).isEqualTo("headway.journeys");
    }

    @Test
    void shouldLoadTheCustomerModelNamedByModelPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("our-model.yaml");
        Files.writeString(file, CUSTOMER_MODEL, StandardCharsets.UTF_8);

        CustomerModel model = args("--model.path", file.toString()).customerModel();

        assertThat(model.origin()).isEqualTo("our-model.yaml");
        assertThat(model.journeys()).extracting(JourneyDefinition::name).containsExactly("trial");
    }

    @Test
    void shouldFailAtStartOnABadCustomerModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad-model.yaml");
        Files.writeString(file, CUSTOMER_MODEL.replace("due: 7 d", "due: 7 dys"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> args("--model.path", file.toString()))
                .isInstanceOf(ModelException.class)
                .hasMessage("bad-model.yaml journeys[0].milestones[0].due: \"7 dys\" is not a duration (use e.g. 5 d, 12 h, 30 min)");
    }

    @Test
    void shouldFailAtStartOnAJourneyMatcherNamingATypeTheJobDoesNotAccept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo-model.yaml");
        Files.writeString(file, CUSTOMER_MODEL.replace("type: login", "type: logon"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> args("--model.path", file.toString()))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("typo-model.yaml journeys[0].milestones[0].match.type: \"logon\" is not a type the job accepts");
    }

    @Test
    void shouldAcceptAJourneyMatcherOnASourceAddedByValidationExtraSources(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("extra-model.yaml");
        Files.writeString(file, CUSTOMER_MODEL.replace("source: billing", "source: partner_portal"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> args("--model.path", file.toString()))
                .hasMessageStartingWith("extra-model.yaml journeys[0].entry.source: \"partner_portal\" is not a source the job accepts");
        assertThat(args("--model.path", file.toString(), "--validation.extra-sources", "partner_portal")
                        .customerModel().journeys())
                .hasSize(1);
    }

    @Test
    void shouldFailNamingModelPathWhenTheModelFileIsMissing(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> args("--model.path", missing.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("model.path: cannot read the customer model file")
                .hasMessageContaining(missing.toAbsolutePath().toString());
    }

    @Test
    void shouldFailAtStartWithAMessageWhenARuleNamesSomethingTheModelLacks(@TempDir Path dir) throws Exception {
        // Each rule that watches a part of the model the file does not have: a message naming file and key, not a stack trace.
        String[][] cases = {
            {"renewal_low_health", "renewal_low_health watches the journey named renewal, and journeys: has none (trial); add a renewal journey or remove this rule"},
            {"time_to_value_at_risk", "time_to_value_at_risk watches a journey's time_to_value milestone, and no journey in journeys: (trial) declares one"},
            {"first_value_early", "first_value_early watches a journey's time_to_value milestone"},
        };
        for (String[] c : cases) {
            Path file = dir.resolve(c[0] + ".yaml");
            Files.writeString(file, CUSTOMER_MODEL + "rules:\n  alerts:\n    - {id: r, type: " + c[0]
                    + ", version: 1, severity: high, owner_team: success, action: Call}\n", StandardCharsets.UTF_8);

            assertThatThrownBy(() -> args("--model.path", file.toString()))
                    .as(c[0])
                    .isInstanceOf(ModelException.class)
                    .hasMessageStartingWith(c[0] + ".yaml rules.alerts[0].type: " + c[1]);
        }
    }

    @Test
    void shouldSayAtStartThatAModelWithoutRulesRaisesNoAlertsAndRefuseItWhenAlertsAreRequired(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("no-rules.yaml");
        Files.writeString(file, CUSTOMER_MODEL, StandardCharsets.UTF_8);

        HeadwayConfig quiet = args("--model.path", file.toString());
        assertThat(quiet.hasAlertRules()).isFalse();
        assertThat(quiet.toString()).contains("\nalerts: none \u2014 the customer model has no rules");
        assertThat(args().toString()).containsPattern("\nalerts: \\d+ rules \\(milestone-at-risk, ");

        assertThatThrownBy(() -> args("--model.path", file.toString(), "--alerts.required", "true"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("alerts.required: is true, but the customer model no-rules.yaml has no alert rules");
    }

    @Test
    void shouldLogTheAccountRiskAndWhichRulesTheBudgetAttachesToIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("risk.yaml");
        Files.writeString(file, CUSTOMER_MODEL + """
                rules:
                  alerts:
                    - {id: quiet, type: silence, version: 1, severity: high, owner_team: success, action: Call}
                    - {id: loud, type: health_red, version: 1, severity: high, owner_team: success, action: Call, standalone: true}
                risk: {threshold: 0.7, budget: true, fitted: {at: "2026-12-02", accounts: 491}}
                """, StandardCharsets.UTF_8);

        assertThat(args("--model.path", file.toString()).alertsSummary()).isEqualTo(
                "alerts: 3 rules (quiet (attached to account-risk), loud, account-risk); account risk: model 2026-12-02 "
                        + "{at=2026-12-02, accounts=491}, threshold 0.7, alert budget on");
    }

    @Test
    void shouldDefineEveryKeyOnceWithADescription() {
        List<String> names = HeadwayConfig.KEYS.stream().map(ConfigKey::name).toList();

        assertThat(names).doesNotHaveDuplicates();
        assertThat(HeadwayConfig.KEYS).allSatisfy(k -> assertThat(k.description()).isNotBlank());
    }

    private static HeadwayConfig args(String... more) {
        String[] all = new String[more.length + 2];
        all[0] = "--kafka.bootstrap-servers";
        all[1] = "k:9092";
        System.arraycopy(more, 0, all, 2, more.length);
        return HeadwayConfig.fromArgs(all, NO_ENV);
    }
}
