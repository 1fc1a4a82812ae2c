package io.anw.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A long counting pass does not grow: {@code scripts/long-run-memory.jsh} counts 3000 clips (the
 * sample clips repeated) through m2d-tiny in a process of its own whose Java heap is fixed and
 * resident from the start ({@code -Xms/-Xmx} equal, {@code AlwaysPreTouch}), so that what can
 * grow is native memory; its resident memory after 3000 clips must be within 5 % of that after
 * 300. (In the test JVM itself, other tests' garbage makes the heap, and the RSS, grow.) The
 * issue's 1k → 10k measurement on m2d-small is the script's default.
 */
class LongRunMemoryTest {
  @Test
  void residentMemoryStaysFlatOverALongPass() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("./workbench", "run", "scripts/long-run-memory.jsh",
        "3000", "samples/models/m2d-tiny.safetensors").redirectErrorStream(true);
    pb.environment().put("WORKBENCH_JAVA_OPTS", "-Xms1g -Xmx1g -XX:+AlwaysPreTouch");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), out);
    assertEquals(0, p.exitValue(), out);
    Matcher m = Pattern.compile("RSS after 3000 clips / after 300 clips: ([0-9.]+)").matcher(out);
    assertTrue(m.find(), out);
    double ratio = Double.parseDouble(m.group(1));
    System.err.println(out);
    assertTrue(ratio <= 1.05, "resident memory grew " + ratio + "x over the pass:\n" + out);
  }
}
