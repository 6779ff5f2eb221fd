package dev.microbatch.streaming.internal;

import dev.microbatch.engine.checkpoint.FileSystems;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A receiver's write-ahead log on a Hadoop file system: numbered blocks of received records, each
 * durable (flushed and synced) before {@link #append} returns. Each process writes segments of its
 * own, {@code segment-<first block, 20 digits>}; a record is int32 payload length, int32 CRC-32 of
 * the payload, and the payload: int64 block number, int32 record count, each record as {@link
 * ValueCodec} writes it. A record cut short or failing its CRC ends its segment: it was never
 * acknowledged (the process died while writing it).
 */
public final class WriteAheadLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
  private static final int BLOCKS_PER_SEGMENT = 10_000;

  /** One block as the log holds it. */
  public record Block(long number, List<Object> records) {}

  private final FileSystem fs;
  private final Path directory;
  private final ValueCodec codec;
  private FSDataOutputStream segment;
  private int blocksInSegment;

  public WriteAheadLog(String directory, ValueCodec codec) throws IOException {
    Path path = new Path(directory);
    this.fs = FileSystems.of(path, new Configuration());
    this.directory = path;
    this.codec = codec;
    fs.mkdirs(path);
  }

  /** Every complete block numbered {@code from} or later, in order. */
  public List<Block> readFrom(long from) throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (FileStatus file : segments()) {
      try (FSDataInputStream in = fs.open(file.getPath())) {
        readSegment(file.getPath(), new DataInputStream(in), from, blocks);
      }
    }
    blocks.sort((a, b) -> Long.compare(a.number(), b.number()));
    return blocks;
  }

  private void readSegment(Path file, DataInputStream in, long from, List<Block> blocks) throws IOException {
    while (true) {
      int length;
      int crc;
      byte[] payload;
      try {
        length = in.readInt();
        crc = in.readInt();
        if (length < 0) {
          throw new IOException("negative length " + length);
        }
        payload = in.readNBytes(length);
        if (payload.length != length) {
          throw new EOFException();
        }
      } catch (EOFException end) {
        return;
      } catch (IOException corrupt) {
        LOG.warn("Write-ahead log {}: an unreadable record ends the segment ({})", file, corrupt.getMessage());
        return;
      }
      CRC32 check = new CRC32();
      check.update(payload);
      if ((int) check.getValue() != crc) {
        LOG.warn("Write-ahead log {}: a record fails its checksum; it was never acknowledged and ends the segment", file);
        return;
      }
      DataInputStream record = new DataInputStream(new java.io.ByteArrayInputStream(payload));
      long number = record.readLong();
      int count = record.readInt();
      if (number < from) {
        continue;
      }
      List<Object> records = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        records.add(codec.read(record));
      }
      blocks.add(new Block(number, records));
    }
  }

  /** Writes block {@code number} and returns once it is durable. */
  public synchronized void append(long number, List<?> records) throws IOException {
    if (segment == null || blocksInSegment >= BLOCKS_PER_SEGMENT) {
      if (segment != null) {
        segment.close();
      }
      segment = fs.create(new Path(directory, String.format("segment-%020d", number)), false);
      blocksInSegment = 0;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream payload = new DataOutputStream(bytes)) {
      payload.writeLong(number);
      payload.writeInt(records.size());
      for (Object record : records) {
        codec.write(record, payload);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    segment.writeInt(bytes.size());
    segment.writeInt((int) crc.getValue());
    bytes.writeTo(segment);
    segment.hflush();
    segment.hsync();
    blocksInSegment++;
  }

  /**
   * Deletes the segments of other writers (or closed ones) whose blocks all lie below {@code
   * number}: a segment holds blocks up to where the next one starts.
   */
  public synchronized void deleteBelow(long number) throws IOException {
    List<FileStatus> all = segments();
    for (int i = 0; i + 1 < all.size(); i++) {
      long nextStart = startOf(all.get(i + 1).getPath());
      if (nextStart <= number) {
        fs.delete(all.get(i).getPath(), false);
      }
    }
  }

  private List<FileStatus> segments() throws IOException {
    List<FileStatus> segments = new ArrayList<>();
    for (FileStatus file : fs.listStatus(directory)) {
      if (file.getPath().getName().startsWith("segment-")) {
        segments.add(file);
      }
    }
    segments.sort((a, b) -> Long.compare(startOf(a.getPath()), startOf(b.getPath())));
    return segments;
  }

  private static long startOf(Path segment) {
    return Long.parseLong(segment.getName().substring("segment-".length()));
  }

  @Override
  public synchronized void close() throws IOException {
    if (segment != null) {
      segment.close();
      segment = null;
    }
  }
}
