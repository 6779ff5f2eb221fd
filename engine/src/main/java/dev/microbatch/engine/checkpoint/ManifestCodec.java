package dev.microbatch.engine.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The binary manifest layout (all integers big-endian, strings as int32 byte length + UTF-8):
 *
 * <pre>
 * magic            4 bytes  "MBCM"
 * formatVersion    int32
 * batchId          int64
 * batchTimeMillis  int64
 * writerEpoch      int64
 * metadataCount    int32, then per entry: key string, value string
 * fileCount        int32, then per file: path string, length int64, crc32c int32
 * crc32c           int32    CRC32C of every byte before it
 * </pre>
 *
 * The trailing checksum makes a truncated or altered manifest fail to decode instead of decoding
 * to something smaller.
 */
final class ManifestCodec {
  private static final byte[] MAGIC = {'M', 'B', 'C', 'M'};
  // Bounds that no real manifest reaches, so a corrupt count fails fast instead of allocating.
  private static final int MAX_STRING_BYTES = 1 << 20;
  private static final int MAX_ENTRIES = 10_000_000;

  private ManifestCodec() {}

  static byte[] encode(Manifest manifest) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(manifest.formatVersion());
      out.writeLong(manifest.batchId());
      out.writeLong(manifest.batchTimeMillis());
      out.writeLong(manifest.writerEpoch());
      out.writeInt(manifest.metadata().size());
      for (Map.Entry<String, String> e : manifest.metadata().entrySet()) {
        writeString(out, e.getKey());
        writeString(out, e.getValue());
      }
      out.writeInt(manifest.files().size());
      for (DataFileRef f : manifest.files()) {
        writeString(out, f.path());
        out.writeLong(f.length());
        out.writeInt(f.crc32c());
      }
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Writing to memory cannot fail", e);
    }
  }

  /**
   * Decodes a manifest.
   *
   * @throws IOException saying what is wrong: truncated, bad checksum, not a manifest, or another
   *     format version
   */
  static Manifest decode(byte[] data) throws IOException {
    if (data.length < MAGIC.length + 4 + 4) {
      throw new IOException("truncated: " + data.length + " bytes");
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    int stored = java.nio.ByteBuffer.wrap(data, data.length - 4, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw new IOException(
          "checksum mismatch (truncated or corrupt, " + data.length + " bytes): stored "
              + Integer.toHexString(stored) + ", computed " + Integer.toHexString((int) crc.getValue()));
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 4));
    try {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a manifest (bad magic)");
      }
      int version = in.readInt();
      if (version != CheckpointLayout.FORMAT_VERSION) {
        throw new IOException(
            "format version " + version + ", this build reads " + CheckpointLayout.FORMAT_VERSION);
      }
      long batchId = in.readLong();
      long batchTime = in.readLong();
      long epoch = in.readLong();
      int metaCount = readCount(in);
      Map<String, String> metadata = new LinkedHashMap<>();
      for (int i = 0; i < metaCount; i++) {
        metadata.put(readString(in), readString(in));
      }
      int fileCount = readCount(in);
      List<DataFileRef> files = new ArrayList<>();
      for (int i = 0; i < fileCount; i++) {
        files.add(new DataFileRef(readString(in), in.readLong(), in.readInt()));
      }
      if (in.available() != 0) {
        throw new IOException(in.available() + " unexpected bytes after the file list");
      }
      return new Manifest(version, batchId, batchTime, epoch, metadata, files);
    } catch (EOFException e) {
      throw new IOException("truncated inside its content", e);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid entry: " + e.getMessage(), e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException("Manifest strings are at most 1 MiB, got " + b.length + " bytes");
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_STRING_BYTES) {
      throw new IOException("invalid string length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int readCount(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ENTRIES) {
      throw new IOException("invalid entry count " + n);
    }
    return n;
  }
}
