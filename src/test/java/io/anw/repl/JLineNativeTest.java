package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JLine's native library is extracted once into the workbench folder: 20 processes that load it
 * and are then killed (no shutdown hooks run) leave nothing in the temp folder.
 */
class JLineNativeTest {
  @TempDir Path dir;

  /** A process that loads JLine's native library as a terminal would, then dies abruptly. */
  public static void main(String[] args) {
    JLineNative.install();
    org.jline.nativ.JLineNativeLoader.initialize();
    System.out.println(System.getProperty("library.jline.path"));
    Runtime.getRuntime().halt(0);
  }

  @Test
  void twentyKilledRunsLeaveNoCopiesInTheTempFolder() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path home = dir.resolve("home");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < 20; i++) {
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Djava.io.tmpdir=" + tmp, JLineNativeTest.class.getName());
      pb.environment().put("WORKBENCH_HOME", home.toString());
      pb.redirectErrorStream(true);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.strip().startsWith(home.resolve("native").toString()), out);
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.map(Path::getFileName).map(Path::toString)
          .filter(n -> n.contains("jline")).toList());
    }
    try (Stream<Path> libs = Files.walk(home)) {
      assertEquals(1, libs.filter(p -> p.toString().endsWith(".so")).count(),
          "one cached copy");
    }
  }
}
