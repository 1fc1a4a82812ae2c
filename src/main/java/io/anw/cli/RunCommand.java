package io.anw.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code workbench run FILE.jsh [ARGS...]}: runs a script headless, failing fast. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a .jsh script headless; inside it `args` holds ARGS. "
        + "Stops at the first failing snippet with FILE.jsh:LINE: message, exit 1.")
public final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE.jsh", description = "The script to run.")
  Path script;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Passed to the script as `args`.")
  List<String> args = List.of();

  @Override
  public Integer call() {
    return io.anw.repl.ScriptRunner.run(script, args.toArray(String[]::new));
  }
}
