package io.headway.score;

import static io.headway.testing.Fixtures.DAY_0;
import static io.headway.testing.Fixtures.touchpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.config.HeadwayConfig;
import io.headway.model.CustomerModel;
import io.headway.model.ModelException;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The scores: section of the customer model: the bundled file, defaults, and one test per way it can be wrong. */
class ScoreModelTest {

    private static final String JOURNEYS =
            """
            journeys:
              - name: trial
                entry: {source: onboarding, type: journey_started}
                milestones:
                  - name: setup
                    match: {source: onboarding, type: milestone_reached, attributes: {milestone: setup}}
                    due: 5 d
                    owner_team: onboarding
                    success: Set up.
                  - name: live
                    match: {source: product, type: feature_used}
                    due: 10 d
                    owner_team: success
                    success: Live.
                abandonment: {inactivity: 21 d}
            """;

    @Test
    void shouldReadTheBundledModelAsTheBuiltInDefaults() {
        ScoreModel bundled = ScoreModel.from(CustomerModel.defaults());
        ScoreModel builtIn = ScoreModel.defaults();

        for (Stage s : Stage.values()) {
            for (Component c : Component.values()) {
                assertThat(bundled.weight(s, c)).as("%s %s", s, c).isEqualTo(builtIn.weight(s, c));
            }
        }
        assertThat(bundled.greenFrom()).isEqualTo(builtIn.greenFrom());
        assertThat(bundled.yellowFrom()).isEqualTo(builtIn.yellowFrom());
        assertThat(bundled.hysteresis()).isEqualTo(builtIn.hysteresis());
        assertThat(bundled.changeDelta()).isEqualTo(builtIn.changeDelta());
        assertThat(bundled.silenceHorizon()).isEqualTo(builtIn.silenceHorizon());
        assertThat(bundled.recencyHalfLife()).isEqualTo(builtIn.recencyHalfLife());
        assertThat(bundled.depthTarget).isEqualTo(builtIn.depthTarget);
        assertThat(bundled.frequencyTargetDays).isEqualTo(builtIn.frequencyTargetDays);
        assertThat(bundled.entitledFeatures).isEqualTo(builtIn.entitledFeatures);
        assertThat(bundled.usageHalfLifeMillis).isEqualTo(builtIn.usageHalfLifeMillis);
        assertThat(bundled.supportHalfLifeMillis).isEqualTo(builtIn.supportHalfLifeMillis);
        assertThat(bundled.detractorPenalty).isEqualTo(builtIn.detractorPenalty);
        assertThat(bundled.renewalWindowMillis).isEqualTo(builtIn.renewalWindowMillis);
        assertThat(bundled.eventIdsPerDriver).isEqualTo(builtIn.eventIdsPerDriver);
        assertThat(bundled.milestones().count()).isEqualTo(ScoreModel.DEFAULT_MILESTONES.size());
        assertThat(bundled.npsSurveys).isEqualTo(builtIn.npsSurveys).containsExactly("nps");
        assertThat(bundled.csatSurveys).isEqualTo(builtIn.csatSurveys).containsExactly("csat");
    }

    @Test
    void shouldMatchOnboardingMilestonesWithTheJourneysMatchers() throws Exception {
        ScoreModel model = InstantiationUtil.clone(ScoreModel.from(CustomerModel.defaults()));

        assertThat(model.milestones().milestoneOf(touchpoint("e-1", "acme", DAY_0, "onboarding", "milestone_reached",
                Map.of("milestone", "first_report")))).isEqualTo(3);
        assertThat(model.milestones().milestoneOf(touchpoint("e-2", "acme", DAY_0, "onboarding", "milestone_reached",
                Map.of("milestone", "nope")))).isEqualTo(-1);
        assertThat(model.milestones().startsJourney(touchpoint("e-3", "acme", DAY_0, "onboarding", "journey_started",
                Map.of("journey", "onboarding")))).isTrue();
    }

