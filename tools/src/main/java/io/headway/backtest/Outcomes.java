package io.headway.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcomes file: what really happened to each account (docs/backtest.md, "Outcomes"). A CSV file
 * (RFC 4180) with a header; columns {@code account_id}, {@code result} ({@code achieved} or
 * {@code missed}), {@code result_at} (ISO-8601 instant or epoch milliseconds), optional
 * {@code goal_id}; every other column is a slice. The first bad row stops the run with
 * {@code file:line: reason}.
 */
final class Outcomes {

    static final String ACCOUNT_ID = "account_id";
    static final String RESULT = "result";
    static final String RESULT_AT = "result_at";
    static final String GOAL_ID = "goal_id";

    /** One row: {@code slices} maps each slice column (in header order) to this row's value. */
    record Row(String accountId, boolean missed, long resultAt, String goalId, Map<String, String> slices, long line) {}

    final List<Row> rows;
    /** Slice columns in header order. */
    final List<String> sliceColumns;

    private Outcomes(List<Row> rows, List<String> sliceColumns) {
        this.rows = rows;
        this.sliceColumns = sliceColumns;
    }

    /** @throws InputException {@code file:line: reason} for the first bad row, or a file that cannot be read */
    static Outcomes read(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InputException("--outcomes " + name + ": no such file");
        }
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<List<String>> it = mapper.readerForListOf(String.class).readValues(in)) {
            if (!it.hasNextValue()) {
                throw new InputException(name + ":1: the file is empty; a header with account_id,result,result_at is required");
            }
            List<String> header = it.nextValue();
            long headerLine = it.getCurrentLocation().getLineNr();
            Map<String, Integer> column = columns(name, headerLine, header);
            List<String> slices = new ArrayList<>();
            for (String h : header) {
                if (!List.of(ACCOUNT_ID, RESULT, RESULT_AT, GOAL_ID).contains(h.trim())) {
                    slices.add(h.trim());
                }
            }
            List<Row> rows = new ArrayList<>();
            Map<String, Long> seen = new HashMap<>();
            while (true) {
                long line = it.getCurrentLocation().getLineNr();
                List<String> values;
                try {
                    if (!it.hasNextValue()) {
                        break;
                    }
                    values = it.nextValue();
                } catch (RuntimeException e) {
                    throw new InputException(name + ":" + line + ": not valid CSV (" + firstLine(e.getMessage()) + ")");
                }
                Row row = row(name, line, header, column, slices, values);
                String key = row.accountId() + "\u0000" + (row.goalId() == null ? "" : row.goalId());
                Long earlier = seen.putIfAbsent(key, line);
                if (earlier != null) {
                    throw new InputException(name + ":" + line + ": a second row for account " + row.accountId()
                            + (row.goalId() == null ? "" : " and goal " + row.goalId()) + " (the first is on line " + earlier + ")");
                }
                rows.add(row);
            }
            return new Outcomes(rows, Collections.unmodifiableList(slices));
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InputException(name + ":" + line + ": not valid CSV (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new InputException("--outcomes " + name + ": cannot read it (" + e + ")");
        }
    }

    private static Map<String, Integer> columns(String name, long line, List<String> header) {
        Map<String, Integer> column = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim();
            if (h.isEmpty()) {
                throw new InputException(name + ":" + line + ": header column " + (i + 1) + " has no name");
            }
            if (column.putIfAbsent(h, i) != null) {
                throw new InputException(name + ":" + line + ": header column " + h + " appears twice");
            }
        }
        for (String required : List.of(ACCOUNT_ID, RESULT, RESULT_AT)) {
            if (!column.containsKey(required)) {
                throw new InputException(name + ":" + line + ": the header has no " + required + " column (it has " + String.join(",", column.keySet())
                        + "; required: account_id,result,result_at)");
            }
        }
        return column;
    }

    private static Row row(String name, long line, List<String> header, Map<String, Integer> column, List<String> slices, List<String> values) {
        String at = name + ":" + line + ": ";
        if (values.size() != header.size()) {
            throw new InputException(at + values.size() + " columns, the header has " + header.size());
        }
        String account = values.get(column.get(ACCOUNT_ID)).trim();
        if (account.isEmpty()) {
            throw new InputException(at + "account_id is empty");
        }
        String result = values.get(column.get(RESULT)).trim().toLowerCase(Locale.ROOT);
        if (!result.equals("achieved") && !result.equals("missed")) {
            throw new InputException(at + "result must be achieved or missed, was '" + values.get(column.get(RESULT)) + "'");
        }
        long resultAt = instant(at, values.get(column.get(RESULT_AT)).trim());
        String goal = column.containsKey(GOAL_ID) ? values.get(column.get(GOAL_ID)).trim() : "";
        Map<String, String> sliceValues = new LinkedHashMap<>();
        for (String s : slices) {
            sliceValues.put(s, values.get(column.get(s)).trim());
        }
        return new Row(account, result.equals("missed"), resultAt, goal.isEmpty() ? null : goal, sliceValues, line);
    }

    private static long instant(String at, String text) {
        if (text.isEmpty()) {
            throw new InputException(at + "result_at is empty");
        }
        if (text.matches("-?\\d+")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new InputException(at + "result_at " + text + " does not fit epoch milliseconds");
            }
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InputException(at + "result_at must be an ISO-8601 instant (2025-03-01T00:00:00Z) or epoch milliseconds, was '" + text + "'");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
