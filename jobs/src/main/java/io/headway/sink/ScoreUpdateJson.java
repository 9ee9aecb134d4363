package io.headway.sink;

import io.headway.schema.ScoreComponent;
import io.headway.schema.ScoreDriver;
import io.headway.schema.ScoreUpdate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** JSON form of a score record, as written to the score topic (field names as in ScoreUpdate.avsc). */
public final class ScoreUpdateJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ScoreUpdateJson() {}

    public static byte[] toJson(ScoreUpdate u) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("account_id", u.getAccountId());
            g.writeStringField("as_of", Instant.ofEpochMilli(u.getAsOf()).toString());
            g.writeNumberField("score", u.getScore());
            g.writeStringField("grade", u.getGrade());
            g.writeStringField("profile", u.getProfile());
            g.writeStringField("reason", u.getReason());
            nullable(g, "final_reason", u.getFinalReason());
            if (u.getPreviousScore() == null) {
                g.writeNullField("previous_score");
            } else {
                g.writeNumberField("previous_score", u.getPreviousScore());
            }
            nullable(g, "previous_grade", u.getPreviousGrade());
            g.writeArrayFieldStart("components");
            for (ScoreComponent c : u.getComponents()) {
                g.writeStartObject();
                g.writeStringField("name", c.getName());
                if (c.getValue() == null) {
                    g.writeNullField("value");
                } else {
                    g.writeNumberField("value", c.getValue());
                }
                g.writeNumberField("weight", c.getWeight());
                g.writeNumberField("contribution", c.getContribution());
                nullable(g, "input", c.getInput());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("drivers");
            for (ScoreDriver d : u.getDrivers()) {
                g.writeStartObject();
                g.writeStringField("component", d.getComponent());
                g.writeNumberField("delta", d.getDelta());
                g.writeArrayFieldStart("event_ids");
                for (String id : d.getEventIds()) {
                    g.writeString(id);
                }
                g.writeEndArray();
                g.writeNumberField("more_events", d.getMoreEvents());
                nullable(g, "detail", d.getDetail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void nullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
