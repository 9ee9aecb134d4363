package io.headway.backtest;

import io.headway.schema.IngestedRecord;

import java.io.Closeable;
import java.io.IOException;

/** The records of one history file, each already through the production parser; null at the end. */
interface RecordReader extends Closeable {

    IngestedRecord next() throws IOException;
}
