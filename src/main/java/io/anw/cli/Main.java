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
      BenchCommand.class,
      SparkCountCommand.class,
      SparkStatsCommand.class,
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
      SaeCommand.class,
      TopCommand.class,
      ExploreCommand.class,
      KernelCommand.class,
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
    showDefaults(cl); // every verb's --help shows its defaults (batch size, seeds, ...)
    // Script ARGS after FILE.jsh may start with '-': everything after it is the script's.
    cl.getSubcommands().get("run").setStopAtPositional(true);
    cl.setExecutionStrategy(Main::runLocked);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      reportError(ex);
      return 1;
    });
    try {
      return cl.execute(args);
    } catch (RuntimeException | Error e) { // from claiming outputs; OutOfMemoryError and
      reportError(e);                          // friends escape picocli's handler
      return 1;
    }
  }

  /** Every verb's --help shows its defaults; the version is an option of the top command only. */
  private static void showDefaults(CommandLine cl) {
    cl.getCommandSpec().usageMessage().showDefaultValues(true);
    for (CommandLine sub : cl.getSubcommands().values()) {
      picocli.CommandLine.Model.OptionSpec version = sub.getCommandSpec().findOption("--version");
      if (version != null) {
        sub.getCommandSpec().remove(version);
      }
      showDefaults(sub);
    }
  }

  /** Output options: a verb writing any of them claims it ({@link io.anw.OutputLock}). */
  static final java.util.List<String> OUTPUT_OPTIONS = java.util.List.of("--out", "--html",
      "--ipynb");

  /**
   * Runs the verb with its outputs claimed, so that two runs writing the same output do not
   * interleave: the second is refused while the first is alive.
   */
  private static int runLocked(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    java.util.List<io.anw.OutputLock> locks = new java.util.ArrayList<>();
    try {
      claimOutputs(leaf, locks);
    } catch (RuntimeException e) {
      locks.forEach(io.anw.OutputLock::close);
      throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(),
          e.getMessage(), e);
    }
    try {
      return new CommandLine.RunLast().execute(parsed);
    } finally {
      locks.forEach(io.anw.OutputLock::close);
    }
  }

  private static void claimOutputs(CommandLine.ParseResult leaf,
      java.util.List<io.anw.OutputLock> locks) {
    for (String name : OUTPUT_OPTIONS) {
      CommandLine.Model.OptionSpec o = leaf.commandSpec().findOption(name);
      if (o != null && o.getValue() instanceof java.nio.file.Path p
          && !leaf.isUsageHelpRequested()) {
        locks.add(io.anw.OutputLock.acquire(p));
      }
    }
    for (CommandLine.Model.PositionalParamSpec o : leaf.commandSpec().positionalParameters()) {
      if (o.paramLabel().startsWith("OUT") && o.getValue() instanceof java.nio.file.Path p
          && !leaf.isUsageHelpRequested()) {
        locks.add(io.anw.OutputLock.acquire(p));
      }
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
