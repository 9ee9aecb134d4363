package io.headway.backtest;

import io.headway.schema.Alert;
import io.headway.schema.DeadLetter;
import io.headway.schema.RiskFeature;
import io.headway.schema.RiskUpdate;
import io.headway.risk.RiskFeatures;
import io.headway.sink.AvroJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The job's output records as the backtest keeps them: compact openings, and the lines of alerts.jsonl and dead-letters.jsonl. */
final class BacktestRecords {

    static final String RISK = "risk";
    static final String FIRED = "fired";
    static final String WON = "won";
    /** dead-letters.jsonl keeps this much of each payload. */
    static final int PAYLOAD_BYTES = 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private BacktestRecords() {}

    static void alert(RunCollector run, Alert a) {
        String kind = a.getKind();
        String reason = a.getReason();
        if (RISK.equals(kind) && FIRED.equals(reason)) {
            run.opening(new RunCollector.Opening(a.getAccountId(), a.getRule(), a.getRuleVersion(), a.getOpenedAt()));
        } else if (WON.equals(reason)) {
            run.win(a.getUpdatedAt());
        }
        if (run.collectAlertLines) {
            // detected_at is processing time: the one field that differs between two runs of the same input.
            a.setDetectedAt(0L);
            String json = new String(AvroJson.toJson(a), StandardCharsets.UTF_8);
            String line = json.substring(0, json.length() - 1) + ",\"model\":\"" + run.modelLabel + "\"}";
            String key = sortable(a.getUpdatedAt()) + "|" + sortable(a.getOpenedAt()) + "|" + a.getAlertId() + "|" + line;
            run.alertLine(new RunCollector.Line(key, line));
        }
    }

    static void deadLetter(RunCollector run, DeadLetter d) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", d.getReasonCode());
            g.writeStringField("detail", d.getReason());
            g.writeStringField("source", d.getTopic());
            g.writeNumberField("partition", d.getPartition());
            g.writeNumberField("offset", d.getOffset());
            g.writeNumberField("payload_size", d.getPayloadSize());
            writePayload(g, d.getPayload());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String key = d.getTopic() + "|" + sortable(d.getOffset());
        run.deadLetter(d.getReasonCode(), new RunCollector.Line(key, out.toString()));
    }

    /**
     * A risk re-assessment, for the fit's sampler: reduced here to its feature values in
     * {@link RiskFeatures#NAMES} order (NaN where unknown), so the run keeps no records.
     */
    static void risk(RunCollector run, RiskUpdate r) {
        if (run.sampler == null) {
            return;
        }
        double[] values = new double[RiskFeatures.NAMES.size()];
        java.util.Arrays.fill(values, Double.NaN);
        for (RiskFeature f : r.getFeatures()) {
            int i = RiskFeatures.NAMES.indexOf(f.getName());
            if (i >= 0 && f.getValue() != null) {
                values[i] = f.getValue();
            }
        }
        run.sampler.offer(r.getAccountId(), r.getAsOf(), values);
    }

    /** A long as text that sorts like the number: the sign bit flipped, in fixed-width hex. */
    static String sortable(long v) {
        return String.format("%016x", v ^ Long.MIN_VALUE);
    }

    /** The payload cut to 1 KiB: as text when it is UTF-8 (a character cut in two becomes U+FFFD), else base64. */
    private static void writePayload(JsonGenerator g, ByteBuffer payload) throws IOException {
        ByteBuffer b = payload.duplicate();
        byte[] cut = new byte[Math.min(b.remaining(), PAYLOAD_BYTES)];
        b.get(cut);
        if (isUtf8(cut)) {
            g.writeStringField("payload", new String(cut, StandardCharsets.UTF_8));
            g.writeStringField("payload_encoding", "utf-8");
        } else {
            g.writeStringField("payload", Base64.getEncoder().encodeToString(cut));
            g.writeStringField("payload_encoding", "base64");
        }
    }

    /** Valid UTF-8, but for at most one character cut off at the end. */
    static boolean isUtf8(byte[] bytes) {
        for (int drop = 0; drop <= Math.min(3, bytes.length); drop++) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, 0, bytes.length - drop));
                return true;
            } catch (CharacterCodingException e) {
                // try without the last byte: the cut may have split a character
            }
        }
        return false;
    }
}
