package io.headway.model;

import io.headway.ingest.TouchpointVocabulary;

import java.util.List;

/**
 * Every source and type a journey matcher names must be one the job accepts: a typo such as
 * {@code subscripton_cancelled} would otherwise be a rule that silently never fires, while the
 * touchpoints it meant are accepted and counted. Checked at start-up, against the same vocabulary the
 * parser uses ({@code validation.extra-sources}, {@code validation.extra-types} included).
 */
public final class VocabularyCheck {

    private VocabularyCheck() {}

    public static void check(CustomerModel model, TouchpointVocabulary vocabulary) {
        List<JourneyDefinition> journeys = model.journeys();
        for (int j = 0; j < journeys.size(); j++) {
            JourneyDefinition d = journeys.get(j);
            String at = "journeys[" + j + "]";
            check(model, vocabulary, d.entry(), at + ".entry");
            for (int m = 0; m < d.milestones().size(); m++) {
                check(model, vocabulary, d.milestones().get(m).match(), at + ".milestones[" + m + "].match");
            }
            for (int a = 0; a < d.abandonOn().size(); a++) {
                check(model, vocabulary, d.abandonOn().get(a), at + ".abandonment.on[" + a + "]");
            }
        }
    }

    private static void check(CustomerModel model, TouchpointVocabulary vocabulary, Matcher matcher, String path) {
        if (matcher.source() != null && !vocabulary.isKnownSource(matcher.source())) {
            throw new ModelException(model.origin(), path + ".source",
                    "\"" + matcher.source() + "\" is not a source the job accepts " + vocabulary.sources()
                            + " (add it to validation.extra-sources if it is new)");
        }
        for (String type : matcher.types()) {
            if (!vocabulary.isKnownType(type)) {
                throw new ModelException(model.origin(), path + ".type",
                        "\"" + type + "\" is not a type the job accepts (add it to validation.extra-types if it is new)");
            }
        }
    }
}
