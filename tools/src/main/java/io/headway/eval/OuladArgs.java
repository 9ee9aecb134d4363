package io.headway.eval;

import io.headway.config.CommandLine;
import io.headway.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options the OULAD tools share (the dataset, the modules, what shapes the customer model), taken
 * out of a tool's {@code --name value} arguments so that the converter and the evaluation read them
 * the same way; each tool then takes its own and calls {@link #noneLeft()}.
 */
final class OuladArgs {

    static final String DATASET_USAGE = "--data DIR [--modules AAA,BBB]";
    static final String MODEL_USAGE =
            "[--rules milestone-overdue] [--grace-days 7] [--min-missed 1] [--behind-share 0.8 | --behind-before-days N]";

    /** The system property the scripts set to the default data directory. */
    static final String DEFAULT_DATA = "headway.oulad.default-data";

    private final Map<String, String> values = new LinkedHashMap<>();

    OuladArgs(String[] args) {
        try {
            CommandLine.pairs(args).forEach(p -> values.put(p.getKey(), p.getValue()));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Removes and returns option {@code name}, or null when it was not given. */
    String take(String name) {
        return values.remove(name);
    }

    /**
     * The directory of the dataset's CSV files, checked to hold every file the mapping reads: {@code
     * --data}, else the scripts' default (system property {@value #DEFAULT_DATA}, where the repository
     * expects the shared data).
     */
    Path data() {
        String data = take("data");
        if (data == null || data.isBlank()) {
            String fallback = System.getProperty(DEFAULT_DATA);
            if (fallback == null || !Files.isRegularFile(Path.of(fallback, "student.csv"))) {
                throw new IllegalArgumentException("--data is required: the directory with the OULAD CSV files"
                        + (fallback == null ? "" : " (there is no OULAD data at " + fallback + ")"));
            }
            data = fallback;
        }
        Path dir = Path.of(data);
        for (String file : List.of("student.csv", "student_registration.csv", "assessment.csv", "student_assessment.csv", "course.csv")) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalArgumentException("--data " + dir + ": no " + file + " there (the OULAD CSV files are expected)");
            }
        }
        return dir;
    }

    /** The modules asked for, upper case; empty for all. */
    Set<String> modules() {
        Set<String> modules = new TreeSet<>();
        String given = take("modules");
        for (String m : (given == null ? "" : given).split(",")) {
            if (!m.isBlank()) {
                modules.add(m.trim().toUpperCase(Locale.ROOT));
            }
        }
        return modules;
    }

    OuladMapping.ModelOptions model() {
        double behindShare = Double.parseDouble(orDefault("behind-share", "0.8"));
        String before = take("behind-before-days");
        Integer behindBeforeDays = before == null ? null : Integer.parseInt(before.trim());
        int minMissed = Integer.parseInt(orDefault("min-missed", "1").trim());
        int graceDays = Integer.parseInt(orDefault("grace-days", "7"));
        List<String> rules = Arrays.stream(orDefault("rules", "milestone-overdue").split(","))
                .map(String::trim).filter(r -> !r.isEmpty()).toList();
        if (graceDays < 0) {
            throw new IllegalArgumentException("--grace-days must be 0 or more");
        }
        if (!(behindShare > 0 && behindShare < 1)) {
            throw new IllegalArgumentException("--behind-share must be between 0 and 1, both excluded");
        }
        return new OuladMapping.ModelOptions(behindShare, behindBeforeDays, graceDays, minMissed, rules);
    }

    String orDefault(String name, String fallback) {
        String v = take(name);
        return v == null ? fallback : v;
    }

    /** Fails naming the first option nobody took. */
    void noneLeft() {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option --" + values.keySet().iterator().next());
        }
    }
}
