package io.anw.model;

import ai.djl.ndarray.NDArray;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The identity of a set of weights for provenance: SHA-256 (hex) over each array's name, shape
 * and bytes, in the map's order. The same weights give the same hash whatever file (or format)
 * they came from, or none (weights trained in a session).
 */
public final class WeightsHash {
  private WeightsHash() {}

  /** The hash of {@code arrays}, iterated in the map's order. */
  public static String sha256(Map<String, NDArray> arrays) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update(e.getValue().getShape().toString().getBytes(StandardCharsets.UTF_8));
        md.update(e.getValue().toByteBuffer());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
