package dev.quarry.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Writes the plan's records as Avro files the pipeline reads back: jobs travel as references, never contents. */
final class PlanFiles {
  private PlanFiles() {}

  static <T extends SpecificRecord> void write(Path file, Class<T> type, List<T> records) throws IOException {
    Files.createDirectories(file.getParent());
    org.apache.avro.Schema schema = org.apache.avro.specific.SpecificData.get().getSchema(type);
    try (DataFileWriter<T> writer = new DataFileWriter<>(new SpecificDatumWriter<>(type))) {
      writer.create(schema, file.toFile());
      for (T record : records) {
        writer.append(record);
      }
    }
  }
}
