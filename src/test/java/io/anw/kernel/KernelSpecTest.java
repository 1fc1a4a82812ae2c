package io.anw.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anw.WorkbenchException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernelspec: kernel.json naming the launcher, message interrupts, logos; uninstall. */
class KernelSpecTest {
  @TempDir Path dir;

  @Test
  void installWritesAKernelspecJupyterReadsAndUninstallRemovesIt() throws Exception {
    Path launcher = Path.of("workbench").toAbsolutePath();
    Path folder = KernelSpec.folder(dir, "workbench");
    assertEquals(dir.resolve("share/jupyter/kernels/workbench"), folder);
    KernelSpec.install(launcher, folder, "workbench");
    JsonObject spec = JsonParser.parseString(Files.readString(folder.resolve("kernel.json")))
        .getAsJsonObject();
    assertEquals(launcher.toString(), spec.getAsJsonArray("argv").get(0).getAsString());
    assertEquals("{connection_file}", spec.getAsJsonArray("argv").get(3).getAsString());
    assertEquals("Audio-neuron workbench (Java 17)", spec.get("display_name").getAsString());
    assertEquals("java", spec.get("language").getAsString());
    assertEquals("message", spec.get("interrupt_mode").getAsString(),
        "Jupyter's interrupt must reach the kernel as a message, not SIGINT to the JVM");
    for (int size : new int[] {32, 64}) {
      BufferedImage logo = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(
          folder.resolve("logo-" + size + "x" + size + ".png"))));
      assertEquals(size, logo.getWidth());
      assertEquals(size, logo.getHeight());
    }
    KernelSpec.uninstall(folder);
    assertFalse(Files.exists(folder));
    assertThrows(WorkbenchException.class, () -> KernelSpec.uninstall(folder));
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> KernelSpec.folder(dir, "bad name"));
    assertTrue(e.getMessage().contains("kernel name"), e.getMessage());
  }
}
