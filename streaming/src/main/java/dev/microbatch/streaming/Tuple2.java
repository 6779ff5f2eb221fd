package dev.microbatch.streaming;

/**
 * A pair, the element of pair streams; accessed as in Spark's Java API ({@code _1()}, {@code
 * _2()}). Equal when both parts are equal.
 */
public record Tuple2<A, B>(A _1, B _2) {
  public static <A, B> Tuple2<A, B> of(A first, B second) {
    return new Tuple2<>(first, second);
  }

  @Override
  public String toString() {
    return "(" + _1 + "," + _2 + ")";
  }
}
