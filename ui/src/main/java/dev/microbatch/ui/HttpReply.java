package dev.microbatch.ui;

/** What a handler answers: a status, a content type and the body. */
record HttpReply(int status, String contentType, byte[] body) {
  static final String JSON = "application/json; charset=utf-8";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
}
