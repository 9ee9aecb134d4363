package io.headway.backtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Placeholder for the backtest report (issue 12, item 4, another change): writes a minimal
 * {@code report.html} that points at the scorecard. The real report replaces this class.
 */
public final class HtmlReport {

    private HtmlReport() {}

    public static void write(Path outDir) throws IOException {
        String json = Files.readString(outDir.resolve("scorecard.json"), StandardCharsets.UTF_8);
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Headway backtest</title></head><body>\n"
                + "<h1>Headway backtest</h1>\n<p>The figures are in scorecard.json, alerts in alerts.jsonl.</p>\n<pre>"
                + json.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                + "</pre>\n</body></html>\n";
        Files.writeString(outDir.resolve("report.html"), html, StandardCharsets.UTF_8);
    }
}
