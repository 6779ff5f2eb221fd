package dev.microbatch.translation;

import java.util.List;

/** The pipeline uses transforms or features the runner cannot execute; thrown before any data moves. */
public final class UnsupportedPipelineException extends UnsupportedOperationException {
  private final List<String> problems;

  public UnsupportedPipelineException(List<String> problems) {
    super(
        "MicroBatchRunner cannot run this pipeline; "
            + problems.size()
            + " transform(s) are not supported:\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
