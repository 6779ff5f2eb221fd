package dev.microbatch.engine.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ByteSpanTest {
  @Test
  void readsWhatDataOutputStreamAndTheLayoutsVarintsWrote() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(0xFE);
    out.writeLong(-1234567890123L);
    out.write(new byte[] {(byte) 0xAC, 0x02}); // varint 300
    out.write(new byte[] {1, 2, 3});
    ByteSpan span = new ByteSpan(bytes.toByteArray());
    assertThat(span.readUnsignedByte(), equalTo(0xFE));
    assertThat(span.readLong(), equalTo(-1234567890123L));
    assertThat(span.varint(), equalTo(300L));
    assertThat(span.bytes(2), equalTo(new byte[] {1, 2}));
    assertThat(span.remaining(), equalTo(1));
    assertThat(span.rest(), equalTo(new byte[] {3}));
  }

  @Test
  void refusesToReadPastItsEndOrANegativeLength() {
    byte[] data = {9, 9, 9, 9, 9};
    ByteSpan span = new ByteSpan(data, 1, 4);
    EOFException past = assertThrows(EOFException.class, () -> span.bytes(4));
    assertThat(past.getMessage(), containsString("4 bytes announced, 3 left"));
    assertThrows(EOFException.class, () -> span.skip(-1));
    assertThrows(EOFException.class, span::readLong);
  }

  @Test
  void refusesAVarintOfMoreThanTenBytes() {
    byte[] endless = new byte[11];
    java.util.Arrays.fill(endless, (byte) 0x80);
    IOException e = assertThrows(IOException.class, () -> new ByteSpan(endless).varint());
    assertThat(e.getMessage(), containsString("more than 10 bytes"));
  }
}
