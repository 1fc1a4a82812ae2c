package io.anw.cli;

import io.anw.neuron.ClassNeurons;
import io.anw.neuron.LapeMasks;
import io.anw.neuron.SelectionFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench masks import FILE.neuron.pth --classes en,zh,... --out DIR} and
 * {@code workbench masks export NEURONS.csv --out FILE.neuron.pth}: LAPE's neuron masks
 * ({@code List[List[LongTensor]]}) to and from the workbench's tables.
 */
@Command(name = "masks", mixinStandardHelpOptions = true,
    description = "Import or export LAPE neuron masks (*.neuron.pth, List[List[LongTensor]]).",
    subcommands = {MasksCommand.Import.class, MasksCommand.Export.class})
public final class MasksCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name a subcommand: import or export");
  }

  /** {@code --classes} text: comma-separated names, or {@code lape} for LAPE's 7 languages. */
  static List<String> classes(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    if (text.strip().equalsIgnoreCase("lape")) {
      return LapeMasks.LAPE_LANGUAGES;
    }
    return List.of(text.strip().split("\\s*,\\s*"));
  }

  /** Reads a mask and writes the neurons.csv-style table, analysis tables and plots. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Read a LAPE mask; write neurons.csv (layer,neuron,class,aape=NaN), "
          + "summary, per-class/per-layer counts, sharing and plots.")
  static final class Import implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.neuron.pth", description = "The mask file.")
    Path mask;

    @Option(names = "--classes", paramLabel = "A,B,...",
        description = "Class names in the file's order; 'lape' for en,zh,fr,es,vi,id,ja "
            + "(the authors' files). Default class0, class1, ...")
    String classes;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
      ClassNeurons m = LapeMasks.read(mask, MasksCommand.classes(classes));
      SelectionFiles.write(m, out);
      System.out.println(m);
      System.out.println("wrote " + out.resolve("neurons.csv") + " and tables and plots in " + out);
      return 0;
    }
  }

  /** Writes a neurons.csv (from {@code aape} or {@code masks import}) as a LAPE mask. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a neurons.csv (layer,neuron,class) as a LAPE mask: classes in order, "
          + "every layer, ascending int64 indices.")
  static final class Export implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NEURONS.csv", description = "From `aape` or `masks import`.")
    Path csv;

    @Option(names = "--out", required = true, paramLabel = "FILE.neuron.pth", description = "Output.")
    Path out;

    @Option(names = "--classes", paramLabel = "A,B,...",
        description = "Class order (classes without neurons included); default per_class.csv "
            + "beside the CSV, else the order of first appearance.")
    String classes;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "0",
        description = "Model layers; default summary.csv beside the CSV, else highest layer + 1.")
    int layers;

    @Override
    public Integer call() {
      ClassNeurons m = SelectionFiles.readNeurons(csv, MasksCommand.classes(classes), layers);
      LapeMasks.write(m, out);
      System.out.println(m);
      System.out.println("wrote " + out + " (" + m.classes().size() + " classes x " + m.layers()
          + " layers: " + String.join(",", m.classes()) + ")");
      return 0;
    }
  }
}
