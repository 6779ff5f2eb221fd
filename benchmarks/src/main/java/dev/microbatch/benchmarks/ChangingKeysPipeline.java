package dev.microbatch.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A per-key count in a ValueState over {@link SequenceSource}: number i &lt; keys creates key i (the
 * fill phase), every later number updates key {@code (i - keys) * STRIDE mod keys} (the steady
 * phase). With batches of keys / 100 numbers, each batch changes 1% of the keys, and the steady
 * keys of one batch are all distinct (STRIDE is prime) and spread over every partition. Nothing is
 * output; the counters below tell the benchmark how far a run got (same JVM).
 */
final class ChangingKeysPipeline {
  private static final long STRIDE = 2_654_435_761L;

  /** Elements the count has processed in the current run. */
  static final AtomicLong PROCESSED = new AtomicLong();
  /** When the first steady-phase element was processed (System.nanoTime), 0 before. */
  static final AtomicLong STEADY_STARTED = new AtomicLong();
  /** When the last element of the input was processed, 0 before. */
  static final AtomicLong FINISHED = new AtomicLong();
  /** The process's CPU time and GC time (ns) when the steady phase started and when the input ended. */
  static final AtomicLong STEADY_CPU = new AtomicLong();
  static final AtomicLong STEADY_GC = new AtomicLong();
  static final AtomicLong FINISHED_CPU = new AtomicLong();
  static final AtomicLong FINISHED_GC = new AtomicLong();
  /** The JIT compilers' accumulated time (ms) at the same two moments. */
  static final AtomicLong STEADY_JIT = new AtomicLong();
  static final AtomicLong FINISHED_JIT = new AtomicLong();
  /** The JVM's uptime (ms) at the same two moments, to line the phase up with JVM logs. */
  static final AtomicLong STEADY_UPTIME = new AtomicLong();
  static final AtomicLong FINISHED_UPTIME = new AtomicLong();
  /** CPU time (ns) per thread kind when the steady phase started, and how much each used in it. */
  static final Map<String, Long> STEADY_THREAD_CPU = new ConcurrentHashMap<>();
  static final Map<String, Long> STEADY_THREAD_USED = new ConcurrentHashMap<>();

  private ChangingKeysPipeline() {}

  static void resetProgress() {
    PROCESSED.set(0);
    STEADY_STARTED.set(0);
    FINISHED.set(0);
    STEADY_CPU.set(0);
    STEADY_GC.set(0);
    FINISHED_CPU.set(0);
    FINISHED_GC.set(0);
    STEADY_JIT.set(0);
    FINISHED_JIT.set(0);
    STEADY_UPTIME.set(0);
    FINISHED_UPTIME.set(0);
    STEADY_THREAD_CPU.clear();
    STEADY_THREAD_USED.clear();
  }

  /** The suffix of a thread kind's key in {@link #threadCpuNanos} for its time in the kernel. */
  static final String KERNEL = " in kernel";

  /**
   * CPU time per kind of thread (its name without numbers: the workers are one kind), and under
   * the kind plus {@link #KERNEL} the part of it in the kernel.
   */
  static Map<String, Long> threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byKind = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      long cpu = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
      long user = info == null ? -1 : threads.getThreadUserTime(info.getThreadId());
      if (cpu > 0) {
        String kind = info.getThreadName().replaceAll("[0-9]+", "N");
        byKind.merge(kind, cpu, Long::sum);
        // The part spent in the kernel (system calls: file I/O, fsync), under its own key.
        byKind.merge(kind + KERNEL, Math.max(0, cpu - user), Long::sum);
      }
    }
    return byKind;
  }

  /** The prefix of the JVM's own threads' kinds (collector, JIT) in {@link #vmThreadCpuNanos}. */
  static final String VM = "vm: ";

  /**
   * CPU time per kind of the JVM's own threads, which ThreadMXBean does not list (the collector's,
   * the JIT's), from Linux's /proc at a 10 ms resolution; empty where there is no /proc.
   */
  static Map<String, Long> vmThreadCpuNanos() {
    Map<String, Long> byKind = new TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return byKind;
    }
    for (java.io.File task : tasks) {
      try {
        String name = java.nio.file.Files.readString(task.toPath().resolve("comm")).trim();
        if (!name.matches("(GC Thread|G1 |C1 Comp|C2 Comp|VM Thread|VM Periodic).*")) {
          continue;
        }
        String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
        // Fields after the name in parentheses: state is field 3, utime 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        byKind.merge(VM + name.replaceAll("[0-9]+", "N"), ticks * 10_000_000L, Long::sum);
      } catch (java.io.IOException | RuntimeException e) {
        // The thread ended while it was read: it no longer counts.
      }
    }
    return byKind;
  }

  /** The CPU time of the whole process so far, every thread and the collector's included. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The time the collectors have reported spending so far (pauses and concurrent cycles). */
  static long gcNanos() {
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, gc.getCollectionTime());
    }
    return millis * 1_000_000;
  }

  static void build(Pipeline pipeline, long keys, long total) {
    pipeline
        .apply("Read", Read.from(new SequenceSource(total)))
        .apply(
            "Key",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                .via((Long i) -> KV.of(keyOf(i, keys), i)))
        .apply("CountPerKey", ParDo.of(new Count(keys, total)));
  }

  static long keyOf(long i, long keys) {
    return i < keys ? i : Math.floorMod(((i - keys) % keys) * (STRIDE % keys), keys);
  }

  /** Counts per key; records the run's progress. */
  static final class Count extends DoFn<KV<Long, Long>, Void> {
    private final long keys;
    private final long total;

    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    Count(long keys, long total) {
      this.keys = keys;
      this.total = total;
    }

    @ProcessElement
    public void process(@Element KV<Long, Long> element, @StateId("count") ValueState<Long> count) {
      Long current = count.read();
      count.write(current == null ? 1 : current + 1);
      if (element.getValue() >= keys && STEADY_STARTED.get() == 0) {
        if (STEADY_STARTED.compareAndSet(0, System.nanoTime())) {
          STEADY_THREAD_CPU.putAll(threadCpuNanos());
          STEADY_THREAD_CPU.putAll(vmThreadCpuNanos());
          STEADY_CPU.set(processCpuNanos());
          STEADY_GC.set(gcNanos());
          STEADY_JIT.set(ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
          STEADY_UPTIME.set(ManagementFactory.getRuntimeMXBean().getUptime());
        }
      }
      if (PROCESSED.incrementAndGet() == total) {
        FINISHED_CPU.set(processCpuNanos());
        FINISHED_GC.set(gcNanos());
        FINISHED_JIT.set(ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
        FINISHED_UPTIME.set(ManagementFactory.getRuntimeMXBean().getUptime());
        Map<String, Long> now = threadCpuNanos();
        now.putAll(vmThreadCpuNanos());
        now.forEach((kind, cpu) -> STEADY_THREAD_USED.put(kind, cpu - STEADY_THREAD_CPU.getOrDefault(kind, 0L)));
        FINISHED.set(System.nanoTime());
      }
    }
  }
}
