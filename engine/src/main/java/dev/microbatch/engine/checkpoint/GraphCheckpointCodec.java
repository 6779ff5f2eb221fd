package dev.microbatch.engine.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary layout of a {@link GraphCheckpoint} (big-endian; strings and byte arrays are an int32
 * length and their bytes):
 *
 * <pre>
 *   4 bytes  "MBCG"          int32 layout version (1)      int32 parallelism
 *   int32 units,        each: string name, byte kind (0 input, 1 state), string fingerprint
 *   int32 watermarks,   each: string stream key, int64 watermark (ms; Long.MIN/MAX_VALUE = -/+inf.)
 *   int32 inputs,       each: string unit, bytes position
 *   int32 states,       each: string unit, int32 partitions, each: int32 files, each: string path
 *   int32 accumulators, each: string name, bytes committed value
 * </pre>
 */
public final class GraphCheckpointCodec {
  private static final int MAGIC = 0x4D42_4347; // "MBCG"
  private static final int VERSION = 1;

  private GraphCheckpointCodec() {}

  public static byte[] encode(GraphCheckpoint graph) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(graph.parallelism());
    out.writeInt(graph.units().size());
    for (GraphCheckpoint.Unit unit : graph.units()) {
      Encoding.writeString(out, unit.name());
      out.writeByte(unit.kind().ordinal());
      Encoding.writeString(out, unit.fingerprint());
    }
    out.writeInt(graph.watermarks().size());
    for (Map.Entry<String, Long> watermark : graph.watermarks().entrySet()) {
      Encoding.writeString(out, watermark.getKey());
      out.writeLong(watermark.getValue());
    }
    writeBytesMap(out, graph.inputPositions());
    out.writeInt(graph.stateChains().size());
    for (Map.Entry<String, List<List<String>>> stage : graph.stateChains().entrySet()) {
      Encoding.writeString(out, stage.getKey());
      out.writeInt(stage.getValue().size());
      for (List<String> chain : stage.getValue()) {
        out.writeInt(chain.size());
        for (String path : chain) {
          Encoding.writeString(out, path);
        }
      }
    }
    writeBytesMap(out, graph.accumulators());
    out.flush();
    return bytes.toByteArray();
  }

  public static GraphCheckpoint decode(byte[] encoded) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
    if (in.readInt() != MAGIC) {
      throw new CheckpointException("Corrupt checkpoint: its graph file does not start with MBCG");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new CheckpointException(
          "The checkpoint's graph file has layout version " + version + "; this runner reads " + VERSION);
    }
    int parallelism = in.readInt();
    int unitCount = in.readInt();
    List<GraphCheckpoint.Unit> units = new ArrayList<>();
    for (int i = 0; i < unitCount; i++) {
      String name = Encoding.readString(in);
      int kind = in.readByte();
      if (kind < 0 || kind >= GraphCheckpoint.Kind.values().length) {
        throw new CheckpointException("Corrupt checkpoint: unknown unit kind " + kind);
      }
      units.add(new GraphCheckpoint.Unit(name, GraphCheckpoint.Kind.values()[kind], Encoding.readString(in)));
    }
    int watermarkCount = in.readInt();
    Map<String, Long> watermarks = new LinkedHashMap<>();
    for (int i = 0; i < watermarkCount; i++) {
      watermarks.put(Encoding.readString(in), in.readLong());
    }
    Map<String, byte[]> inputs = readBytesMap(in);
    int stageCount = in.readInt();
    Map<String, List<List<String>>> chains = new LinkedHashMap<>();
    for (int i = 0; i < stageCount; i++) {
      String stage = Encoding.readString(in);
      int partitions = in.readInt();
      List<List<String>> byPartition = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int files = in.readInt();
        List<String> chain = new ArrayList<>();
        for (int f = 0; f < files; f++) {
          chain.add(Encoding.readString(in));
        }
        byPartition.add(chain);
      }
      chains.put(stage, byPartition);
    }
    Map<String, byte[]> accumulators = readBytesMap(in);
    if (in.read() != -1) {
      throw new CheckpointException("Corrupt checkpoint: bytes after the end of its graph file");
    }
    return new GraphCheckpoint(parallelism, units, watermarks, inputs, chains, accumulators);
  }

  private static void writeBytesMap(DataOutputStream out, Map<String, byte[]> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, byte[]> entry : map.entrySet()) {
      Encoding.writeString(out, entry.getKey());
      Encoding.writeBytes(out, entry.getValue());
    }
  }

  private static Map<String, byte[]> readBytesMap(DataInputStream in) throws IOException {
    int count = in.readInt();
    Map<String, byte[]> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      map.put(Encoding.readString(in), Encoding.readBytes(in));
    }
    return map;
  }
}
