package dev.microbatch.ui;

import java.io.PrintWriter;
import java.io.StringWriter;

/** A failure as the UI shows it: its stack trace, causes included, cut at {@link #LIMIT} characters. */
final class FailureText {
  static final int LIMIT = 16_384;

  private FailureText() {}

  static String of(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    String trace = text.toString();
    return trace.length() <= LIMIT ? trace : trace.substring(0, LIMIT) + "\n\t... (cut at " + LIMIT + " characters)";
  }
}
