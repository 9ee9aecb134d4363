package io.headway.sink;

import static io.headway.testing.AnalystRows.day;
import static io.headway.testing.AnalystRows.score;
import static io.headway.testing.AnalystRows.write;
import static io.headway.testing.PostgresTestDatabase.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.headway.testing.PostgresTestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code jdbc.score-history-retention} on a real PostgreSQL: the function migration V5 adds. */
class ScoreHistoryRetentionTest {

    @RegisterExtension
    static final PostgresTestDatabase POSTGRES = new PostgresTestDatabase();

    private String url;

    @BeforeEach
    void migrate() throws Exception {
        url = POSTGRES.newDatabase();
        SchemaMigrator.migrate(url, "postgres", null);
    }

    @Test
    void shouldDeleteHistoryOlderThanTheRetentionBeforeTheNewestScoreAndKeepTheCurrentScores() throws Exception {
        // Old dates on purpose: the cut follows the newest row, so a replay of last year is kept.
        write(url, ScoreRowBinder.UPSERT, new ScoreRowBinder(),
                score("acme", day(0), "change", 70, "green", 80),
                score("acme", day(10), "daily", 65, "green", 70),
                score("globex", day(11), "change", 60, "yellow", 60),
                score("acme", day(30), "daily", 50, "yellow", 40));

        long deleted = ScoreHistoryRetention.prune(url, "postgres", null, Duration.ofDays(15));

        assertThat(deleted).isEqualTo(3);
        assertThat(history()).extracting(r -> r.get("account_id") + "@" + r.get("at_ms"))
                .containsExactly("acme@" + day(30).toEpochMilli());
        assertThat(query(url, "SELECT account_id FROM scores_current ORDER BY account_id"))
                .extracting(r -> r.get("account_id"))
                .as("the latest score of every account stays, even of an account whose history is gone")
                .containsExactly("acme", "globex");
        assertThat(ScoreHistoryRetention.prune(url, "postgres", null, Duration.ofDays(15))).isZero();
    }

    @Test
    void shouldAcceptTheDefaultRetentionOfMoreThanAYear() throws Exception {
        write(url, ScoreRowBinder.UPSERT, new ScoreRowBinder(),
                score("acme", day(0), "daily", 70, "green", 80),
                score("acme", day(401), "daily", 65, "green", 70));

        assertThat(ScoreHistoryRetention.prune(url, "postgres", null, Duration.ofDays(400))).isEqualTo(1);
    }

    @Test
    void shouldKeepTheRowExactlyAtTheCut() throws Exception {
        write(url, ScoreRowBinder.UPSERT, new ScoreRowBinder(),
                score("acme", day(0), "daily", 70, "green", 80),
                score("acme", day(20), "daily", 65, "green", 70));

        assertThat(ScoreHistoryRetention.prune(url, "postgres", null, Duration.ofDays(20))).isZero();
        assertThat(history()).hasSize(2);
    }

    @Test
    void shouldDoNothingOnAnEmptyTableOrAZeroRetention() throws Exception {
        assertThat(ScoreHistoryRetention.prune(url, "postgres", null, Duration.ofDays(1))).isZero();
        write(url, ScoreRowBinder.UPSERT, new ScoreRowBinder(),
                score("acme", day(0), "daily", 70, "green", 80),
                score("acme", day(400), "daily", 65, "green", 70));

        assertThat(ScoreHistoryRetention.prune(url, "postgres", null, Duration.ZERO)).isZero();
        assertThat(history()).hasSize(2);
    }

    private List<Map<String, Object>> history() throws Exception {
        return query(url, "SELECT account_id, (extract(epoch FROM as_of) * 1000)::bigint AS at_ms FROM score_history ORDER BY as_of");
    }
}
