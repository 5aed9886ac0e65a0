package dev.quarry.pipeline.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Memory and CPU of the JVM it runs in: heap used polled every 20 ms plus the heap before and after every GC
 * (from GC notifications, so peaks between polls are not missed), process CPU time, and the kernel's resident-set
 * figures ({@code VmHWM}, {@code VmRSS} from {@code /proc/self/status}).
 *
 * <p>Peak heap used depends on the collector's sizing policy (a young generation fills up before it is collected);
 * the live heap after GC is the figure that shows whether memory grows with the corpus.
 */
final class MemoryProbe implements AutoCloseable {
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong gcCount = new AtomicLong();
  private final AtomicLong gcMillis = new AtomicLong();
  private final Set<String> heapPools;
  private final Thread poller;
  private final NotificationListener listener;
  private volatile boolean running = true;

  private MemoryProbe() {
    heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName)
        .collect(Collectors.toSet());
    listener = (notification, handback) -> {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      gcCount.incrementAndGet();
      gcMillis.addAndGet(info.getGcInfo().getDuration());
      peakUsed.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
      peakAfterGc.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
    };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
      }
    }
    poller = Thread.ofPlatform().daemon().name("bench-memory-probe").start(() -> {
      while (running) {
        peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  static MemoryProbe start() {
    return new MemoryProbe();
  }

  private long heapSum(Map<String, MemoryUsage> usage) {
    long sum = 0;
    for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) {
      if (heapPools.contains(e.getKey())) {
        sum += e.getValue().getUsed();
      }
    }
    return sum;
  }

  /** CPU time of this process so far (all threads, JIT and GC included), in ms. */
  static long processCpuMillis() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1_000_000;
    }
    return -1;
  }

  /** {@code VmHWM} and {@code VmRSS} of this process in MB (empty where /proc is not available). */
  static Map<String, Double> residentSet() {
    Map<String, Double> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        for (String key : List.of("VmHWM", "VmRSS")) {
          if (line.startsWith(key + ":")) {
            String kb = line.substring(key.length() + 1).trim().split("\\s+")[0];
            out.put(key, Long.parseLong(kb) / 1024.0);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no resident-set figures
    }
    return out;
  }

  /** The figures so far, in MB and ms. */
  Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    m.put("heap_peak_used_mb", peakUsed.get() / 1048576.0);
    m.put("heap_peak_live_after_gc_mb", peakAfterGc.get() / 1048576.0);
    m.put("heap_max_mb", Runtime.getRuntime().maxMemory() / 1048576.0);
    m.put("gc_count", gcCount.get());
    m.put("gc_ms", gcMillis.get());
    Map<String, Double> rss = residentSet();
    m.put("rss_hwm_mb", rss.getOrDefault("VmHWM", -1.0));
    m.put("rss_end_mb", rss.getOrDefault("VmRSS", -1.0));
    return m;
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(listener);
        } catch (Exception e) {
          // already removed
        }
      }
    }
  }
}
