package io.anw.audio;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Access to the fixtures made by {@code src/test/python/make_logmel_fixtures.py}. */
final class Fixtures {
  private Fixtures() {}

  /** The path of fixture {@code name} under {@code src/test/resources/audio}. */
  static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/audio/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }

  /** The manifest {@code fixtures.json}. */
  static JsonObject manifest() throws IOException {
    return JsonParser.parseString(Files.readString(path("fixtures.json"))).getAsJsonObject();
  }

  /** A raw little-endian float32 fixture. */
  static float[] f32(String name) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path(name))).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  /** A sine of {@code hz} at {@code rate}, {@code n} samples, amplitude {@code amp}. */
  static float[] sine(double hz, int rate, int n, double amp) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return x;
  }
}
