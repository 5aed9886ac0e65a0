package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSha256Test {
  @TempDir Path tmp;

  @Test
  void libcryptoAndTheJdkGiveTheSameDigests() throws Exception {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 55, 56, 64, 65, 1 << 16, (1 << 20) + 13}) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      Path file = Files.write(tmp.resolve("f" + size), bytes);
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        assertEquals(FileSha256.withMessageDigest(in), FileSha256.of(in, file), size + " bytes");
      }
    }
  }

  @Test
  void libcryptoIsUsedWhereTheSystemHasIt() {
    boolean present = Files.exists(Path.of("/lib/x86_64-linux-gnu/libcrypto.so.3"))
        || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        || Files.exists(Path.of("/usr/lib64/libcrypto.so.3"));
    if (present) {
      assertNull(FileSha256.libcryptoUnavailable());
    }
  }
}
