package io.headway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.config.ConfigException;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the customer model: a valid file in full, then one test per way a file can be wrong. */
class CustomerModelTest {

    private static final Duration DAYS_5 = Duration.ofDays(5);

    // ---------------------------------------------------------------- valid models

    @Test
    void shouldReadEveryKeyOfAValidModel() {
        CustomerModel model = ModelYaml.valid().parse();

        assertThat(model.journeys()).extracting(JourneyDefinition::name).containsExactly("onboarding", "renewal");
        JourneyDefinition onboarding = model.journey("onboarding").orElseThrow();
        assertThat(onboarding.entry().describe()).isEqualTo("onboarding/journey_started{journey=onboarding}");
        assertThat(onboarding.behindShare()).isEqualTo(0.8);
        assertThat(onboarding.milestones()).extracting(MilestoneDefinition::name).containsExactly("kickoff", "first_value");
        MilestoneDefinition kickoff = onboarding.milestones().get(0);
        assertThat(kickoff.match().describe()).isEqualTo("onboarding/milestone_reached{milestone=kickoff}");
        assertThat(kickoff.due()).isEqualTo(DAYS_5);
        assertThat(kickoff.ownerTeam()).isEqualTo("onboarding");
        assertThat(kickoff.success()).isEqualTo("The customer's team knows the plan and who to call.");
        assertThat(onboarding.timeToValueMilestone()).isEqualTo(1);
        assertThat(onboarding.completionMilestone()).isEqualTo(1);
        assertThat(onboarding.abandonAfterInactivity()).isEqualTo(Duration.ofDays(21));
        assertThat(onboarding.abandonOn()).extracting(Matcher::describe).containsExactly("billing/subscription_cancelled");
        assertThat(onboarding.reEntry()).isEqualTo(ReEntryPolicy.NEW_INSTANCE);
        assertThat(onboarding.milestoneIndex("first_value")).isEqualTo(1);
        assertThat(onboarding.milestoneIndex("nope")).isEqualTo(-1);
        assertThat(model.journey("nope")).isEmpty();
    }

    @Test
    void shouldApplyTheDocumentedDefaults() {
        JourneyDefinition renewal =
                ModelYaml.valid().remove("/journeys/0/re_entry").parse().journey("renewal").orElseThrow();
        JourneyDefinition onboarding =
                ModelYaml.valid().remove("/journeys/0/re_entry").parse().journey("onboarding").orElseThrow();

        assertThat(renewal.behindShare()).isEqualTo(JourneyDefinition.DEFAULT_BEHIND_SHARE);
        assertThat(renewal.timeToValueMilestone()).isEqualTo(-1);
        assertThat(renewal.completionMilestone()).as("all milestones").isEqualTo(-1);
        assertThat(renewal.abandonOn()).isEmpty();
        assertThat(onboarding.reEntry()).isEqualTo(ReEntryPolicy.NEW_INSTANCE);
    }

    @Test
    void shouldReadEveryReEntryPolicyAndAllMilestonesCompletion() {
        for (ReEntryPolicy p : ReEntryPolicy.values()) {
            assertThat(ModelYaml.valid().set("/journeys/0/re_entry", p.wireName()).parse().journeys().get(0).reEntry())
                    .isEqualTo(p);
        }
        assertThat(ModelYaml.valid().set("/journeys/0/completion", "all_milestones").parse().journeys().get(0)
                        .completionMilestone())
                .isEqualTo(-1);
    }

    @Test
    void shouldAcceptDurationsWithOrWithoutASpaceAndEqualDueOffsets() {
        JourneyDefinition j =
                ModelYaml.valid()
                        .set("/journeys/0/milestones/0/due", "5d")
                        .set("/journeys/0/milestones/1/due", "120 h")
                        .set("/journeys/0/abandonment/inactivity", "30240min")
                        .parse()
                        .journeys()
                        .get(0);

        assertThat(j.milestones()).extracting(MilestoneDefinition::due).containsExactly(DAYS_5, DAYS_5);
        assertThat(j.abandonAfterInactivity()).isEqualTo(Duration.ofDays(21));
    }

