package io.anw.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code workbench repl}: the interactive JShell REPL with the {@code WB} facade preloaded. */
@Command(name = "repl", mixinStandardHelpOptions = true,
    description = "Start the interactive REPL (also the default with no verb).")
public final class ReplCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return io.anw.repl.Repl.start();
  }
}
