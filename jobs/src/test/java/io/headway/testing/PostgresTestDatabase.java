package io.headway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL server (embedded binaries, its files under target/), one per test class; each
 * test gets a fresh database from {@link #newDatabase()}.
 */
public final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path base = Path.of("target", "embedded-pg");
        Files.createDirectories(base);
        Path work = Files.createTempDirectory(base, "work");
        Path data = Files.createTempDirectory(base, "data");
        postgres =
                EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(new File(work.toString()))
                        .setDataDirectory(data)
                        .setCleanDataDirectory(true)
                        .setServerConfig("max_connections", "50")
                        .start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Creates an empty database and returns its JDBC URL (user postgres, no password). */
    public String newDatabase() throws SQLException {
        String name = "headway_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    /** Rows of a query as column-name maps, in the query's order. */
    public static List<Map<String, Object>> query(String jdbcUrl, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
