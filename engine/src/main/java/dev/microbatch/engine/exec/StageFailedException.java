package dev.microbatch.engine.exec;

/**
 * Carries the exception that failed a task out of its stage; the cause is the original, and
 * {@link #stage()} names the stage (its stream and the operators fused into it) once known.
 */
public final class StageFailedException extends RuntimeException {
  private final String stage;

  StageFailedException(Throwable cause) {
    this(null, cause);
  }

  private StageFailedException(String stage, Throwable cause) {
    super(stage == null ? cause.toString() : "stage " + stage + ": " + cause, cause, false, false);
    this.stage = stage;
  }

  /** This failure attributed to {@code stage}, unless an inner stage already claimed it. */
  StageFailedException inStage(String stage) {
    return this.stage != null ? this : new StageFailedException(stage, getCause());
  }

  /** The failed stage, or null when the failure happened outside any stage. */
  public String stage() {
    return stage;
  }
}
