package io.anw.repl;

import io.anw.WorkbenchHome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * JLine's native terminal library, extracted once into the per-user folder
 * ({@code ~/.workbench/native/jline-VERSION/}) instead of into the system temp folder on every
 * start. JLine itself writes a new randomly named copy and its lock file to {@code /tmp} each
 * time and removes them only at a clean exit, so every killed run left two files behind.
 */
public final class JLineNative {
  private static final String NAME = "libjlinenative.so";
  private static volatile boolean done;

  private JLineNative() {}

  /**
   * Points JLine at the cached library ({@code library.jline.path}), extracting it first when
   * missing or different; call before the first terminal is built. Does nothing when the user
   * set {@code library.jline.path}, or off Linux (JLine's own loading applies there); problems
   * are ignored (JLine then falls back to its own way or to a dumb terminal).
   */
  public static synchronized void install() {
    if (done || System.getProperty("library.jline.path") != null) {
      return;
    }
    done = true;
    try {
      String folder = org.jline.nativ.OSInfo.getNativeLibFolderPathForCurrentOS();
      if (!folder.startsWith("Linux/")) {
        return;
      }
      byte[] lib;
      try (InputStream in = JLineNative.class.getResourceAsStream(
          "/org/jline/nativ/" + folder + "/" + NAME)) {
        if (in == null) {
          return;
        }
        lib = in.readAllBytes();
      }
      String version = org.jline.terminal.TerminalBuilder.class.getPackage()
          .getImplementationVersion();
      Path dir = WorkbenchHome.dir().resolve("native")
          .resolve("jline-" + (version == null ? Integer.toHexString(Arrays.hashCode(lib))
              : version)).resolve(folder.replace('/', '-'));
      Path file = dir.resolve(NAME);
      if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), lib)) {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, NAME, ".tmp");
        try {
          Files.write(tmp, lib);
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      System.setProperty("library.jline.path", dir.toString());
      System.setProperty("library.jline.name", NAME);
    } catch (IOException | RuntimeException | LinkageError e) {
      // leave JLine to its own loading
    }
  }
}
