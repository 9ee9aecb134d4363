package io.headway.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** The outcomes contract (docs/backtest.md, "Outcomes"): what is read, and every bad row stops with file:line. */
class OutcomesTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadRowsWithQuotedSlicesEpochMillisAndGoals() throws IOException {
        Outcomes o = Outcomes.read(write("plan,account_id,result,result_at,goal_id,region\n"
                + "\"pro, annual\",acc-1,achieved,2025-03-01T00:00:00Z,first_value,\"EU \"\"west\"\"\"\n"
                + "\n"
                + "basic,acc-1,MISSED,1740787200000,renewal,US\n"));
        assertThat(o.sliceColumns).containsExactly("plan", "region");
        assertThat(o.rows).hasSize(2);
        Outcomes.Row first = o.rows.get(0);
        assertThat(first.accountId()).isEqualTo("acc-1");
        assertThat(first.missed()).isFalse();
        assertThat(first.resultAt()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z").toEpochMilli());
        assertThat(first.goalId()).isEqualTo("first_value");
        assertThat(first.slices()).isEqualTo(Map.of("plan", "pro, annual", "region", "EU \"west\""));
        assertThat(first.line()).isEqualTo(2);
        Outcomes.Row second = o.rows.get(1);
        assertThat(second.missed()).isTrue();
        assertThat(second.resultAt()).isEqualTo(1740787200000L);
        assertThat(second.line()).isEqualTo(4);
    }

    @Test
    void shouldNameFileAndLineOfEveryKindOfBadRow() throws IOException {
        assertBad("", ":1: the file is empty");
        assertBad("account_id,result\n", ":1: the header has no result_at column");
        assertBad("account_id,result,result_at,result\n", ":1: header column result appears twice");
        assertBad("account_id,result,result_at\na,achieved\n", ":2: 2 columns, the header has 3");
        assertBad("account_id,result,result_at\n ,achieved,1\n", ":2: account_id is empty");
        assertBad("account_id,result,result_at\na,achieved,1\nb,won,1\n", ":3: result must be achieved or missed, was 'won'");
        assertBad("account_id,result,result_at\na,achieved,yesterday\n", ":2: result_at must be an ISO-8601 instant");
        assertBad("account_id,result,result_at\na,achieved,1\na,missed,2\n", ":3: a second row for account a (the first is on line 2)");
        assertBad("account_id,result,result_at\na,achieved,\"1\n", ":2: not valid CSV");
    }

    private void assertBad(String csv, String message) throws IOException {
        Path file = write(csv);
        assertThatThrownBy(() -> Outcomes.read(file)).isInstanceOf(InputException.class).hasMessageStartingWith(file + message);
    }

    private Path write(String csv) throws IOException {
        Path file = Files.createTempFile(dir, "outcomes", ".csv");
        Files.writeString(file, csv);
        return file;
    }
}
