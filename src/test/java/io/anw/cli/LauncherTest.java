package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./workbench} launcher: a JVM that crashes writes its log to the workbench folder,
 * not to the user's current folder, and the launcher's last line says where. (Tested on a copy
 * of the launcher with a stand-in {@code java} that crashes as a JVM does.)
 */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void aCrashLogGoesToTheWorkbenchFolderAndIsNamed() throws Exception {
    Path root = Files.createDirectories(dir.resolve("wb"));
    Files.copy(Path.of("workbench"), root.resolve("workbench"));
    root.resolve("workbench").toFile().setExecutable(true);
    Path target = Files.createDirectories(root.resolve("target/classes"));
    Files.writeString(root.resolve("target/classpath.txt"), "");
    Files.writeString(root.resolve("target/classpath-spark.txt"), "");
    Files.writeString(root.resolve("target/.workbench-built"), "");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    // a java that writes its error file where -XX:ErrorFile says and aborts (exit 134)
    Files.writeString(bin.resolve("java"), """
        #!/bin/bash
        for a in "$@"; do
          case "$a" in -XX:ErrorFile=*) f="${a#-XX:ErrorFile=}";; esac
        done
        f="${f//%p/$$}"
        echo "# A fatal error has been detected" > "$f"
        kill -ABRT $$
        """);
    bin.resolve("java").toFile().setExecutable(true);
    Path cwd = Files.createDirectories(dir.resolve("cwd"));
    Path home = dir.resolve("home");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("workbench").toString(), "count")
        .directory(cwd.toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("WORKBENCH_HOME", home.toString());
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(134, p.exitValue(), err);
    try (Stream<Path> logs = Files.list(home.resolve("crash"))) {
      Path log = logs.filter(f -> f.getFileName().toString().startsWith("hs_err_pid"))
          .findFirst().orElseThrow();
      String last = err.strip().lines().reduce((a, b) -> b).orElse("");
      assertEquals("workbench: the JVM crashed in native code (exit 134); its log is " + log,
          last);
    }
    try (Stream<Path> left = Files.list(cwd)) {
      assertEquals(0, left.count(), "nothing in the user's folder");
    }
    assertTrue(Files.isDirectory(target));
  }
}
