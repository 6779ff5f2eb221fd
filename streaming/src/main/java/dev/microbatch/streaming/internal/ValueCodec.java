package dev.microbatch.streaming.internal;

import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.streaming.StreamCodec;
import dev.microbatch.streaming.Tuple2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes any value the streaming API carries, its type first: a tag byte, then the value
 * (big-endian). Tags: 0 null, 1 String (int32 length, UTF-8), 2 Integer, 3 Long, 4 Double,
 * 5 Boolean, 6 byte[] (int32 length), 7 Tuple2 (both parts), 8 List (int32 count, elements),
 * 9 Float, 10 Short, 11 Byte, 12 Character, 13 a registered type (its class name as a String
 * value, then what its {@link StreamCodec} writes). The same value always gives the same bytes,
 * so encodings serve as keys. One per context; user codecs are registered before it starts.
 */
public final class ValueCodec {
  private final Map<Class<?>, StreamCodec<?>> registered = new ConcurrentHashMap<>();
  private final Map<String, StreamCodec<?>> byName = new ConcurrentHashMap<>();

  /** Adds the codec of a user type; the context allows it only before it starts. */
  public <T> void register(Class<T> type, StreamCodec<T> codec) {
    registered.put(type, codec);
    byName.put(type.getName(), codec);
  }

  public byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(value, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public ByteKey key(Object value) {
    return ByteKey.of(encode(value));
  }

  @SuppressWarnings("unchecked")
  public <T> T decode(byte[] bytes) {
    try {
      return (T) read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("Corrupt streaming data: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public void write(Object value, DataOutput out) throws IOException {
    if (value == null) {
      out.writeByte(0);
    } else if (value instanceof String s) {
      out.writeByte(1);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    } else if (value instanceof Integer i) {
      out.writeByte(2);
      out.writeInt(i);
    } else if (value instanceof Long l) {
      out.writeByte(3);
      out.writeLong(l);
    } else if (value instanceof Double d) {
      out.writeByte(4);
      out.writeDouble(d);
    } else if (value instanceof Boolean b) {
      out.writeByte(5);
      out.writeBoolean(b);
    } else if (value instanceof byte[] b) {
      out.writeByte(6);
      out.writeInt(b.length);
      out.write(b);
    } else if (value instanceof Tuple2<?, ?> t) {
      out.writeByte(7);
      write(t._1(), out);
      write(t._2(), out);
    } else if (value instanceof List<?> list) {
      out.writeByte(8);
      out.writeInt(list.size());
      for (Object element : list) {
        write(element, out);
      }
    } else if (value instanceof Float f) {
      out.writeByte(9);
      out.writeFloat(f);
    } else if (value instanceof Short s) {
      out.writeByte(10);
      out.writeShort(s);
    } else if (value instanceof Byte b) {
      out.writeByte(11);
      out.writeByte(b);
    } else if (value instanceof Character c) {
      out.writeByte(12);
      out.writeChar(c);
    } else {
      StreamCodec codec = registered.get(value.getClass());
      if (codec == null) {
        throw new IllegalArgumentException(
            "Cannot encode a value of " + value.getClass().getName() + " for a shuffle, state or a"
                + " checkpoint: register a codec with JavaStreamingContext.registerCodec("
                + value.getClass().getSimpleName() + ".class, codec). Built in: String, Integer, Long,"
                + " Double, Float, Short, Byte, Character, Boolean, byte[], Tuple2 and List.");
      }
      out.writeByte(13);
      write(value.getClass().getName(), out);
      codec.encode(value, out);
    }
  }

  public Object read(DataInput in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case 0:
        return null;
      case 1:
        return new String(readBytes(in), StandardCharsets.UTF_8);
      case 2:
        return in.readInt();
      case 3:
        return in.readLong();
      case 4:
        return in.readDouble();
      case 5:
        return in.readBoolean();
      case 6:
        return readBytes(in);
      case 7:
        return new Tuple2<>(read(in), read(in));
      case 8:
        {
          int count = in.readInt();
          if (count < 0) {
            throw new IOException("a list of " + count + " elements");
          }
          List<Object> list = new ArrayList<>(Math.min(count, 1024));
          for (int i = 0; i < count; i++) {
            list.add(read(in));
          }
          return list;
        }
      case 9:
        return in.readFloat();
      case 10:
        return in.readShort();
      case 11:
        return in.readByte();
      case 12:
        return in.readChar();
      case 13:
        {
          String type = (String) read(in);
          StreamCodec<?> codec = byName.get(type);
          if (codec == null) {
            throw new IOException(
                "data of " + type + ", but no codec is registered for it in this context");
          }
          return codec.decode(in);
        }
      default:
        throw new IOException("unknown value tag " + tag);
    }
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("a negative length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  /** What every context's data depends on, for checkpoint fingerprints: the registered types. */
  public String fingerprint() {
    return "values-v1" + new java.util.TreeSet<>(byName.keySet());
  }
}
