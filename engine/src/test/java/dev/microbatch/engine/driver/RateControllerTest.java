package dev.microbatch.engine.driver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** Backpressure: limits appear only when batches overrun the interval, and go away again. */
class RateControllerTest {
  private final RateController rates = new RateController(1000, 2, 10);

  @Test
  void batchesWithinTheIntervalAreNotLimited() {
    rates.onBatchCompleted(50_000, 900);
    assertThat(rates.limitPerPartition(), is(RateController.UNLIMITED));
  }

  @Test
  void anOverrunningBatchLimitsTheNextToWhatOneIntervalCanProcess() {
    // 40,000 records in 4 s: 10 records per ms, so 10,000 fit in one 1 s interval, 5,000 a partition.
    rates.onBatchCompleted(40_000, 4000);
    assertThat(rates.limitPerPartition(), is(5_000L));

    // Still too slow at 5 records per ms: the smoothed rate (7.5 per ms) gives 3,750 a partition.
    rates.onBatchCompleted(10_000, 2000);
    assertThat(rates.limitPerPartition(), is(3_750L));
  }

  @Test
  void theLimitRelaxesOnceBatchesFitAndIsLiftedWhenItNoLongerBinds() {
    rates.onBatchCompleted(40_000, 4000);
    rates.onBatchCompleted(10_000, 800);
    assertThat(rates.limitPerPartition(), is(10_000L));
    // Only 100 records came: a limit of 20,000 a partition no longer binds.
    rates.onBatchCompleted(100, 10);
    assertThat(rates.limitPerPartition(), is(RateController.UNLIMITED));
  }

  @Test
  void neverBelowTheMinimum() {
    rates.onBatchCompleted(10, 100_000);
    assertThat(rates.limitPerPartition(), is(10L));
  }
}
