package io.headway.sink;

import io.headway.schema.RiskFeature;
import io.headway.schema.RiskUpdate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

/**
 * The latest risk assessment per account into {@code account_risk}. Guarded by {@code as_of} alone:
 * the operator emits an account's assessments in event-time order, so an older one arriving later
 * can only be a replay; at the same instant the one written last is the one emitted last.
 */
public final class RiskRowBinder implements JdbcStatementBuilder<RiskUpdate> {

    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    /** An analyst reads the first few reasons; the full picture is in {@code features}. */
    static final int TOP_DRIVERS = 5;

    public static final String UPSERT =
            "INSERT INTO account_risk AS r (account_id, as_of, probability, logit, intercept, model_version,"
                    + " top_drivers, features, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, now())"
                    + " ON CONFLICT (account_id) DO UPDATE SET"
                    + " as_of = EXCLUDED.as_of, probability = EXCLUDED.probability, logit = EXCLUDED.logit,"
                    + " intercept = EXCLUDED.intercept, model_version = EXCLUDED.model_version,"
                    + " top_drivers = EXCLUDED.top_drivers, features = EXCLUDED.features,"
                    + " updated_at = EXCLUDED.updated_at"
                    + " WHERE r.as_of <= EXCLUDED.as_of";

    @Override
    public void accept(PreparedStatement ps, RiskUpdate r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.getAccountId());
        ps.setObject(i++, Rows.utc(r.getAsOf()));
        ps.setDouble(i++, r.getProbability());
        ps.setDouble(i++, r.getLogit());
        ps.setDouble(i++, r.getIntercept());
        ps.setString(i++, r.getModelVersion());
        ps.setString(i++, topDrivers(r));
        ps.setString(i++, features(r));
    }

    /**
     * [{feature, value, contribution}]: the features that move the logit, largest |contribution| first
     * (ties in the record's order, so equal records give equal rows). Zero contributions are left out:
     * an unknown value or a feature without a term explains nothing.
     */
    static String topDrivers(RiskUpdate r) {
        List<RiskFeature> drivers =
                r.getFeatures().stream()
                        .filter(f -> f.getContribution() != 0.0)
                        .sorted(Comparator.comparingDouble((RiskFeature f) -> Math.abs(f.getContribution())).reversed())
                        .limit(TOP_DRIVERS)
                        .toList();
        return json(g -> {
            g.writeStartArray();
            for (RiskFeature f : drivers) {
                g.writeStartObject();
                g.writeStringField("feature", f.getName().toString());
                writeValueAndContribution(g, f);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** {feature: {value, contribution}} of every feature in the record. */
    static String features(RiskUpdate r) {
        return json(g -> {
            g.writeStartObject();
            for (RiskFeature f : r.getFeatures()) {
                g.writeObjectFieldStart(f.getName().toString());
                writeValueAndContribution(g, f);
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private static void writeValueAndContribution(JsonGenerator g, RiskFeature f) throws IOException {
        g.writeFieldName("value");
        if (f.getValue() == null) {
            g.writeNull();
        } else {
            g.writeNumber(f.getValue());
        }
        g.writeNumberField("contribution", f.getContribution());
    }

    private interface JsonWriting {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(JsonWriting body) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
