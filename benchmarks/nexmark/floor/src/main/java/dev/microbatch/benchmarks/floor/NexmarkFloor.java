package dev.microbatch.benchmarks.floor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.nexmark.NexmarkConfiguration;
import org.apache.beam.sdk.nexmark.NexmarkUtils;
import org.apache.beam.sdk.nexmark.model.AuctionPrice;
import org.apache.beam.sdk.nexmark.model.Bid;
import org.apache.beam.sdk.nexmark.model.Event;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * The least time any runner can take for Nexmark's queries 0, 1 and 2 in batch mode: the work those
 * queries make Nexmark and the Beam SDK do for every event, run straight in two threads, with no
 * runner, no metrics and no output, timed the way Nexmark times a run (from the first event read to
 * the last result formatted). Per event: the generator makes it (Nexmark's own bounded source,
 * split as it splits itself); the query's step runs (query 0: a round trip through the event coder;
 * query 1: a bid's price converted into a new bid; query 2: bids on every 123rd auction projected to
 * auction and price); the launcher's sink formats the stamped result as text ({@code
 * TimestampedValue.toString}, which for Nexmark's model is JSON). A runner runs all of this plus its
 * own work, and Nexmark's monitors besides, so its events/s cannot exceed what this prints.
 *
 * <p>Arguments: the query (0, 1 or 2) and the number of events. Prints the line Nexmark's launcher
 * prints for one configuration ({@code 0000 runtime events/s results}).
 */
public final class NexmarkFloor {
  private static final int THREADS = 2;

  private NexmarkFloor() {}

  public static void main(String[] args) throws Exception {
    String query = args[0];
    long events = Long.parseLong(args[1]);
    NexmarkConfiguration configuration = NexmarkConfiguration.DEFAULT.copy();
    configuration.numEvents = events;
    Function<Event, Object> step = step(query, configuration);
    PipelineOptions options = PipelineOptionsFactory.create();
    @SuppressWarnings("unchecked")
    BoundedSource<Event> source =
        ((Read.Bounded<Event>) NexmarkUtils.batchEventsSource(configuration)).getSource();
    ConcurrentLinkedQueue<BoundedSource<Event>> splits = new ConcurrentLinkedQueue<>(source.split(0, options));

    AtomicLong firstRead = new AtomicLong(Long.MAX_VALUE);
    AtomicLong lastResult = new AtomicLong(Long.MIN_VALUE);
    AtomicLong results = new AtomicLong();
    AtomicLong textLength = new AtomicLong();
    Thread[] workers = new Thread[THREADS];
    Throwable[] failure = new Throwable[1];
    for (int i = 0; i < THREADS; i++) {
      workers[i] =
          new Thread(
              () -> {
                try {
                  runSplits(splits, options, step, firstRead, lastResult, results, textLength);
                } catch (Throwable t) {
                  failure[0] = t;
                }
              },
              "floor-" + i);
      workers[i].start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("A worker failed", failure[0]);
    }
    double seconds = (lastResult.get() - firstRead.get()) / 1e9;
    System.out.printf(
        Locale.ROOT, "Floor of query %s, %,d events, %d threads, %,d characters of results%n",
        query, events, THREADS, textLength.get());
    System.out.printf(Locale.ROOT, "  0000   %.1f   %.1f   %d%n", seconds, events / seconds, results.get());
  }

  private static void runSplits(
      ConcurrentLinkedQueue<BoundedSource<Event>> splits,
      PipelineOptions options,
      Function<Event, Object> step,
      AtomicLong firstRead,
      AtomicLong lastResult,
      AtomicLong results,
      AtomicLong textLength)
      throws IOException {
    long count = 0;
    long length = 0;
    boolean started = false;
    BoundedSource<Event> split;
    while ((split = splits.poll()) != null) {
      try (BoundedSource.BoundedReader<Event> reader = split.createReader(options)) {
        for (boolean more = reader.start(); more; more = reader.advance()) {
          if (!started) {
            firstRead.accumulateAndGet(System.nanoTime(), Math::min);
            started = true;
          }
          Object result = step.apply(reader.getCurrent());
          if (result != null) {
            length += TimestampedValue.of(result, reader.getCurrentTimestamp()).toString().length();
            count++;
          }
        }
      }
    }
    lastResult.accumulateAndGet(System.nanoTime(), Math::max);
    results.addAndGet(count);
    textLength.addAndGet(length);
  }

  private static Function<Event, Object> step(String query, NexmarkConfiguration configuration) {
    switch (query) {
      case "0":
        Coder<Event> coder = Event.CODER;
        return event -> roundTrip(coder, event);
      case "1":
        return event -> {
          Bid bid = event.bid;
          return bid == null ? null : new Bid(bid.auction, bid.bidder, bid.price * 89 / 100, bid.dateTime, bid.extra);
        };
      case "2":
        long skip = configuration.auctionSkip;
        return event -> {
          Bid bid = event.bid;
          return bid == null || bid.auction % skip != 0 ? null : new AuctionPrice(bid.auction, bid.price);
        };
      default:
        throw new IllegalArgumentException("Query " + query + " has no floor here; 0, 1 or 2");
    }
  }

  private static Event roundTrip(Coder<Event> coder, Event event) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      coder.encode(event, bytes, Coder.Context.OUTER);
      return coder.decode(new ByteArrayInputStream(bytes.toByteArray()), Coder.Context.OUTER);
    } catch (IOException e) {
      throw new IllegalStateException("Query 0's coder round trip failed", e);
    }
  }
}