    @Test
    void shouldLoadTheBundledDefaultModel() {
        CustomerModel model = CustomerModel.defaults();

        assertThat(model.journeys()).extracting(JourneyDefinition::name).containsExactly("onboarding", "adoption", "renewal");
        JourneyDefinition onboarding = model.journey("onboarding").orElseThrow();
        assertThat(onboarding.milestones())
                .extracting(MilestoneDefinition::name, m -> m.due().toDays())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kickoff", 5L),
                        org.assertj.core.groups.Tuple.tuple("integration_connected", 12L),
                        org.assertj.core.groups.Tuple.tuple("data_imported", 18L),
                        org.assertj.core.groups.Tuple.tuple("first_report", 24L),
                        org.assertj.core.groups.Tuple.tuple("team_invited", 30L),
                        org.assertj.core.groups.Tuple.tuple("first_value", 40L));
        assertThat(onboarding.timeToValueMilestone()).isEqualTo(5);
        assertThat(onboarding.completionMilestone()).isEqualTo(5);
        assertThat(onboarding.abandonAfterInactivity()).isEqualTo(Duration.ofDays(21));
        assertThat(onboarding.reEntry()).isEqualTo(ReEntryPolicy.NEW_INSTANCE);
        assertThat(onboarding.milestones()).allSatisfy(m -> assertThat(m.success()).endsWith("."));

        JourneyDefinition adoption = model.journey("adoption").orElseThrow();
        assertThat(adoption.entry().describe()).isEqualTo("onboarding/milestone_reached{milestone=first_value}");
        assertThat(adoption.completionMilestone()).isEqualTo(-1);
        assertThat(adoption.reEntry()).isEqualTo(ReEntryPolicy.NEVER);

