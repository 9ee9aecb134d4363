package io.headway.backtest;

import io.headway.schema.Touchpoint;

import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The history files under {@code --events}: one file, or every file of a directory tree whose name
 * says it holds touchpoints ({@code .jsonl}, {@code .json}, either {@code .gz}, {@code .avro}),
 * in path order; hidden files and other names are left out and counted.
 */
final class HistoryFiles {

    private static final List<String> SUFFIXES = List.of(".jsonl", ".json", ".jsonl.gz", ".json.gz", ".avro");

    final Path root;
    final List<Path> files;
    final int ignored;

    private HistoryFiles(Path root, List<Path> files, int ignored) {
        this.root = root;
        this.files = files;
        this.ignored = ignored;
    }

    /** @throws InputException when the path does not exist or holds no history file */
    static HistoryFiles find(Path events) {
        if (!Files.exists(events)) {
            throw new InputException("--events " + events + ": no such file or directory");
        }
        if (Files.isRegularFile(events)) {
            if (!isHistory(events)) {
                throw new InputException("--events " + events + ": not a history file (expected a name ending in " + String.join(", ", SUFFIXES) + ")");
            }
            return new HistoryFiles(events.toAbsolutePath().getParent(), List.of(events.toAbsolutePath()), 0);
        }
        List<Path> files = new ArrayList<>();
        int ignored = 0;
        try (Stream<Path> walk = Files.walk(events)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                if (isHistory(p) && !hidden(events, p)) {
                    files.add(p.toAbsolutePath());
                } else {
                    ignored++;
                }
            }
        } catch (IOException e) {
            throw new InputException("--events " + events + ": cannot list the directory (" + e + ")");
        }
        if (files.isEmpty()) {
            throw new InputException("--events " + events + ": no history files there (names ending in " + String.join(", ", SUFFIXES) + ")");
        }
        return new HistoryFiles(events.toAbsolutePath(), files, ignored);
    }

    static boolean isAvro(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".avro");
    }

    private static boolean isHistory(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().anyMatch(name::endsWith);
    }

    /** Flink's file source skips names starting with '.' or '_' too; leave them out here so the counts agree. */
    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            String s = part.toString();
            if (s.startsWith(".") || s.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** The file's path under the --events directory: the dead letters' "topic", the same wherever the history lies. */
    static String relativeName(String root, String absolutePath) {
        Path r = Path.of(root);
        Path p = Path.of(absolutePath);
        return p.startsWith(r) ? r.relativize(p).toString() : p.toString();
    }

    String relativeName(Path file) {
        return relativeName(root.toString(), file.toString());
    }

    /**
     * The files dealt into at most {@code readers} groups of about equal size (largest first, each to
     * the smallest group so far); a fixed assignment, so a reader's order of records is too.
     */
    ArrayList<ArrayList<String>> groups(int readers) {
        int n = Math.min(readers, files.size());
        ArrayList<ArrayList<String>> groups = new ArrayList<>();
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            groups.add(new ArrayList<>());
        }
        List<Path> bySize = new ArrayList<>(files);
        bySize.sort(java.util.Comparator.comparingLong(HistoryFiles::size).reversed().thenComparing(Path::toString));
        for (Path f : bySize) {
            int smallest = 0;
            for (int i = 1; i < n; i++) {
                if (sizes[i] < sizes[smallest]) {
                    smallest = i;
                }
            }
            groups.get(smallest).add(f.toString());
            sizes[smallest] += size(f);
        }
        groups.forEach(java.util.Collections::sort);
        return groups;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The records the job will read, counted up front for the progress bar: non-empty lines, or Avro block counts. */
    long countRecords() throws IOException {
        long total = 0;
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (isAvro(name)) {
                total += countAvro(f);
            } else {
                try (InputStream raw = Files.newInputStream(f);
                        InputStream in = name.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
                    total += countLines(in);
                }
            }
        }
        return total;
    }

    private static long countAvro(Path f) {
        long n = 0;
        try (DataFileStream<Touchpoint> s = new DataFileStream<>(Files.newInputStream(f), new SpecificDatumReader<>(Touchpoint.class))) {
            while (s.hasNext()) {
                s.nextBlock();
                n += s.getBlockCount();
            }
        } catch (IOException | RuntimeException e) {
            // The job reports the broken file as a dead letter; the progress total is only an estimate.
        }
        return n;
    }

    static long countLines(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        boolean content = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (content) {
                        lines++;
                    }
                    content = false;
                } else if (b != '\r') {
                    content = true;
                }
            }
        }
        return content ? lines + 1 : lines;
    }
}
