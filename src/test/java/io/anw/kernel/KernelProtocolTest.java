package io.anw.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kernel spoken to as Jupyter does, by Debian's {@code jupyter_client}
 * ({@code src/test/python/kernel_protocol.py}): kernel_info, execute with streams, results,
 * display data and errors naming the line, complete, inspect, is_complete, interrupt of a long
 * cell, restart and shutdown.
 */
class KernelProtocolTest {
  @Test
  void jupyterClientDrivesTheKernel() throws Exception {
    Jupyter.missing().ifPresent(why -> Assumptions.assumeTrue(false,
        "kernel protocol test skipped: " + why));
    Jupyter.Result r = Jupyter.run(List.of(Jupyter.PYTHON.toString(), "-u",
        Path.of("src/test/python/kernel_protocol.py").toAbsolutePath().toString(),
        WorkbenchKernel.NAME), 900);
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("all checks passed"), r.output());
    assertTrue(r.output().contains("ok: interrupt stops a long cell"), r.output());
  }
}
