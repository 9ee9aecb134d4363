package io.headway.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open University Learning Analytics Dataset (OULAD) as the evaluation reads it: module
 * presentations with their assessments, and each student's enrollment with registration,
 * withdrawal, submissions and final result. Read from the CSV files of {@code ../shared/data/oulad}
 * (never copied into this repository); days are relative to a presentation's start.
 */
public final class OuladData {

    /** An assessment of a presentation; {@code deadlineDay} is null for some exams. */
    public record Assessment(long id, String type, Integer deadlineDay, double weight) {
        boolean isCoursework() {
            return !type.equals("Exam") && deadlineDay != null && deadlineDay > 0;
        }
    }

    /** One run of a module, e.g. AAA 2013J, with its coursework in deadline order. */
    public record Presentation(String module, String code, int lengthDays, List<Assessment> assessments) {
        public String id() {
            return module + "-" + code;
        }

        /**
         * Day 0 of the presentation. The dataset gives no dates, only the code: B presentations start
         * in February, J in October; the first of the month is assumed (only differences matter).
         */
        public Instant start() {
            int year = Integer.parseInt(code.substring(0, 4));
            int month = code.charAt(4) == 'B' ? 2 : 10;
            return LocalDate.of(year, month, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        public List<Assessment> coursework() {
            return assessments.stream()
                    .filter(Assessment::isCoursework)
                    .sorted(Comparator.comparingInt(Assessment::deadlineDay).thenComparingLong(Assessment::id))
                    .toList();
        }
    }

    /** A submission; {@code score} is null where the dataset has none. */
    public record Submission(long assessmentId, int day, Double score) {}

    /**
     * One student on one presentation. {@code registrationDay} and {@code unregistrationDay} may be
     * null; {@code finalResult} is Distinction, Pass, Fail or Withdrawn; {@code profile} holds the
     * columns of {@link #PROFILE} as the dataset gives them (empty when missing).
     */
    public record Enrollment(
            Presentation presentation,
            long student,
            String finalResult,
            Integer registrationDay,
            Integer unregistrationDay,
            List<Submission> submissions,
            Map<String, String> profile) {
        public String accountId() {
            return presentation.id() + "-" + student;
        }

        public boolean achieved() {
            return finalResult.equals("Pass") || finalResult.equals("Distinction");
        }
    }

    /** The columns of student.csv that describe a student rather than their result, in file order. */
    public static final List<String> PROFILE = List.of(
            "gender", "region", "highest_education", "imd_band", "age_band", "num_of_prev_attempts", "studied_credits", "disability");

    public final List<Presentation> presentations;
    public final List<Enrollment> enrollments;

    private OuladData(List<Presentation> presentations, List<Enrollment> enrollments) {
        this.presentations = presentations;
        this.enrollments = enrollments;
    }

    /** Reads the five CSV files under {@code dir}, keeping the given modules (all if empty). */
    public static OuladData read(Path dir, Set<String> modules) {
        Map<String, Presentation> presentations = new LinkedHashMap<>();
        Map<String, List<Assessment>> assessments = new HashMap<>();
        Map<Long, String> presentationOfAssessment = new HashMap<>();
        for (Map<String, String> row : Csv.rows(dir.resolve("assessment.csv"))) {
            String key = row.get("code_module") + "-" + row.get("code_presentation");
            Assessment a = new Assessment(
                    Long.parseLong(row.get("id_assessment")),
                    row.get("assessment_type"),
                    Csv.integer(row.get("date")),
                    Csv.number(row.get("weight"), 0));
            assessments.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
            presentationOfAssessment.put(a.id(), key);
        }
        for (Map<String, String> row : Csv.rows(dir.resolve("course.csv"))) {
            if (!modules.isEmpty() && !modules.contains(row.get("code_module"))) {
                continue;
            }
            String key = row.get("code_module") + "-" + row.get("code_presentation");
            presentations.put(key, new Presentation(
                    row.get("code_module"), row.get("code_presentation"),
                    Integer.parseInt(row.get("module_presentation_length")),
                    List.copyOf(assessments.getOrDefault(key, List.of()))));
        }
        Map<String, List<Submission>> submissions = new HashMap<>();
        for (Map<String, String> row : Csv.rows(dir.resolve("student_assessment.csv"))) {
            long assessment = Long.parseLong(row.get("id_assessment"));
            String presentation = presentationOfAssessment.get(assessment);
            if (presentation == null || !presentations.containsKey(presentation)) {
                continue;
            }
            Integer day = Csv.integer(row.get("date_submitted"));
            if (day == null) {
                continue;
            }
            String key = presentation + "-" + row.get("id_student");
            Double score = row.get("score").isEmpty() ? null : Double.parseDouble(row.get("score"));
            submissions.computeIfAbsent(key, k -> new ArrayList<>()).add(new Submission(assessment, day, score));
        }
        Map<String, Map<String, String>> registrations = new HashMap<>();
        for (Map<String, String> row : Csv.rows(dir.resolve("student_registration.csv"))) {
            registrations.put(row.get("code_module") + "-" + row.get("code_presentation") + "-" + row.get("id_student"), row);
        }
        List<Enrollment> enrollments = new ArrayList<>();
        for (Map<String, String> row : Csv.rows(dir.resolve("student.csv"))) {
            Presentation p = presentations.get(row.get("code_module") + "-" + row.get("code_presentation"));
            if (p == null) {
                continue;
            }
            String key = p.id() + "-" + row.get("id_student");
            Map<String, String> registration = registrations.getOrDefault(key, Map.of());
            List<Submission> own = new ArrayList<>(submissions.getOrDefault(key, List.of()));
            own.sort(Comparator.comparingInt(Submission::day).thenComparingLong(Submission::assessmentId));
            Map<String, String> profile = new LinkedHashMap<>();
            PROFILE.forEach(column -> profile.put(column, row.getOrDefault(column, "")));
            enrollments.add(new Enrollment(
                    p,
                    Long.parseLong(row.get("id_student")),
                    row.get("final_result"),
                    Csv.integer(registration.getOrDefault("date_registration", "")),
                    Csv.integer(registration.getOrDefault("date_unregistration", "")),
                    List.copyOf(own),
                    Collections.unmodifiableMap(profile)));
        }
        return new OuladData(List.copyOf(presentations.values()), List.copyOf(enrollments));
    }

    /** The dataset's CSV dialect: a header row, fields in double quotes or bare, empty = missing. */
    static final class Csv {
        private Csv() {}

        static List<Map<String, String>> rows(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (lines.isEmpty()) {
                throw new IllegalArgumentException(file + " is empty; it needs a header row");
            }
            List<String> header = fields(lines.get(0));
            List<Map<String, String>> out = new ArrayList<>(lines.size());
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                List<String> f = fields(lines.get(i));
                if (f.size() != header.size()) {
                    throw new IllegalArgumentException(
                            file + " line " + (i + 1) + ": " + f.size() + " fields, the header has " + header.size());
                }
                Map<String, String> row = new HashMap<>();
                for (int c = 0; c < header.size(); c++) {
                    row.put(header.get(c), f.get(c));
                }
                out.add(row);
            }
            return out;
        }

        static List<String> fields(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    out.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            out.add(field.toString());
            return out;
        }

        static Integer integer(String s) {
            return s == null || s.isEmpty() || s.equals("NA") ? null : (int) Math.round(Double.parseDouble(s));
        }

        static double number(String s, double missing) {
            return s == null || s.isEmpty() || s.equals("NA") ? missing : Double.parseDouble(s);
        }
    }
}
