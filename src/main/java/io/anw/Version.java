package io.anw;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of the workbench and of the runtime it sits on, for banners and provenance. */
public final class Version {
  private Version() {}

  /** The workbench version from the build (e.g. {@code 0.1.0-SNAPSHOT}). */
  public static String workbench() {
    try (InputStream in = Version.class.getResourceAsStream("/io/anw/version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** The Java runtime version, e.g. {@code 17.0.15}. */
  public static String java() {
    return System.getProperty("java.version");
  }

  /** The tensor engine, e.g. {@code PyTorch 2.7.1}; loads the native library on first call. */
  public static String engine() {
    ai.djl.engine.Engine e = ai.djl.engine.Engine.getInstance();
    return e.getEngineName() + " " + e.getVersion();
  }

  /** The DJL API version on the class path, e.g. {@code 0.36.0}. */
  public static String djl() {
    return ai.djl.engine.Engine.getDjlVersion();
  }
}
