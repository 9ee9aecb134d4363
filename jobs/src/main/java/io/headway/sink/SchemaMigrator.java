package io.headway.sink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the versioned DDL under {@code schemas/src/main/resources/db/migration} in order, once
 * each, recording what ran in {@code headway_schema_version}. Safe to run from every job start and
 * from several at once (an advisory lock serializes them).
 */
public final class SchemaMigrator {

    private static final String DIR = "db/migration/";
    private static final long LOCK_ID = 0x4845414457415931L;

    private SchemaMigrator() {}

    /** Returns the migrations applied by this call (empty when the schema was up to date). */
    public static List<String> migrate(String url, String user, String password) throws SQLException {
        List<String> applied = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + LOCK_ID + ")");
            }
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(
                            "CREATE TABLE IF NOT EXISTS headway_schema_version ("
                                    + " version TEXT PRIMARY KEY,"
                                    + " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
                }
                for (String name : migrations()) {
                    if (isApplied(c, name)) {
                        continue;
                    }
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        s.execute(resource(DIR + name));
                        try (PreparedStatement p =
                                c.prepareStatement("INSERT INTO headway_schema_version (version) VALUES (?)")) {
                            p.setString(1, name);
                            p.executeUpdate();
                        }
                        c.commit();
                    } catch (SQLException e) {
                        c.rollback();
                        throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
                    } finally {
                        c.setAutoCommit(true);
                    }
                    applied.add(name);
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + LOCK_ID + ")");
                }
            }
        }
        return applied;
    }

    private static boolean isApplied(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM headway_schema_version WHERE version = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    static List<String> migrations() {
        List<String> names = new ArrayList<>();
        for (String line : resource(DIR + "index.txt").split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static String resource(String path) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            StringBuilder sb = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sb.append(line).append('\n');
                }
            }
            return sb.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
