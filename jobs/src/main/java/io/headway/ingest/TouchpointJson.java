package io.headway.ingest;

import io.headway.schema.Touchpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Writes a touchpoint in the JSON wire contract (one object per Kafka record, see README). */
public final class TouchpointJson {

    private static final JsonFactory JSON = new JsonFactory();

    private TouchpointJson() {}

    public static byte[] toJson(Touchpoint t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void write(JsonGenerator g, Touchpoint t) throws IOException {
        g.writeStartObject();
        g.writeStringField("event_id", t.getEventId());
        g.writeStringField("account_id", t.getAccountId());
        if (t.getUserId() != null) {
            g.writeStringField("user_id", t.getUserId());
        }
        g.writeNumberField("occurred_at", t.getOccurredAt());
        g.writeStringField("source", t.getSource());
        g.writeStringField("type", t.getType());
        if (t.getValue() != null) {
            g.writeNumberField("value", t.getValue());
        }
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> a : t.getAttributes().entrySet()) {
            g.writeStringField(a.getKey(), a.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
