package io.headway.sink;

import io.headway.schema.ActivitySummary;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** JSON form of an activity summary, as written to the activity topic and the database. */
public final class ActivitySummaryJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ActivitySummaryJson() {}

    public static byte[] toJson(ActivitySummary s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("account_id", s.getAccountId());
            g.writeStringField("as_of", Instant.ofEpochMilli(s.getAsOf()).toString());
            g.writeStringField("last_seen_at", Instant.ofEpochMilli(s.getLastSeenAt()).toString());
            g.writeNumberField("events_7d", s.getEvents7d());
            g.writeNumberField("events_28d", s.getEvents28d());
            g.writeFieldName("events_7d_by_source");
            writeCounts(g, s.getEvents7dBySource());
            g.writeFieldName("events_28d_by_source");
            writeCounts(g, s.getEvents28dBySource());
            g.writeBooleanField("active", s.getActive());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Counts as a JSON object with sorted keys, so equal summaries give equal bytes. */
    public static String countsJson(Map<String, Long> counts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeCounts(g, counts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeCounts(JsonGenerator g, Map<String, Long> counts) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Long> e : new TreeMap<>(counts).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
