package dev.quarry.transforms.write;

import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedBucket;
import dev.quarry.schemas.PlannedFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * The values of the writer's GroupByKey, as bytes: a bucket's planned files (their Avro encoding), a <em>reference</em>
 * to a job result in a spill file ({@link SpillResultsFn}), or a reference to a table file of the previous snapshot
 * holding rows the bucket carries (an incremental run). Job results themselves never travel through the shuffle: on
 * DirectRunner a GroupByKey keeps every value of the run in memory until the last parse finishes and copies its groups
 * through their coder, so results in the shuffle made memory grow with the corpus. References keep the writer's input a
 * few dozen bytes per job; a bucket's results are read back when the bucket is written.
 */
final class BucketItems {
  private static final byte PLANNED = 'P';
  private static final byte RESULT = 'R';
  private static final byte CARRIED = 'C';
  static final AvroCoder<PlannedBucket> PLANNED_CODER = AvroCoder.specific(PlannedBucket.class);

  /** Where a job result was spilled: file name (in the spill directory), byte offset and length. */
  record Ref(String file, long offset, int length) {}

  private BucketItems() {}

  /** A bucket's planned files, as one item. */
  static byte[] planned(PlannedBucket bucket) {
    try {
      byte[] avro = CoderUtils.encodeToByteArray(PLANNED_CODER, bucket);
      byte[] out = new byte[avro.length + 1];
      out[0] = PLANNED;
      System.arraycopy(avro, 0, out, 1, avro.length);
      return out;
    } catch (CoderException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] ref(Ref ref) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(RESULT);
      out.writeUTF(ref.file());
      out.writeLong(ref.offset());
      out.writeInt(ref.length());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @param file a table file of the previous snapshot, relative to it */
  static byte[] carried(String file) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(CARRIED);
      out.writeUTF(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The planned files, result references and carried table files of one bucket's group. */
  static void split(Iterable<byte[]> items, List<PlannedFile> planned, List<Ref> refs, List<String> carried) {
    for (byte[] item : items) {
      try {
        if (item[0] == PLANNED) {
          planned.addAll(
              CoderUtils.decodeFromByteArray(PLANNED_CODER, Arrays.copyOfRange(item, 1, item.length)).getFiles());
        } else if (item[0] == RESULT) {
          DataInputStream in = new DataInputStream(new ByteArrayInputStream(item, 1, item.length - 1));
          refs.add(new Ref(in.readUTF(), in.readLong(), in.readInt()));
        } else if (item[0] == CARRIED) {
          carried.add(new DataInputStream(new ByteArrayInputStream(item, 1, item.length - 1)).readUTF());
        } else {
          throw new IllegalStateException("unknown writer item tag " + item[0]);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Avro with the generated classes' own coders (straight-line code per record instead of walking the schema):
   * spill files are written and read by the same build, so no schema resolution is needed.
   */
  private static final SpecificData CUSTOM_CODERS = customCoders();

  private static SpecificData customCoders() {
    SpecificData data = new SpecificData(JobResult.class.getClassLoader());
    data.setCustomCoders(true);
    return data;
  }

  /** Appends one result's encoding to {@code out}; not thread-safe (one per spill file). */
  static final class ResultEncoder {
    private final SpecificDatumWriter<JobResult> writer =
        new SpecificDatumWriter<>(JobResult.getClassSchema(), CUSTOM_CODERS);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
    private BinaryEncoder encoder;

    byte[] encode(JobResult result) throws IOException {
      buffer.reset();
      encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
      writer.write(result, encoder);
      encoder.flush();
      return buffer.toByteArray();
    }
  }

  /**
   * Makes equal short strings of a decoded result one object: a bucket holds every row of its files until it is
   * written, and most of its strings (repo, path, segment uid, language, token and symbol kinds) repeat row after
   * row.
   */
  private static final class StringPool {
    private static final int MAX_SHARED_LENGTH = 64;
    private static final int MAX_ENTRIES = 1 << 16;
    private final Map<String, String> pool = new HashMap<>();

    void share(SpecificRecord record) {
      List<Schema.Field> fields = record.getSchema().getFields();
      for (int i = 0; i < fields.size(); i++) {
        Object value = record.get(i);
        if (value instanceof String s) {
          if (s.length() <= MAX_SHARED_LENGTH) {
            record.put(i, shared(s));
          }
        } else if (value instanceof SpecificRecord nested) {
          share(nested);
        } else if (value instanceof List<?> list) {
          for (Object element : list) {
            if (element instanceof SpecificRecord nested) {
              share(nested);
            }
          }
        }
      }
    }

    private String shared(String s) {
      if (pool.size() >= MAX_ENTRIES) {
        pool.clear();
      }
      String prior = pool.putIfAbsent(s, s);
      return prior != null ? prior : s;
    }
  }

  /** Reads the referenced results, each spill file once, in file order. */
  static List<JobResult> read(Path spillDir, List<Ref> refs) throws IOException {
    SpecificDatumReader<JobResult> reader =
        new SpecificDatumReader<>(JobResult.getClassSchema(), JobResult.getClassSchema(), CUSTOM_CODERS);
    StringPool strings = new StringPool();
    BinaryDecoder decoder = null;
    Map<String, List<Ref>> byFile = new TreeMap<>();
    for (Ref r : refs) {
      byFile.computeIfAbsent(r.file(), f -> new ArrayList<>()).add(r);
    }
    List<JobResult> results = new ArrayList<>(refs.size());
    for (Map.Entry<String, List<Ref>> e : byFile.entrySet()) {
      List<Ref> inFile = e.getValue();
      inFile.sort(Comparator.comparingLong(Ref::offset));
      try (FileChannel ch = FileChannel.open(spillDir.resolve(e.getKey()), StandardOpenOption.READ)) {
        for (Ref r : inFile) {
          ByteBuffer buffer = ByteBuffer.allocate(r.length());
          long at = r.offset();
          while (buffer.hasRemaining()) {
            int n = ch.read(buffer, at);
            if (n < 0) {
              throw new IOException("spill file " + e.getKey() + " ends before byte " + (r.offset() + r.length())
                  + "; it was truncated or removed while the run was writing");
            }
            at += n;
          }
          decoder = DecoderFactory.get().binaryDecoder(buffer.array(), decoder);
          JobResult result = reader.read(null, decoder);
          strings.share(result);
          results.add(result);
        }
      }
    }
    return results;
  }
}
