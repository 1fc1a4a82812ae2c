package io.anw.report;

import io.anw.Version;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where results come from: versions, and the inputs a session used (model files, data lists)
 * with their SHA-256. Loaders call {@link #record}; notebooks and result files read
 * {@link #snapshot}.
 */
public final class Provenance {
  private static final Map<String, String> USED = new LinkedHashMap<>();

  private Provenance() {}

  /** Records an input used in this JVM, e.g. {@code ("model", "m2d.pth sha256:ab12...")}. */
  public static synchronized void record(String key, String value) {
    USED.put(key, value);
  }

  /** Forgets recorded inputs (a new notebook run starts clean). */
  public static synchronized void clear() {
    USED.clear();
  }

  /** Date (UTC), workbench, Java and DJL versions, then the recorded inputs. */
  public static synchronized Map<String, String> snapshot() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    out.put("workbench", Version.workbench());
    out.put("java", Version.java());
    out.put("djl", Version.djl());
    out.putAll(USED);
    return out;
  }

  /** SHA-256 of a file's bytes, lower-case hex. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new WorkbenchException(file + ": no such file", e);
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read for hashing (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of a string (UTF-8), lower-case hex: e.g. of a sorted data list. */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
