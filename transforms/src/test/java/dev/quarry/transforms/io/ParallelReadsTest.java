package dev.quarry.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelReadsTest {
  @Test
  void resultsAreInInputOrderWhateverOrderTheReadsFinishIn() throws Exception {
    List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
    // Early inputs take longest, so they finish last.
    List<String> out = ParallelReads.map(inputs, i -> {
      sleep(40 - i);
      return "r" + i;
    });
    assertEquals(inputs.stream().map(i -> "r" + i).toList(), out);
  }

  @Test
  void theFirstFailureInInputOrderIsThrownAsItWas() {
    IOException three = new IOException("cannot read part 3");
    IOException seven = new IOException("cannot read part 7");
    IOException e = assertThrows(IOException.class, () -> ParallelReads.map(List.of(0, 1, 2, 3, 4, 5, 6, 7), i -> {
      if (i == 3) {
        sleep(50); // fails after input 7 has failed
        throw three;
      }
      if (i == 7) {
        throw seven;
      }
      return i;
    }));
    assertSame(three, e);
  }

  @Test
  void uncheckedFailuresAreThrownAsTheyWere() {
    IllegalStateException bug = new IllegalStateException("corrupt footer");
    assertSame(bug, assertThrows(IllegalStateException.class, () -> ParallelReads.map(List.of(1, 2), i -> {
      throw bug;
    })));
  }

  @Test
  void noInputsNoResults() throws Exception {
    assertEquals(List.of(), ParallelReads.map(List.<String>of(), s -> s));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
