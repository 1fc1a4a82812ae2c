package io.anw.tensor;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** The golden files of src/test/resources/tensor (made by src/test/python/make_tensor_fixtures.py). */
final class Fixtures {
  private Fixtures() {}

  /** The fixture folder. */
  static Path dir() {
    try {
      return Path.of(Fixtures.class.getResource("/tensor/expected.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fixture file. */
  static Path file(String name) {
    return dir().resolve(name);
  }

  /** expected.json: per file, its tensors (dtype, shape, hex bytes) and metadata (Python str). */
  static JsonObject expected() {
    try {
      return JsonParser.parseString(Files.readString(file("expected.json"))).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tensor's packed little-endian bytes as lowercase hex. */
  static String hex(Tensor t) {
    java.nio.ByteBuffer b = t.contiguousBytes();
    byte[] raw = new byte[b.remaining()];
    b.get(raw);
    return HexFormat.of().formatHex(raw);
  }
}
