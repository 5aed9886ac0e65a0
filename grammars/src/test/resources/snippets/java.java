package dev.quarry.sample;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Counts words. */
public final class WordCount {
  private final Map<String, Long> counts;

  public WordCount(List<String> words) {
    this.counts = words.stream().collect(Collectors.groupingBy(w -> w.toLowerCase(), Collectors.counting()));
  }

  public long count(String word) {
    return counts.getOrDefault(word, 0L);
  }

  record Entry(String word, long count) {}

  public static void main(String[] args) throws Exception {
    var wc = new WordCount(List.of(args));
    for (String a : args) {
      System.out.printf("%s=%d%n", a, wc.count(a));
    }
    switch (args.length) {
      case 0 -> System.out.println("no words");
      default -> System.out.println(args.length + " words");
    }
  }
}
