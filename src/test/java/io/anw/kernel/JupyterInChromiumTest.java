package io.anw.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.DevToolsBrowser;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jupyter Notebook on localhost in headless Chromium: a notebook naming the workbench kernel
 * opens, its cells run in the kernel, and the page shows their text, table and chart; the
 * screenshot is kept under {@code target/jupyter-screenshots/}.
 */
class JupyterInChromiumTest {
  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean answers(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      return c.getResponseCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aNotebookRunsInJupyterNotebookInTheBrowser() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium),
        "chromium not installed: Jupyter browser test skipped (apt-get install chromium)");
    Jupyter.missing().ifPresent(why -> Assumptions.assumeTrue(false,
        "Jupyter browser test skipped: " + why));
    // the notebook as the workbench writes it (notebook --ipynb), opened and re-run in Jupyter
    Path jsh = dir.resolve("small.jsh");
    Files.writeString(jsh, String.join("\n",
        "// %% [markdown]",
        "// # Workbench in Jupyter",
        "// %%",
        "int n = 3;",
        "System.out.println(\"n is \" + n);",
        "// %%",
        "Table.create(\"t\", IntColumn.create(\"layer\", new int[] {1, 2}))",
        "// %%",
        "var c = new XYChartBuilder().width(420).height(260).title(\"line\").xAxisTitle(\"x\")",
        "    .yAxisTitle(\"y\").build();",
        "c.addSeries(\"y\", new double[] {0, 1, 2}, new double[] {0, 4, 1});",
        "c", ""));
    io.anw.notebook.Ipynb.write(io.anw.notebook.NotebookRunner.run(jsh, false, null),
        dir.resolve("small.ipynb"));
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(Jupyter.PYTHON.toString(), "-m", "notebook",
        "--no-browser", "--ip=127.0.0.1", "--port=" + port, "--port-retries=0",
        "--NotebookApp.token=", "--NotebookApp.password=", "--notebook-dir=" + dir,
        "--NotebookApp.disable_check_xsrf=True", "--allow-root"));
    Process server = Jupyter.command(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    Path profile = Files.createTempDirectory("jupyter-chromium");
    String base = "http://127.0.0.1:" + port;
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!answers(base + "/api") && System.nanoTime() < until) {
        Thread.sleep(300);
      }
      assertTrue(answers(base + "/api"), "the notebook server did not start: "
          + Files.readString(dir.resolve("server.log")));
      try (DevToolsBrowser b = DevToolsBrowser.start(chromium, profile)) {
        b.navigate(base + "/notebooks/small.ipynb");
        String ready = "new Promise((ok, fail) => { const t0 = Date.now(); const poll = () => {"
            + " const k = window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel;"
            + " if (k && k.is_connected() && Jupyter.notebook.kernel.info_reply"
            + " && Jupyter.notebook.kernel.info_reply.language_info) ok(k.name);"
            + " else if (Date.now() - t0 > 150000) fail('kernel not ready');"
            + " else setTimeout(poll, 200); }; poll(); })";
        String kernel = b.eval(ready).getAsString();
        assertTrue(kernel.equals(WorkbenchKernel.NAME), "kernel " + kernel);
        assertTrue(b.eval("[...document.querySelectorAll('.modal-dialog')].length").getAsInt()
            == 0, "Jupyter accepted the notebook (no validation dialog)");
        b.eval("(() => { Jupyter.notebook.clear_all_output(); Jupyter.notebook"
            + ".execute_all_cells(); return 0; })()");
        String done = "new Promise((ok, fail) => { const t0 = Date.now(); const poll = () => {"
            + " const text = document.querySelector('#notebook-container').innerText;"
            + " const table = document.querySelector('.output_html table');"
            + " const chart = document.querySelector('.output_svg svg, .output_png img');"
            + " if (text.includes('n is 3') && table && chart) ok(true);"
            + " else if (Date.now() - t0 > 150000) fail('outputs missing: ' + text.slice(0, 500));"
            + " else setTimeout(poll, 250); }; poll(); })";
        assertTrue(b.eval(done).getAsBoolean(), "cells ran and show text, table and chart");
        byte[] shot = b.screenshot();
        Path shots = Path.of("target", "jupyter-screenshots");
        Files.createDirectories(shots);
        Files.write(shots.resolve("notebook.png"), shot);
        assertTrue(DevToolsBrowser.colours(shot) > 30, "screenshot looks blank");
      }
    } finally {
      server.descendants().forEach(ProcessHandle::destroy);
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
      }
      try (var s = Files.walk(profile)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (Exception ignored) {
        // a temporary profile
      }
    }
  }
}
