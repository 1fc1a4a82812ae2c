package io.anw.tensor;

import io.anw.AtomicFile;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code .safetensors}: tensors packed row-major little-endian in tree order, dtypes
 * kept, and the metadata as the {@code __metadata__} string map (Python-style text).
 */
final class SafetensorsWriter {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private SafetensorsWriter() {}

  /** Writes {@code tree} to {@code path} atomically. */
  static void write(Path path, TensorTree tree) {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!tree.metadata().isEmpty()) {
      header.put("__metadata__", tree.metadataText());
    }
    List<Tensor> order = new ArrayList<>();
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
      Tensor t = e.getValue();
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", t.dtype().safetensorsName());
      info.put("shape", t.shape());
      info.put("data_offsets", new long[] {offset, offset + t.byteSize()});
      header.put(e.getKey(), info);
      order.add(t);
      offset += t.byteSize();
    }
    byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
    int pad = (8 - json.length % 8) % 8;
    byte[] padded = new byte[json.length + pad];
    System.arraycopy(json, 0, padded, 0, json.length);
    java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    AtomicFile.stream(path, out -> {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).array());
      out.write(padded);
      for (Tensor t : order) {
        BufferCopy.copy(t.contiguousBytes(), out);
      }
    });
  }
}
