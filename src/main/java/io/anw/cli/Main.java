package io.anw.cli;

import io.anw.ErrorReport;
import io.anw.Version;
import io.anw.WorkbenchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code workbench} command line: thin picocli verbs over the same API the REPL uses.
 *
 * <p>Errors: a {@link WorkbenchException} (or any other exception) prints one line to stderr and
 * exits 1; {@code --debug} prints the full stack trace instead.
 */
@Command(
    name = "workbench",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Audio-neuron workbench: find out what neurons of an audio model listen to.",
    subcommands = {
      ReplCommand.class,
      RunCommand.class,
      NotebookCommand.class,
      InspectCommand.class,
      ConvertCommand.class,
      CountCommand.class,
      MergeCommand.class,
      AapeCommand.class,
      EmbedCommand.class,
      AblateCommand.class,
      MasksCommand.class,
      CountsCommand.class,
      FeaturesCommand.class,
      DatasetCommand.class,
      SamplesCommand.class,
      PatchCommand.class,
      GroundingCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {
  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "Show full stack traces on errors.")
  void debug(boolean on) {
    ErrorReport.setDebug(on);
  }

  /** Whether {@code --debug} was given (see {@link ErrorReport#debug()}). */
  public static boolean debug() {
    return ErrorReport.debug();
  }

  @Override
  public void run() {
    new ReplCommand().call();
  }

  /** Entry point of the {@code ./workbench} launcher. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Parses and runs {@code args}; returns the exit code instead of exiting. */
  public static int execute(String... args) {
    io.anw.repl.JLineNative.install(); // before JLine loads it into /tmp on its own
    CommandLine cl = new CommandLine(new Main());
    // Script ARGS after FILE.jsh may start with '-': everything after it is the script's.
    cl.getSubcommands().get("run").setStopAtPositional(true);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      reportError(ex);
      return 1;
    });
    try {
      return cl.execute(args);
    } catch (Error e) { // OutOfMemoryError and friends escape picocli's handler
      reportError(e);
      return 1;
    }
  }

  /** Prints an error as one line ({@code workbench: message}), or with a stack trace under --debug. */
  public static void reportError(Throwable ex) {
    ErrorReport.report(ex, System.err);
  }

  /** Supplies {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "audio-neuron workbench " + Version.workbench(),
        "Java " + Version.java() + ", DJL " + Version.djl(),
      };
    }
  }
}
