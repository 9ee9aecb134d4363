package io.headway.ingest;

import java.util.Locale;

/** Wire format of an input topic; chosen per topic in configuration. */
public enum InputFormat {
    /** One UTF-8 JSON object per Kafka record value. */
    JSON,
    /** Avro single-object encoding (magic 0xC3 0x01, 8-byte schema fingerprint, binary datum). */
    AVRO;

    public static InputFormat parse(String text) {
        return InputFormat.valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
