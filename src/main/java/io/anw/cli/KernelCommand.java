package io.anw.cli;

import io.anw.WorkbenchException;
import io.anw.kernel.KernelSpec;
import io.anw.kernel.WorkbenchKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench kernel --connection-file F} (what Jupyter starts), {@code kernel install} and
 * {@code kernel uninstall}: the workbench as a Jupyter kernel.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
    subcommands = {KernelCommand.Install.class, KernelCommand.Uninstall.class},
    description = "The workbench as a Jupyter kernel: `kernel install --user` once, then pick "
        + "\"" + WorkbenchKernel.DISPLAY_NAME + "\" in Jupyter (which runs `kernel "
        + "--connection-file F`).")
public final class KernelCommand implements Callable<Integer> {
  @Option(names = "--connection-file", paramLabel = "F",
      description = "The connection file Jupyter passes when it starts the kernel.")
  Path connectionFile;

  @Override
  public Integer call() throws Exception {
    if (connectionFile == null) {
      throw new WorkbenchException("kernel: give --connection-file F (Jupyter does), or use "
          + "`kernel install` / `kernel uninstall`");
    }
    if (!Files.isRegularFile(connectionFile)) {
      throw new WorkbenchException(connectionFile + ": no such connection file");
    }
    WorkbenchKernel.serve(connectionFile);
    return 0;
  }

  private static Path launcher() {
    String l = System.getProperty("workbench.launcher");
    if (l == null || l.isBlank()) {
      throw new WorkbenchException("kernel install: run it through the launcher"
          + " (./workbench kernel install), which the kernelspec will start");
    }
    return Path.of(l);
  }

  /** {@code kernel install [--user|--prefix DIR] [--name workbench]}. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Install the kernelspec (kernel.json, logos) for Jupyter.")
  static final class Install implements Callable<Integer> {
    @Option(names = "--user", description = "Into your Jupyter data folder (the default).")
    boolean user;

    @Option(names = "--prefix", paramLabel = "DIR",
        description = "Into DIR/share/jupyter/kernels (e.g. a virtual environment).")
    Path prefix;

    @Option(names = "--name", defaultValue = WorkbenchKernel.NAME,
        description = "Kernel name (default workbench).")
    String name;

    @Override
    public Integer call() {
      if (user && prefix != null) {
        throw new WorkbenchException("kernel install: --user and --prefix exclude each other");
      }
      Path dir = KernelSpec.install(launcher(), KernelSpec.folder(prefix, name), name);
      System.out.println("installed kernel '" + name + "' in " + dir);
      System.out.println("start Jupyter (jupyter notebook notebooks/) and pick \""
          + WorkbenchKernel.DISPLAY_NAME + "\"");
      return 0;
    }
  }

  /** {@code kernel uninstall [--user|--prefix DIR] [--name workbench]}. */
  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = "Remove the installed kernelspec.")
  static final class Uninstall implements Callable<Integer> {
    @Option(names = "--user", description = "From your Jupyter data folder (the default).")
    boolean user;

    @Option(names = "--prefix", paramLabel = "DIR", description = "From DIR/share/jupyter.")
    Path prefix;

    @Option(names = "--name", defaultValue = WorkbenchKernel.NAME,
        description = "Kernel name (default workbench).")
    String name;

    @Override
    public Integer call() {
      Path dir = KernelSpec.folder(prefix, name);
      KernelSpec.uninstall(dir);
      System.out.println("removed kernel '" + name + "' from " + dir);
      return 0;
    }
  }
}
