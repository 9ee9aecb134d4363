package io.headway.ingest;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;

/**
 * Checks the raw bytes of every string in an Avro single-object-encoded datum as strict UTF-8. Avro's
 * own decoder replaces malformed bytes with U+FFFD without a word, which would let a corrupt id
 * through as a different id; this walk over the writer schema reads strings as bytes instead.
 */
final class StrictAvroStrings {

    /** Single-object encoding: 2 marker bytes and the 8-byte schema fingerprint precede the datum. */
    static final int HEADER_BYTES = 10;

    private StrictAvroStrings() {}

    /** True if every string of the datum is valid UTF-8; false also if the datum cannot be walked. */
    static boolean valid(byte[] value, Schema writer) {
        if (value.length < HEADER_BYTES) {
            return false;
        }
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, HEADER_BYTES, value.length - HEADER_BYTES, null);
        try {
            return walk(writer, in);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean walk(Schema s, BinaryDecoder in) throws IOException {
        switch (s.getType()) {
            case RECORD:
                for (Schema.Field f : s.getFields()) {
                    if (!walk(f.schema(), in)) {
                        return false;
                    }
                }
                return true;
            case UNION:
                return walk(s.getTypes().get(in.readIndex()), in);
            case STRING:
                return utf8(in.readString(null));
            case MAP:
                for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
                    for (long i = 0; i < n; i++) {
                        if (!utf8(in.readString(null)) || !walk(s.getValueType(), in)) {
                            return false;
                        }
                    }
                }
                return true;
            case ARRAY:
                for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                    for (long i = 0; i < n; i++) {
                        if (!walk(s.getElementType(), in)) {
                            return false;
                        }
                    }
                }
                return true;
            case LONG:
                in.readLong();
                return true;
            case INT:
                in.readInt();
                return true;
            case DOUBLE:
                in.readDouble();
                return true;
            case FLOAT:
                in.readFloat();
                return true;
            case BOOLEAN:
                in.readBoolean();
                return true;
            case NULL:
                in.readNull();
                return true;
            case BYTES:
                in.skipBytes();
                return true;
            case ENUM:
                in.readEnum();
                return true;
            case FIXED:
                in.skipFixed(s.getFixedSize());
                return true;
            default:
                return false;
        }
    }

    private static boolean utf8(Utf8 s) {
        try {
            StorableText.decodeStrictly(ByteBuffer.wrap(s.getBytes(), 0, s.getByteLength()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
