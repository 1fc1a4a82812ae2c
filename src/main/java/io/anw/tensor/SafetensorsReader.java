package io.anw.tensor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .safetensors}: an 8-byte little-endian header length, a JSON header mapping names
 * to {@code {dtype, shape, data_offsets}} (plus an optional {@code __metadata__} string map), then
 * the data. Checks as the format specifies: header at most 100 MB, offsets inside the data area,
 * no overlapping tensors, and shape × dtype size = byte length. Tensors are memory-mapped.
 */
final class SafetensorsReader {
  /** Largest header accepted, as in the reference implementation. */
  static final long MAX_HEADER = 100_000_000L;

  private SafetensorsReader() {}

  private record Span(String name, long begin, long end) {}

  /** Reads the header of {@code file} and maps its tensors. */
  static TensorTree read(MappedFile file) {
    String src = file.path().getFileName().toString();
    if (file.size() < 8) {
      throw new TensorFileException(src, "too short for a safetensors header");
    }
    long headerLen = file.region(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    if (headerLen < 2 || headerLen > MAX_HEADER) {
      throw new TensorFileException(src, "safetensors header length " + headerLen + " is out of range (2.."
          + MAX_HEADER + ")");
    }
    if (!file.contains(8, headerLen)) {
      throw new TensorFileException(src, "safetensors header of " + headerLen + " bytes exceeds the file ("
          + file.size() + " bytes; truncated?)");
    }
    ByteBuffer hb = file.region(8, headerLen);
    byte[] raw = new byte[(int) headerLen];
    hb.get(raw);
    JsonObject header;
    try {
      JsonElement parsed = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
      if (!parsed.isJsonObject()) {
        throw new TensorFileException(src, "safetensors header is not a JSON object");
      }
      header = parsed.getAsJsonObject();
    } catch (JsonParseException | StackOverflowError e) {
      throw new TensorFileException(src, "safetensors header is not valid JSON");
    }
    long dataStart = 8 + headerLen;
    long dataLen = file.size() - dataStart;
    TensorTree.Builder tree = TensorTree.builder(src, "safetensors");
    List<Span> spans = new ArrayList<>();
    List<Object[]> pending = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : header.entrySet()) {
      String name = e.getKey();
      if (name.equals("__metadata__")) {
        readMetadata(src, e.getValue(), tree);
        continue;
      }
      if (!e.getValue().isJsonObject()) {
        throw new TensorFileException(src, "entry '" + name + "' is not an object");
      }
      JsonObject info = e.getValue().getAsJsonObject();
      DType dtype = DType.fromSafetensors(string(src, name, info, "dtype"));
      if (dtype == null) {
        throw new TensorFileException(src, "entry '" + name + "' has unsupported dtype " + info.get("dtype"));
      }
      long[] shape = longs(src, name, info, "shape");
      long[] offsets = longs(src, name, info, "data_offsets");
      if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLen) {
        throw new TensorFileException(src, "entry '" + name + "' has data_offsets outside the data area of "
            + dataLen + " bytes (truncated?)");
      }
      long bytes = dtype.byteSize();
      for (long s : shape) {
        if (s < 0) {
          throw new TensorFileException(src, "entry '" + name + "' has a negative dimension");
        }
        bytes = multiply(src, name, bytes, s);
      }
      if (bytes != offsets[1] - offsets[0]) {
        throw new TensorFileException(src, "entry '" + name + "' has " + (offsets[1] - offsets[0])
            + " bytes but shape x dtype needs " + bytes);
      }
      spans.add(new Span(name, offsets[0], offsets[1]));
      pending.add(new Object[] {name, dtype, shape, offsets});
    }
    checkNoOverlap(src, spans);
    pending.sort(Comparator.comparingLong(p -> ((long[]) p[3])[0]));
    for (Object[] p : pending) {
      long[] shape = (long[]) p[2];
      long[] off = (long[]) p[3];
      Storage storage = file.storage(dataStart + off[0], off[1] - off[0]);
      tree.tensor((String) p[0], new Tensor((DType) p[1], shape, Tensor.contiguousStrides(shape), 0, storage,
          ByteOrder.LITTLE_ENDIAN));
    }
    return tree.build();
  }

  private static void checkNoOverlap(String src, List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(Span::begin).thenComparingLong(Span::end));
    for (int i = 1; i < sorted.size(); i++) {
      Span a = sorted.get(i - 1);
      Span b = sorted.get(i);
      if (b.begin() < a.end()) {
        throw new TensorFileException(src, "tensors '" + a.name() + "' and '" + b.name() + "' overlap");
      }
    }
  }

  private static void readMetadata(String src, JsonElement meta, TensorTree.Builder tree) {
    if (meta.isJsonNull()) {
      return;
    }
    if (!meta.isJsonObject()) {
      throw new TensorFileException(src, "__metadata__ is not a string map");
    }
    for (Map.Entry<String, JsonElement> m : meta.getAsJsonObject().entrySet()) {
      JsonElement v = m.getValue();
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw new TensorFileException(src, "__metadata__ value '" + m.getKey() + "' is not a string");
      }
      tree.meta(m.getKey(), v.getAsString());
    }
  }

  private static String string(String src, String name, JsonObject info, String field) {
    JsonElement v = info.get(field);
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
      throw new TensorFileException(src, "entry '" + name + "' lacks a string " + field);
    }
    return v.getAsString();
  }

  private static long[] longs(String src, String name, JsonObject info, String field) {
    JsonElement v = info.get(field);
    if (v == null || !v.isJsonArray() || v.getAsJsonArray().size() > PickleArgs.MAX_RANK) {
      throw new TensorFileException(src, "entry '" + name + "' lacks a valid " + field + " list");
    }
    JsonArray a = v.getAsJsonArray();
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonElement x = a.get(i);
      try {
        if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
          throw new NumberFormatException();
        }
        out[i] = x.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
      } catch (NumberFormatException | ArithmeticException ex) {
        throw new TensorFileException(src, "entry '" + name + "' has a non-integer in " + field);
      }
    }
    return out;
  }

  private static long multiply(String src, String name, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new TensorFileException(src, "entry '" + name + "' has a shape that overflows");
    }
  }
}
