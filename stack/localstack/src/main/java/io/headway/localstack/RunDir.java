package io.headway.localstack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The layout of the run directory ({@code $HEADWAY_RUN_DIR}, default {@code .run/}): everything the
 * local stack writes goes below it, one sub-directory per component.
 */
public final class RunDir {

    private final Path root;

    public RunDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path postgres() {
        return root.resolve("postgres");
    }

    public Path flink() {
        return root.resolve("flink");
    }

    public Path generator() {
        return root.resolve("generator");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(
                path,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        deleteIfPresent(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        deleteIfPresent(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private static void deleteIfPresent(Path p) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException ignored) {
            // Gone already: that is what we wanted.
        }
    }
}
