package io.anw.cli;

import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench counts import ... --out COUNTS.npz} and {@code workbench counts export
 * COUNTS.npz ...}: activation counts to and from the Python tools' files (LAPE's per-language
 * {@code activation.<lang>.train.<model>} files, stacked {@code over_zero.pt}).
 */
@Command(name = "counts", mixinStandardHelpOptions = true,
    description = "Import or export activation counts in LAPE's / the AAPE code's formats.",
    subcommands = {CountsCommand.Import.class, CountsCommand.Export.class})
public final class CountsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name a subcommand: import or export");
  }

  /** LAPE folder + model + classes, or one over_zero.pt, to a counts .npz. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Read LAPE activation files (--lape DIR --lape-model M --classes ...) or one "
          + "over_zero.pt (FILE); write a counts .npz for `aape`.")
  static final class Import implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE.pt",
        description = "A stacked or per-class over_zero.pt (instead of --lape).")
    Path file;

    @Option(names = "--lape", paramLabel = "DIR",
        description = "Folder of activation.<class>.train.<model> files.")
    Path lapeDir;

    @Option(names = "--lape-model", paramLabel = "M",
        description = "The <model> part of LAPE file names (activation.<class>.train.<model>).")
    String model;

    @Option(names = "--classes", paramLabel = "A,B,...",
        description = "Class names ('lape' for en,zh,fr,es,vi,id,ja); needed with --lape.")
    String classes;

    @Option(names = "--out", required = true, paramLabel = "COUNTS.npz", description = "Output.")
    Path out;

    @Override
    public Integer call() {
      List<String> names = MasksCommand.classes(classes);
      ActivationCounts c;
      if (lapeDir != null) {
        if (file != null || model == null || names == null) {
          throw new WorkbenchException("--lape DIR needs --lape-model and --classes, and no FILE");
        }
        c = CountsFile.fromLape(lapeDir, model, names);
      } else if (file != null) {
        c = CountsFile.readAape(file, names);
      } else {
        throw new WorkbenchException("give an over_zero.pt FILE or --lape DIR --lape-model M --classes ...");
      }
      CountsFile.write(c, out);
      System.out.println(c);
      System.out.println("wrote " + out);
      return 0;
    }
  }

  /** A counts file to LAPE's per-class files or a stacked over_zero.pt. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write counts as LAPE activation files (--lape DIR --lape-model M) and/or a "
          + "stacked over_zero.pt (--pt FILE).")
  static final class Export implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "COUNTS", description = "Counts (.npz or over_zero.pt).")
    Path counts;

    @Option(names = "--lape", paramLabel = "DIR", description = "Folder for the per-class files.")
    Path lapeDir;

    @Option(names = "--lape-model", paramLabel = "M",
        description = "The <model> part of the names (activation.<class>.train.<model>).")
    String model;

    @Option(names = "--pt", paramLabel = "FILE.pt", description = "A stacked over_zero.pt.")
    Path pt;

    @Override
    public Integer call() {
      if (lapeDir == null && pt == null) {
        throw new WorkbenchException("give --lape DIR --lape-model M and/or --pt FILE.pt");
      }
      if (lapeDir != null && model == null) {
        throw new WorkbenchException("--lape DIR needs --lape-model M (files are activation.<class>.train.<M>)");
      }
      ActivationCounts c = CountsFile.read(counts);
      if (lapeDir != null) {
        for (Path p : CountsFile.writeLape(c, lapeDir, model)) {
          System.out.println("wrote " + p);
        }
      }
      if (pt != null) {
        System.out.println("wrote " + CountsFile.writeAape(c, pt));
      }
      return 0;
    }
  }
}
