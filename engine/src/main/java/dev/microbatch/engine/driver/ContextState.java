package dev.microbatch.engine.driver;

/** The lifecycle of a streaming context: INITIALIZED -> ACTIVE -> (STOPPED | FAILED). */
public enum ContextState {
  INITIALIZED,
  ACTIVE,
  STOPPED,
  FAILED;

  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }
}
