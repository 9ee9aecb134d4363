package io.headway.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain JSON for the job's Avro output records, the form CS tools and people read: field names as in
 * the schema, a nullable field as its value or null (not Avro's {@code {"long": 1}} union wrapping),
 * map keys sorted so equal records give equal bytes, and event times ({@code as_of} and fields ending
 * in {@code _at}) as ISO-8601 UTC instants, like the activity summaries.
 */
public final class AvroJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AvroJson() {}

    public static byte[] toJson(IndexedRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeRecord(g, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeRecord(JsonGenerator g, IndexedRecord record) throws IOException {
        g.writeStartObject();
        for (Schema.Field f : record.getSchema().getFields()) {
            g.writeFieldName(f.name());
            write(g, f.schema(), record.get(f.pos()), isInstant(f.name()));
        }
        g.writeEndObject();
    }

    private static boolean isInstant(String field) {
        return field.equals("as_of") || field.endsWith("_at");
    }

    private static void write(JsonGenerator g, Schema schema, Object value, boolean instant) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        switch (schema.getType()) {
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        write(g, branch, value, instant);
                        return;
                    }
                }
                g.writeNull();
                return;
            case RECORD:
                writeRecord(g, (IndexedRecord) value);
                return;
            case ARRAY:
                g.writeStartArray();
                for (Object item : (Collection<?>) value) {
                    write(g, schema.getElementType(), item, false);
                }
                g.writeEndArray();
                return;
            case MAP:
                g.writeStartObject();
                for (Map.Entry<?, ?> e : new TreeMap<>((Map<?, ?>) value).entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    write(g, schema.getValueType(), e.getValue(), false);
                }
                g.writeEndObject();
                return;
            case LONG:
                if (instant) {
                    g.writeString(Instant.ofEpochMilli((Long) value).toString());
                } else {
                    g.writeNumber((Long) value);
                }
                return;
            case INT:
                g.writeNumber((Integer) value);
                return;
            case DOUBLE:
                g.writeNumber((Double) value);
                return;
            case FLOAT:
                g.writeNumber((Float) value);
                return;
            case BOOLEAN:
                g.writeBoolean((Boolean) value);
                return;
            default:
                g.writeString(value.toString());
        }
    }
}
