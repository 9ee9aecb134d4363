package io.headway.backtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the report shows of alerts.jsonl, read in one pass without holding the file: for the
 * {@code --model} run, one example risk alert per rule (its first opening: what a CS team would have
 * seen) and the accounts with the most risk openings (who would have been on the list most).
 * The figures themselves come from scorecard.json; this only illustrates them.
 */
final class AlertDigest {

    /** The {@code model} value of the {@code --model} run's lines; lines without the field belong to it too. */
    static final String MODEL = "model";
    static final int TOP_ACCOUNTS = 10;

    /** One account's risk openings in the {@code --model} run. */
    record AccountLoad(String accountId, int openings, TreeSet<String> rules) {}

    final boolean present;
    long lines;
    /** Lines that are not a JSON object: counted and shown, never a reason to fail the report. */
    long unreadable;
    long riskOpenings;
    final Map<String, JsonNode> exampleByRule = new LinkedHashMap<>();
    private final Map<String, AccountLoad> loadByAccount = new HashMap<>();

    private AlertDigest(boolean present) {
        this.present = present;
    }

    static AlertDigest read(Path alerts, ObjectMapper json) throws IOException {
        if (!Files.isRegularFile(alerts)) {
            return new AlertDigest(false);
        }
        AlertDigest digest = new AlertDigest(true);
        try (BufferedReader in = Files.newBufferedReader(alerts, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                digest.lines++;
                JsonNode alert;
                try {
                    alert = json.readTree(line);
                } catch (IOException e) {
                    digest.unreadable++;
                    continue;
                }
                if (alert == null || !alert.isObject()) {
                    digest.unreadable++;
                    continue;
                }
                digest.add(alert);
            }
        }
        return digest;
    }

    private void add(JsonNode alert) {
        boolean ofModel = MODEL.equals(alert.path("model").asText(MODEL));
        boolean riskOpening = "risk".equals(alert.path("kind").asText()) && "fired".equals(alert.path("reason").asText());
        if (!ofModel || !riskOpening) {
            return;
        }
        riskOpenings++;
        String rule = alert.path("rule").asText();
        exampleByRule.putIfAbsent(rule, alert);
        String account = alert.path("account_id").asText();
        AccountLoad load = loadByAccount.computeIfAbsent(account, a -> new AccountLoad(a, 0, new TreeSet<>()));
        load.rules().add(rule);
        loadByAccount.put(account, new AccountLoad(account, load.openings() + 1, load.rules()));
    }

    /** The accounts with the most risk openings, most first (ties by account id, so two runs read the same). */
    List<AccountLoad> topAccounts() {
        List<AccountLoad> all = new ArrayList<>(loadByAccount.values());
        all.sort(Comparator.comparingInt(AccountLoad::openings).reversed().thenComparing(AccountLoad::accountId));
        return all.subList(0, Math.min(TOP_ACCOUNTS, all.size()));
    }

    int accountsAlerted() {
        return loadByAccount.size();
    }
}