        JourneyDefinition renewal = model.journey("renewal").orElseThrow();
        assertThat(renewal.entry().describe()).isEqualTo("billing/invoice_issued{period=2}");
        assertThat(renewal.milestones().get(0).match().describe()).isEqualTo("billing/invoice_paid{period=2}");
        assertThat(model.journeys())
                .allSatisfy(j -> assertThat(j.abandonOn()).extracting(Matcher::describe)
                        .containsExactly("billing/subscription_cancelled"));
    }

    @Test
    void shouldLoadAFileAndNameItInErrors(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, ModelYaml.VALID, StandardCharsets.UTF_8);
        Path bad = dir.resolve("customer-model.yaml");
        Files.writeString(bad, ModelYaml.valid().set("/journeys/0/milestones/1/due", "5x").yaml(), StandardCharsets.UTF_8);

        assertThat(CustomerModel.load(good).journeys()).hasSize(2);
        assertThat(CustomerModel.load(good).origin()).isEqualTo("good.yaml");
        assertThatThrownBy(() -> CustomerModel.load(bad))
                .isInstanceOf(ModelException.class)
                .hasMessage("customer-model.yaml journeys[0].milestones[1].due: \"5x\" is not a duration"
                        + " (use e.g. 5 d, 12 h, 30 min)");
    }

    @Test
    void shouldFailNamingModelPathAndTheFileWhenItCannotBeRead(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-model.yaml");

        assertThatThrownBy(() -> CustomerModel.load(missing))
                .isInstanceOf(ConfigException.class)
                .isNotInstanceOf(ModelException.class)
                .hasMessageStartingWith("model.path: cannot read the customer model file")
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .extracting(e -> ((ConfigException) e).key())
                .isEqualTo("model.path");
    }

    @Test
    void shouldKeepReservedSectionsRawForTheModulesThatReadThem() {
        CustomerModel model = ModelYaml.valid().parse();

        ModelNode weights = model.section("scores").get("weights");
        assertThat(weights.optionalDouble("product", 0)).isEqualTo(0.4);
        assertThat(weights.path()).isEqualTo("scores.weights");
        assertThat(weights.get("support").error("is too high").getMessage())
                .isEqualTo("test.yaml scores.weights.support: is too high");
        assertThat(model.section("rules").isMissing()).isTrue();
        assertThat(model.section("rules").path()).isEqualTo("rules");
    }

    // ---------------------------------------------------------------- goals

    @Test
    void shouldReadTheGoalsSection() {
        GoalSettings goals = ModelYaml.valid().set("/goals", Map.of("window", 5, "at_risk_tolerance", 0.25)).parse().goals();

        assertThat(goals.window()).isEqualTo(5);
        assertThat(goals.atRiskTolerance()).isEqualTo(0.25);
    }

    @Test
    void shouldUseTheGoalDefaultsWithoutAGoalsSectionOrForAMissingKey() {
        assertThat(ModelYaml.valid().parse().goals()).isEqualTo(GoalSettings.defaults());
        assertThat(ModelYaml.valid().set("/goals", Map.of("window", 4)).parse().goals().atRiskTolerance())
                .isEqualTo(GoalSettings.DEFAULT_AT_RISK_TOLERANCE);
        assertThat(GoalSettings.defaults()).isEqualTo(new GoalSettings(8, 0.1, 3, java.time.Duration.ofDays(14).toMillis()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 33, -4})
    void shouldRejectAGoalWindowOutsideTwoTo32(int window) {
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("window", window)).parse())
                .hasMessage("test.yaml goals.window: must be between 2 and 32 measurements (a trend needs two), was " + window);
    }

    @Test
    void shouldRejectAGoalWindowThatIsNotAWholeNumber() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("window", 2.5)).parse())
                .hasMessage("test.yaml goals.window: must be a whole number, was 2.5");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.5})
    void shouldRejectAnAtRiskToleranceOutsideZeroToOne(double tolerance) {
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("at_risk_tolerance", tolerance)).parse())
                .hasMessage("test.yaml goals.at_risk_tolerance: must be between 0 and 1 (a share of target - baseline), was "
                        + tolerance);
    }

    @Test
    void shouldRejectAnAtRiskToleranceThatIsNotANumber() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("at_risk_tolerance", "10%")).parse())
                .hasMessage("test.yaml goals.at_risk_tolerance: must be a number, was \"10%\"");
    }

    @Test
    void shouldRejectAnUnknownGoalsKeyAndAGoalsSectionThatIsNotAMapping() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("windw", 4)).parse())
                .hasMessage("test.yaml goals.windw: unknown key (did you mean window?)");
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", List.of(4)).parse())
                .hasMessage("test.yaml goals: must be a mapping with window, at_risk_tolerance, min_measurements and min_span");
    }

    @Test
    void shouldReadTheGoalsMinimumEvidenceAndRejectOneThatCannotBeMet() {
        assertThat(ModelYaml.valid().set("/goals", Map.of("min_measurements", 4, "min_span", "21 d")).parse().goals())
                .isEqualTo(new GoalSettings(8, 0.1, 4, java.time.Duration.ofDays(21).toMillis()));
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("window", 4, "min_measurements", 5)).parse())
                .hasMessage("test.yaml goals.min_measurements: must be between 2 (a trend needs two) and window (4), was 5");
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("min_measurements", 1)).parse())
                .hasMessage("test.yaml goals.min_measurements: must be between 2 (a trend needs two) and window (8), was 1");
        assertThatThrownBy(() -> ModelYaml.valid().set("/goals", Map.of("min_span", "2 weeks")).parse())
                .hasMessageStartingWith("test.yaml goals.min_span: \"2 weeks\" is not a duration");
    }

    @Test
    void shouldSurviveJavaSerializationAsFlinkShipsIt() throws Exception {
        CustomerModel copy = InstantiationUtil.clone(ModelYaml.valid().parse());

        JourneyDefinition renewal = copy.journey("renewal").orElseThrow();
        assertThat(renewal.milestones().get(0).match())
                .isEqualTo(Matcher.of("billing", List.of("invoice_paid"), Map.of("period", "2")));
        assertThat(copy.section("scores").get("weights").optionalDouble("support", 0)).isEqualTo(0.6);
    }

    // ---------------------------------------------------------------- the file as a whole

    @Test
    void shouldReportAYamlSyntaxErrorWithLineAndColumn() {
        String broken = "journeys:\n  - name: onboarding\n    entry: {source: onboarding\n    milestones: []\n";

        assertThatThrownBy(() -> CustomerModel.parse(broken, "test.yaml"))
                .isInstanceOf(ModelException.class)
                .hasMessageMatching("test\\.yaml: YAML syntax error at line \\d+, column \\d+: .+");
    }

    @Test
    void shouldRejectDuplicateKeysAsASyntaxError() {
        String twice = ModelYaml.VALID.replace("    re_entry: never\n", "    re_entry: never\n    re_entry: reopen\n");

        assertThatThrownBy(() -> CustomerModel.parse(twice, "test.yaml"))
                .hasMessageStartingWith("test.yaml: YAML syntax error at line")
                .hasMessageContaining("re_entry");
    }

    @Test
    void shouldRejectASecondYamlDocument() {
        assertThatThrownBy(() -> CustomerModel.parse(ModelYaml.VALID + "---\njourneys: []\n", "test.yaml"))
                .hasMessageStartingWith("test.yaml: holds a second YAML document");
    }

    @ParameterizedTest
    @ValueSource(strings = {"- journeys\n", "just text\n", "42\n"})
    void shouldRejectATopLevelThatIsNotAMapping(String yaml) {
        assertThatThrownBy(() -> CustomerModel.parse(yaml, "test.yaml"))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("test.yaml: must be a mapping with journeys");
    }

    @Test
    void shouldRejectAnEmptyFile() {
        assertThatThrownBy(() -> CustomerModel.parse("# nothing yet\n", "test.yaml"))
                .hasMessageStartingWith("test.yaml: is empty");
    }

    @Test
    void shouldRequireJourneys() {
        assertThatThrownBy(() -> ModelYaml.valid().remove("/journeys").parse())
                .hasMessageStartingWith("test.yaml journeys: is required");
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys", List.of()).parse())
                .hasMessage("test.yaml journeys: lists no journey; define at least one");
    }

    @Test
    void shouldRejectMoreThanEightJourneys() {
        ModelYaml eight = ModelYaml.valid();
        for (int i = 2; i < 8; i++) {
            eight.set("/journeys/" + i, journeyNamed(eight, "extra-" + i));
        }
        ModelYaml nine = ModelYaml.valid();
        for (int i = 2; i < 9; i++) {
            nine.set("/journeys/" + i, journeyNamed(nine, "extra-" + i));
        }

        assertThat(eight.parse().journeys()).hasSize(8);
        assertThatThrownBy(nine::parse).hasMessage("test.yaml journeys: lists 9 journeys; at most 8 are allowed");
    }

    // ---------------------------------------------------------------- keys

    @ParameterizedTest
    @CsvSource({
        "/journey,                                 journey,                                  journeys",
        "/journeys/0/milestone,                    journeys[0].milestone,                    milestones",
        "/journeys/0/milestones/1/owner_teem,      journeys[0].milestones[1].owner_teem,     owner_team",
        "/journeys/0/entry/sorce,                  journeys[0].entry.sorce,                  source",
        "/journeys/1/abandonment/inactivty,        journeys[1].abandonment.inactivty,        inactivity",
        "/journeys/0/reentry,                      journeys[0].reentry,                      re_entry",
    })
    void shouldRejectAnUnknownKeyAnywhereAndSuggestTheNearest(String pointer, String path, String suggestion) {
        assertThatThrownBy(() -> ModelYaml.valid().set(pointer, "x").parse())
                .isInstanceOf(ModelException.class)
                .hasMessage("test.yaml " + path + ": unknown key (did you mean " + suggestion + "?)");
    }

    @Test
    void shouldListTheAllowedKeysWhenNoneIsNear() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/abandonment/whenever", "x").parse())
                .hasMessage("test.yaml journeys[0].abandonment.whenever: unknown key; allowed here: inactivity, on");
    }

    @ParameterizedTest
    @CsvSource({
        "/journeys/0/name,                     journeys[0].name",
        "/journeys/0/entry,                    journeys[0].entry",
        "/journeys/0/milestones,               journeys[0].milestones",
        "/journeys/0/milestones/1/name,        journeys[0].milestones[1].name",
        "/journeys/0/milestones/1/match,       journeys[0].milestones[1].match",
        "/journeys/0/milestones/1/due,         journeys[0].milestones[1].due",
        "/journeys/0/milestones/1/owner_team,  journeys[0].milestones[1].owner_team",
        "/journeys/0/milestones/1/success,     journeys[0].milestones[1].success",
        "/journeys/0/abandonment/inactivity,   journeys[0].abandonment.inactivity",
        "/journeys/1/abandonment,              journeys[1].abandonment.inactivity",
    })
    void shouldRequireKey(String pointer, String path) {
        assertThatThrownBy(() -> ModelYaml.valid().remove(pointer).parse())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("test.yaml " + path + ": is required");
    }

    @Test
    void shouldTellAKeyWithoutValueFromAMissingOne() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/0/owner_team", null).parse())
                .hasMessage("test.yaml journeys[0].milestones[0].owner_team: has no value");
    }

    @Test
    void shouldRejectAValueOfTheWrongShape() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones", "kickoff").parse())
                .hasMessage("test.yaml journeys[0].milestones: must be a list, was \"kickoff\"");
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/entry", "journey_started").parse())
                .hasMessageStartingWith("test.yaml journeys[0].entry: must be a mapping of source, type and/or attributes");
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/name", 7).parse())
                .hasMessage("test.yaml journeys[0].name: must be text, was 7 (put it in quotes)");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/journeys/0/name|           journeys[0].name",
                "/journeys/0/milestones/0/name|journeys[0].milestones[0].name",
                "/journeys/0/milestones/0/owner_team|journeys[0].milestones[0].owner_team",
            })
    void shouldRejectABlankName(String pointer, String path) {
        assertThatThrownBy(() -> ModelYaml.valid().set(pointer, "  ").parse())
                .hasMessage("test.yaml " + path + ": must not be blank");
    }

    // ---------------------------------------------------------------- durations

    @Test
    void shouldRejectABadDuration() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/1/due", "5x").parse())
                .isInstanceOf(ModelException.class)
                .hasMessage("test.yaml journeys[0].milestones[1].due: \"5x\" is not a duration (use e.g. 5 d, 12 h, 30 min)");
    }

    @Test
    void shouldRejectADurationWithoutUnit() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/1/due", 40).parse())
                .hasMessage("test.yaml journeys[0].milestones[1].due: 40 has no unit (use e.g. 5 d, 12 h, 30 min)");
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/abandonment/inactivity", "21").parse())
                .hasMessage("test.yaml journeys[0].abandonment.inactivity: \"21\" has no unit (use e.g. 5 d, 12 h, 30 min)");
    }

    @Test
    void shouldRejectAZeroOrNegativeDue() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/0/due", "0 d").parse())
                .hasMessageStartingWith("test.yaml journeys[0].milestones[0].due: must be positive");
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/0/due", "-1 d").parse())
                .hasMessageStartingWith("test.yaml journeys[0].milestones[0].due: \"-1 d\" is not a duration");
    }

    @Test
    void shouldRejectAZeroInactivity() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/1/abandonment/inactivity", "0 min").parse())
                .hasMessage("test.yaml journeys[1].abandonment.inactivity: must be positive, was 0 s");
    }

    @Test
    void shouldRejectDueOffsetsThatDecreaseAlongTheList() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/1/due", "4 d").parse())
                .hasMessage("test.yaml journeys[0].milestones[1].due: 4 d is earlier than the 5 d of kickoff before it;"
                        + " list milestones in the order they are due");
    }

    // ---------------------------------------------------------------- names and references

    @Test
    void shouldRejectDuplicateJourneyNames() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/1/name", "onboarding").parse())
                .hasMessage("test.yaml journeys[1].name: \"onboarding\" is already the name of journeys[0]");
    }

    @Test
    void shouldRejectDuplicateMilestoneNamesWithinAJourney() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/1/name", "kickoff").parse())
                .hasMessage("test.yaml journeys[0].milestones[1].name: \"kickoff\" is already the name of milestones[0]");
        assertThat(ModelYaml.valid().set("/journeys/1/milestones/0/name", "kickoff").parse().journeys())
                .as("the same milestone name in another journey")
                .hasSize(2);
    }

    @Test
    void shouldReserveAllMilestonesAsAMilestoneName() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/1/milestones/0/name", "all_milestones").parse())
                .hasMessageStartingWith("test.yaml journeys[1].milestones[0].name: \"all_milestones\" is reserved");
    }

    @Test
    void shouldRejectATimeToValueThatNamesNoMilestone() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/time_to_value", "frist_value").parse())
                .hasMessage("test.yaml journeys[0].time_to_value: \"frist_value\" is not a milestone of this journey;"
                        + " use one of kickoff, first_value");
    }

    @Test
    void shouldRejectACompletionThatNamesNoMilestone() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/completion", "done").parse())
                .hasMessage("test.yaml journeys[0].completion: \"done\" is not a milestone of this journey;"
                        + " use one of kickoff, first_value or all_milestones");
    }

    @Test
    void shouldRejectAnUnknownReEntryPolicyListingTheAllowedOnes() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/1/re_entry", "sometimes").parse())
                .hasMessage("test.yaml journeys[1].re_entry: \"sometimes\" is not a re-entry policy;"
                        + " use one of never, new_instance, reopen");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, 1.5, -0.2})
    void shouldRejectABehindShareOutsideZeroToOne(double share) {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/behind_share", share).parse())
                .hasMessageStartingWith("test.yaml journeys[0].behind_share: must be between 0 and 1, both excluded")
                .hasMessageEndingWith("was " + share);
    }

    @Test
    void shouldRejectABehindShareThatIsNotANumber() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/behind_share", "80%").parse())
                .hasMessage("test.yaml journeys[0].behind_share: must be a number, was \"80%\"");
    }

    @Test
    void shouldReadBehindBeforeAsAFixedWarningTimeBeforeEachDeadline() {
        CustomerModel model = ModelYaml.valid().remove("/journeys/0/behind_share").set("/journeys/0/behind_before", "2 d").parse();

        JourneyDefinition onboarding = model.journeys().get(0);
        assertThat(onboarding.behindBefore()).isEqualTo(java.time.Duration.ofDays(2));
        // kickoff due at 5 d, first_value at 40 d: behind 2 days before each.
        assertThat(onboarding.behindOffsetMillis(0)).isEqualTo(java.time.Duration.ofDays(3).toMillis());
        assertThat(onboarding.behindOffsetMillis(1)).isEqualTo(java.time.Duration.ofDays(38).toMillis());
        assertThat(model.journeys().get(1).behindBefore()).as("the other journey keeps its share").isNull();
    }

    @Test
    void shouldRejectBehindBeforeTogetherWithBehindShare() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/behind_before", "2 d").parse())
                .hasMessage("test.yaml journeys[0].behind_before: give behind_share or behind_before, not both");
    }

    @Test
    void shouldRejectBehindBeforeNotShorterThanEveryDueOffset() {
        assertThatThrownBy(() -> ModelYaml.valid().remove("/journeys/0/behind_share").set("/journeys/0/behind_before", "5 d").parse())
                .hasMessage("test.yaml journeys[0].behind_before: must be shorter than every milestone's due offset;"
                        + " kickoff is due at 5 d, was 5 d");
        assertThatThrownBy(() -> ModelYaml.valid().remove("/journeys/0/behind_share").set("/journeys/0/behind_before", "0 d").parse())
                .hasMessage("test.yaml journeys[0].behind_before: must be positive, was 0 s");
    }

    // ---------------------------------------------------------------- milestones

    @Test
    void shouldRejectAnEmptyMilestoneList() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/1/milestones", List.of()).parse())
                .hasMessage("test.yaml journeys[1].milestones: lists no milestone; a journey needs at least one");
    }

    @Test
    void shouldRejectMoreThan32Milestones() {
        assertThat(withRenewalMilestones(32).parse().journey("renewal").orElseThrow().milestones()).hasSize(32);
        assertThatThrownBy(() -> withRenewalMilestones(33).parse())
                .hasMessage("test.yaml journeys[1].milestones: lists 33 milestones; at most 32 are allowed");
    }

    // ---------------------------------------------------------------- matchers

    @Test
    void shouldRejectAMatcherWithoutAnyCondition() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/entry", Map.of()).parse())
                .hasMessage("test.yaml journeys[0].entry: has no condition and would match every touchpoint;"
                        + " give a source, a type or attributes");
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/milestones/0/match", Map.of("attributes", Map.of())).parse())
                .hasMessageStartingWith("test.yaml journeys[0].milestones[0].match: has no condition");
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/abandonment/on/0", Map.of("type", List.of())).parse())
                .hasMessage("test.yaml journeys[0].abandonment.on[0].type: lists no type; leave type out to match any type");
    }

    @Test
    void shouldRejectAnAttributeValueThatIsNotAScalar() {
        String attribute = "/journeys/0/milestones/0/match/attributes/milestone";

        assertThatThrownBy(() -> ModelYaml.valid().set(attribute, List.of("kickoff", "first_value")).parse())
                .hasMessage("test.yaml journeys[0].milestones[0].match.attributes.milestone: must be a single value (text), was a list");
        assertThatThrownBy(() -> ModelYaml.valid().set(attribute, Map.of("is", "kickoff")).parse())
                .hasMessage("test.yaml journeys[0].milestones[0].match.attributes.milestone: must be a single value (text), was a mapping");
        assertThatThrownBy(() -> ModelYaml.valid().set(attribute, 2.5).parse())
                .hasMessageStartingWith("test.yaml journeys[0].milestones[0].match.attributes.milestone: must be written as text in quotes");
    }

    @Test
    void shouldQuoteAnAttributeNameThatIsNotAPlainWordInThePath() {
        assertThatThrownBy(() -> ModelYaml.valid().set("/journeys/0/entry/attributes/plan.tier", List.of()).parse())
                .hasMessageStartingWith("test.yaml journeys[0].entry.attributes[\"plan.tier\"]: must be a single value");
    }

    // ---------------------------------------------------------------- helpers

    private static Object journeyNamed(ModelYaml yaml, String name) {
        com.fasterxml.jackson.databind.node.ObjectNode j =
                (com.fasterxml.jackson.databind.node.ObjectNode) yaml.copyOf("/journeys/1");
        j.put("name", name);
        return j;
    }

    private static ModelYaml withRenewalMilestones(int count) {
        ModelYaml yaml = ModelYaml.valid();
        List<Object> milestones = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            milestones.add(Map.of(
                    "name", "step_" + i,
                    "match", Map.of("type", "step_" + i),
                    "due", (i + 1) + " d",
                    "owner_team", "success",
                    "success", "Step " + i + " is done."));
        }
        return yaml.set("/journeys/1/milestones", milestones);
    }
}
