package dev.microbatch.engine.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChangeLogSortTest {
  private static final TimerCodec<String, String> NO_TIMERS =
      new TimerCodec<>() {
        @Override
        public byte[] encode(String timer) {
          throw new AssertionError("no timers here");
        }

        @Override
        public String decode(byte[] bytes) {
          throw new AssertionError("no timers here");
        }

        @Override
        public String idOf(String timer) {
          throw new AssertionError("no timers here");
        }
      };

  /**
   * Keys of 0 to 12 bytes, many sharing their first eight, recorded several times across logs (some
   * empty) and within one log: each key comes out once, in unsigned byte order, as its newest
   * record (the blob says which), also after the logs are folded into one.
   */
  @Test
  void eachKeysNewestRecordComesOutInUnsignedKeyOrder() throws IOException {
    Random random = new Random(11);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      byte[] bytes = new byte[random.nextInt(13)];
      random.nextBytes(bytes);
      if (bytes.length > 8 && random.nextBoolean()) {
        System.arraycopy(new byte[] {(byte) 0xF0, 0, (byte) 0x80, 0x7F, (byte) 0xFF, 1, 2, 3}, 0, bytes, 0, 8);
      }
      keys.add(bytes);
    }
    Map<ByteKey, Integer> newest = new TreeMap<>((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
    List<ChangeLog> logs = new ArrayList<>();
    int stamp = 0;
    for (int l = 0; l < 6; l++) {
      ChangeLog log = new ChangeLog(random.nextInt(10));
      int records = l == 2 ? 0 : random.nextInt(2_000);
      for (int r = 0; r < records; r++, stamp++) {
        ByteKey key = ByteKey.of(keys.get(random.nextInt(keys.size())));
        // In two chunks: the log joins a key's chunks into one record.
        StateBytes blob =
            StateBytes.of(new byte[] {(byte) (stamp >> 24), (byte) (stamp >> 16)})
                .append(new byte[] {(byte) (stamp >> 8), (byte) stamp});
        log.append(key, blob, Watermarks.MAX, new Object[0], NO_TIMERS);
        newest.put(key, stamp);
      }
      logs.add(log);
    }

    assertThat(recordsOf(logs, ChangeLogSort.newestByKey(logs)), is(expected(newest)));
    ChangeLog folded = ChangeLog.newestOf(logs);
    assertThat(recordsOf(List.of(folded), ChangeLogSort.newestByKey(List.of(folded))), is(expected(newest)));
  }

  private static List<String> expected(Map<ByteKey, Integer> newest) {
    List<String> expected = new ArrayList<>();
    newest.forEach((key, stamp) -> expected.add(Arrays.toString(key.bytes()) + "@" + stamp));
    return expected;
  }

  private static List<String> recordsOf(List<ChangeLog> logs, long[] order) {
    List<String> records = new ArrayList<>();
    for (long at : order) {
      ChangeLog.Reader record = logs.get((int) (at >>> 32)).reader((int) at);
      record.readKey();
      byte[] key = Arrays.copyOfRange(record.bytes(), record.keyFrom, record.keyFrom + record.keyLength);
      byte[] b = Arrays.copyOfRange(record.bytes(), record.blobFrom, record.blobFrom + record.blobLength);
      int stamp = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
      records.add(Arrays.toString(key) + "@" + stamp);
    }
    return records;
  }
}
