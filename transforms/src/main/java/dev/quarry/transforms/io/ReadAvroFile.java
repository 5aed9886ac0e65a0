package dev.quarry.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The records of one Avro container file of generated (specific) records, read whole by one DoFn: the plan files the
 * driver writes for the pipeline. {@code AvroIO} matches, splits and reshuffles, a GroupByKey and a dozen steps per
 * file, which cost a nightly run more than reading the records (DirectRunner's timers and bookkeeping); these files
 * are read once, and what follows them regroups the records anyway.
 */
public final class ReadAvroFile<T extends SpecificRecord> extends PTransform<PBegin, PCollection<T>> {
  private final Class<T> type;
  private final String path;

  private ReadAvroFile(Class<T> type, String path) {
    this.type = type;
    this.path = path;
  }

  /** @param path a path or URI Beam's {@code FileSystems} can open on the workers */
  public static <T extends SpecificRecord> ReadAvroFile<T> of(Class<T> type, String path) {
    return new ReadAvroFile<>(type, path);
  }

  @Override
  public PCollection<T> expand(PBegin input) {
    return input.apply("Path", Create.of(path))
        .apply("Records", ParDo.of(new ReadRecordsFn<>(type)))
        .setCoder(AvroCoder.specific(type));
  }

  /** Outputs every record of the file its element names. */
  static final class ReadRecordsFn<T extends SpecificRecord> extends DoFn<String, T> {
    private final Class<T> type;

    ReadRecordsFn(Class<T> type) {
      this.type = type;
    }

    @ProcessElement
    public void processElement(@Element String file, OutputReceiver<T> out) throws IOException {
      try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false)));
          DataFileStream<T> records = new DataFileStream<>(in, new SpecificDatumReader<>(type))) {
        for (T record : records) {
          out.output(record);
        }
      }
    }
  }
}
