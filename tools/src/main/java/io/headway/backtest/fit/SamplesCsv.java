package io.headway.backtest.fit;

import io.headway.risk.RiskFeatures;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fit's samples as a CSV file ({@code samples.csv}): {@code account_id,label,at,sample} and one
 * column per feature in {@link RiskFeatures#NAMES} order (empty where unknown). Several runs'
 * files fit one model ({@code --fit-from-samples}) without running the job again: a customer model
 * holds a few journeys, so data with more (OULAD: one module per batch) is collected batch by batch.
 * {@code label} is 1 for a missed row, {@code at} the sample time (ISO-8601), {@code sample} the
 * whole days from it to the result.
 */
public final class SamplesCsv {

    static final List<String> FIXED = List.of("account_id", "label", "at", "sample");

    private SamplesCsv() {}

    public static void write(Path file, List<RiskSampler.Sample> samples) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(FIXED);
            header.addAll(RiskFeatures.NAMES);
            w.write(String.join(",", header));
            w.write('\n');
            StringBuilder line = new StringBuilder();
            for (RiskSampler.Sample s : samples) {
                line.setLength(0);
                line.append(quote(s.accountId())).append(',').append(s.missed() ? 1 : 0).append(',').append(Instant.ofEpochMilli(s.at()))
                        .append(',').append(s.daysBefore());
                for (double v : s.values()) {
                    line.append(',');
                    if (!Double.isNaN(v)) {
                        line.append(v);
                    }
                }
                w.write(line.append('\n').toString());
            }
        }
    }

    /** The samples of one file; a bad header or row fails with the file, line and column. */
    public static List<RiskSampler.Sample> read(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--fit-from-samples " + name + ": no such file");
        }
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        List<RiskSampler.Sample> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<List<String>> it = mapper.readerForListOf(String.class).readValues(in)) {
            List<String> expected = new ArrayList<>(FIXED);
            expected.addAll(RiskFeatures.NAMES);
            if (!it.hasNextValue() || !it.nextValue().equals(expected)) {
                // Another feature list is another job version: its columns would be read as the wrong features.
                throw new IllegalArgumentException(name + ":1: the header must be " + String.join(",", expected));
            }
            int n = RiskFeatures.NAMES.size();
            while (it.hasNextValue()) {
                long line = it.getCurrentLocation().getLineNr();
                List<String> row = it.nextValue();
                if (row.size() != expected.size()) {
                    throw new IllegalArgumentException(name + ":" + line + ": " + row.size() + " columns, the header has " + expected.size());
                }
                String column = "label";
                try {
                    boolean missed = switch (row.get(1)) {
                        case "1" -> true;
                        case "0" -> false;
                        default -> throw new IllegalArgumentException("not 0 or 1");
                    };
                    column = "at";
                    long at = Instant.parse(row.get(2)).toEpochMilli();
                    column = "sample";
                    int days = Integer.parseInt(row.get(3));
                    double[] values = new double[n];
                    for (int i = 0; i < n; i++) {
                        column = RiskFeatures.NAMES.get(i);
                        String v = row.get(FIXED.size() + i);
                        values[i] = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
                    }
                    out.add(new RiskSampler.Sample(row.get(0), missed, days, at, at, values));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new IllegalArgumentException(name + ":" + line + ": column " + column + ": '" + e.getMessage() + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
        return out;
    }

    private static String quote(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