    @Test
    void shouldUseTheDefaultsWhenTheModelHasNoScoresSection() {
        ScoreModel model = parse(JOURNEYS + "scores:\n  onboarding_journey: trial\n");
        ScoreModel none = ScoreModel.from(CustomerModel.parse(JOURNEYS, "test.yaml"));

        assertThat(model.milestones().count()).isEqualTo(2);
        assertThat(model.milestones().milestoneOf(touchpoint("e", "acme", DAY_0, "product", "feature_used"))).isEqualTo(1);
        // No journey called onboarding and none named: the onboarding component never appears.
        assertThat(none.milestones().milestoneOf(touchpoint("e", "acme", DAY_0, "onboarding", "milestone_reached",
                Map.of("milestone", "setup")))).isEqualTo(-1);
        assertThat(none.changeDelta()).isEqualTo(5);
    }

    @Test
    void shouldReadEveryKey() {
        ScoreModel m = parse(JOURNEYS + """
                scores:
                  onboarding_journey: trial
                  entitled_features: 20
                  depth_target: 2
                  frequency_target_days: 10
                  half_lives: {usage: 3 d, recency: 2 d, support: 5 d}
                  support: {open_ticket_penalty: 1, escalation_penalty: 2, reopen_penalty: 3, resolve_target: 12 h, slow_resolve_penalty_per_day: 4}
                  sentiment: {detractor_max_nps: 5, detractor_window: 10 d, detractor_penalty: 7}
                  bands: {green: 80, yellow: 50, hysteresis: 5}
                  emit: {change_delta: 2.5, drivers: 4, event_ids_per_driver: 5}
                  lifecycle: {silence_horizon: 20 d, renewal_term: 90 d, renewal_window: 14 d}
                  profiles:
                    adopted: {depth: 1, sentiment: 3}
                """);

        assertThat(m.entitledFeatures).isEqualTo(20);
        assertThat(m.depthTarget).isEqualTo(2.0);
        assertThat(m.frequencyTargetDays).isEqualTo(10);
        assertThat(m.usageHalfLifeMillis).isEqualTo(Duration.ofDays(3).toMillis());
        assertThat(m.recencyHalfLife()).isEqualTo(Duration.ofDays(2));
        assertThat(m.supportHalfLifeMillis).isEqualTo(Duration.ofDays(5).toMillis());
        assertThat(m.openTicketPenalty).isEqualTo(1.0);
        assertThat(m.escalationPenalty).isEqualTo(2.0);
        assertThat(m.reopenPenalty).isEqualTo(3.0);
        assertThat(m.resolveTargetMillis).isEqualTo(Duration.ofHours(12).toMillis());
        assertThat(m.slowResolvePenaltyPerDay).isEqualTo(4.0);
        assertThat(m.detractorMax).isEqualTo(5);
        assertThat(m.detractorWindowMillis).isEqualTo(Duration.ofDays(10).toMillis());
        assertThat(m.detractorPenalty).isEqualTo(7.0);
        assertThat(m.greenFrom()).isEqualTo(80.0);
        assertThat(m.yellowFrom()).isEqualTo(50.0);
        assertThat(m.hysteresis()).isEqualTo(5.0);
        assertThat(m.changeDelta()).isEqualTo(2.5);
        assertThat(m.drivers).isEqualTo(4);
        assertThat(m.eventIdsPerDriver).isEqualTo(5);
        assertThat(m.silenceHorizon()).isEqualTo(Duration.ofDays(20));
        assertThat(m.renewalTermMillis).isEqualTo(Duration.ofDays(90).toMillis());
        assertThat(m.renewalWindowMillis).isEqualTo(Duration.ofDays(14).toMillis());
        // A listed profile is complete; the others keep their defaults.
        assertThat(m.weight(Stage.ADOPTED, Component.DEPTH)).isEqualTo(1.0);
        assertThat(m.weight(Stage.ADOPTED, Component.SENTIMENT)).isEqualTo(3.0);
        assertThat(m.weight(Stage.ADOPTED, Component.OUTCOME)).isZero();
        assertThat(m.weight(Stage.RENEWAL, Component.SENTIMENT)).isEqualTo(ScoreModel.defaults().weight(Stage.RENEWAL, Component.SENTIMENT));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not a mapping          | scores: 5                                                      | test.yaml scores: must be a mapping of score settings (see docs/customer-model.md, Scores)
            unknown key            | scores: {bandz: {green: 70}}                                   | test.yaml scores.bandz: unknown key (did you mean bands?)
            unknown profile        | scores: {profiles: {onbording: {depth: 1}}}                    | test.yaml scores.profiles.onbording: unknown key (did you mean onboarding?)
            unknown component      | scores: {profiles: {adopted: {deph: 1}}}                       | test.yaml scores.profiles.adopted.deph: unknown key (did you mean depth?)
            negative weight        | scores: {profiles: {adopted: {depth: -1}}}                     | test.yaml scores.profiles.adopted.depth: must be a number >= 0, was -1
            weight not a number    | scores: {profiles: {adopted: {depth: high}}}                   | test.yaml scores.profiles.adopted.depth: must be a number, was "high"
            all weights zero       | scores: {profiles: {renewal: {depth: 0}}}                      | test.yaml scores.profiles.renewal: gives no component a positive weight
            yellow above green     | scores: {bands: {green: 50, yellow: 60}}                       | test.yaml scores.bands.yellow: must be above 0 and below green (50), was 60
            green over 100         | scores: {bands: {green: 120}}                                  | test.yaml scores.bands.green: must be a score above 0 and at most 100, was 120
            hysteresis too wide    | scores: {bands: {green: 60, yellow: 50, hysteresis: 10}}       | test.yaml scores.bands.hysteresis: must be less than the yellow band's width (10), or a score could never leave it; was 10
            duration without unit  | scores: {half_lives: {usage: 7}}                               | test.yaml scores.half_lives.usage: 7 has no unit (use e.g. 5 d, 12 h, 30 min)
            zero half-life         | scores: {half_lives: {recency: 0 d}}                           | test.yaml scores.half_lives.recency: must be longer than zero, was PT0S
            unknown journey        | scores: {onboarding_journey: onboard}                          | test.yaml scores.onboarding_journey: "onboard" is not a journey of this model; use one of trial
            frequency over window  | scores: {frequency_target_days: 30}                            | test.yaml scores.frequency_target_days: must be at most 28 (the active-day window), was 30
            fractional count       | scores: {entitled_features: 2.5}                               | test.yaml scores.entitled_features: must be a whole number, was 2.5
            too many event ids     | scores: {emit: {event_ids_per_driver: 20}}                     | test.yaml scores.emit.event_ids_per_driver: must be at most 16 (they are kept in every account's state), was 20
            zero change delta      | scores: {emit: {change_delta: 0}}                              | test.yaml scores.emit.change_delta: must be a positive number, was 0
            renewal window too long| scores: {lifecycle: {renewal_term: 30 d, renewal_window: 30 d}} | test.yaml scores.lifecycle.renewal_window: must be shorter than renewal_term (30 d)
            short silence horizon  | scores: {lifecycle: {silence_horizon: 2 h}}                    | test.yaml scores.lifecycle.silence_horizon: must be at least 1 d (scores are re-evaluated daily), was PT2H
            NPS out of range       | scores: {sentiment: {detractor_max_nps: 11}}                   | test.yaml scores.sentiment.detractor_max_nps: must be an NPS answer 0-10, was 11
            survey read both ways  | scores: {sentiment: {nps_surveys: [nps, pulse], csat_surveys: [pulse]}} | test.yaml scores.sentiment.csat_surveys: "pulse" is also in nps_surveys; a survey is read one way
            no survey listed       | scores: {sentiment: {nps_surveys: []}}                         | test.yaml scores.sentiment.nps_surveys: lists no survey; name at least one (the default is [nps])
            survey not a list      | scores: {sentiment: {csat_surveys: csat}}                      | test.yaml scores.sentiment.csat_surveys: must be a list, was "csat"
            """)
    void shouldRejectABadScoreDefinitionNamingItsPath(String kind, String scores, String message) {
        assertThatThrownBy(() -> parse(JOURNEYS + scores + "\n"))
                .as(kind)
                .isInstanceOf(ModelException.class)
                .hasMessage(message);
    }

    @Test
    void shouldStopTheJobAtStartOnABadScoresSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.yaml");
        Files.writeString(file, JOURNEYS + "scores: {bands: {green: 50, yellow: 60}}\n");

        assertThatThrownBy(() -> HeadwayConfig.of(Map.of("kafka.bootstrap-servers", "localhost:9092", "model.path", file.toString()), Map.of()))
                .isInstanceOf(ModelException.class)
                .hasMessage("model.yaml scores.bands.yellow: must be above 0 and below green (50), was 60");
    }

    private static ScoreModel parse(String yaml) {
        return ScoreModel.from(CustomerModel.parse(yaml, "test.yaml"));
    }
}
