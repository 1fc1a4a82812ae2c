package io.anw.kernel;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.anw.AtomicFile;
import io.anw.Version;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kernelspec Jupyter finds the workbench by: a folder {@code kernels/NAME} holding
 * {@code kernel.json} ({@code argv} runs the launcher's {@code kernel --connection-file
 * {connection_file}}, interrupts arrive as messages so Ctrl-C in Jupyter stops the cell and not
 * the JVM) and the logos. User installs go to {@code $JUPYTER_DATA_DIR} or
 * {@code ~/.local/share/jupyter}; {@code --prefix DIR} installs to {@code DIR/share/jupyter}.
 */
public final class KernelSpec {
  private KernelSpec() {}

  /**
   * The kernel folder: under {@code prefix/share/jupyter/kernels} when a prefix is given, else
   * the user's Jupyter data folder.
   */
  public static Path folder(Path prefix, String name) {
    checkName(name);
    if (prefix != null) {
      return prefix.toAbsolutePath().resolve("share/jupyter/kernels").resolve(name);
    }
    String data = System.getenv("JUPYTER_DATA_DIR");
    Path base = data != null && !data.isBlank() ? Path.of(data)
        : Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
    return base.resolve("kernels").resolve(name);
  }

  private static void checkName(String name) {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new WorkbenchException("kernel name '" + name + "': use letters, digits, '.', '_'"
          + " or '-' (Jupyter's rule)");
    }
  }

  /** The {@code kernel.json} of a kernel started by {@code launcher}. */
  public static String json(Path launcher, String name) {
    JsonObject spec = new JsonObject();
    JsonArray argv = new JsonArray();
    for (String a : List.of(launcher.toAbsolutePath().toString(), "kernel", "--connection-file",
        "{connection_file}")) {
      argv.add(a);
    }
    spec.add("argv", argv);
    spec.addProperty("display_name", name.equals(WorkbenchKernel.NAME)
        ? WorkbenchKernel.DISPLAY_NAME : WorkbenchKernel.DISPLAY_NAME + " [" + name + "]");
    spec.addProperty("language", "java");
    spec.addProperty("interrupt_mode", "message");
    JsonObject meta = new JsonObject();
    meta.addProperty("workbench", Version.workbench());
    spec.add("metadata", meta);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec)
        + "\n";
  }

  /**
   * Writes the kernelspec for {@code launcher} into {@code folder} (replacing one there);
   * returns the folder.
   */
  public static Path install(Path launcher, Path folder, String name) {
    if (!Files.isExecutable(launcher)) {
      throw new WorkbenchException(launcher + ": not an executable launcher; run `./workbench"
          + " kernel install` from the workbench's folder");
    }
    AtomicFile.write(folder.resolve("kernel.json"), json(launcher, name)
        .getBytes(StandardCharsets.UTF_8));
    AtomicFile.write(folder.resolve("logo-32x32.png"), KernelLogo.png(32));
    AtomicFile.write(folder.resolve("logo-64x64.png"), KernelLogo.png(64));
    return folder;
  }

  /** Removes an installed kernelspec folder. */
  public static void uninstall(Path folder) {
    if (!Files.isRegularFile(folder.resolve("kernel.json"))) {
      throw new WorkbenchException(folder + ": no kernel installed here (no kernel.json)");
    }
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new WorkbenchException(folder + ": cannot remove (" + e.getMessage() + ")", e);
    }
  }
}
