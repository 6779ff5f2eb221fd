package dev.microbatch.engine.exec;

/** Carries the exception that failed a task out of its stage; the cause is the original. */
public final class StageFailedException extends RuntimeException {
  StageFailedException(Throwable cause) {
    super(cause.toString(), cause, false, false);
  }
}
