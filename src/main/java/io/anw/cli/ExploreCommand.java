package io.anw.cli;

import io.anw.WorkbenchException;
import io.anw.activation.CountsFile;
import io.anw.audio.Dataset;
import io.anw.listen.ClassAssignments;
import io.anw.listen.Explorer;
import io.anw.listen.ResultTables;
import io.anw.model.AudioModel;
import io.anw.model.ModelFiles;
import io.anw.sae.SaeFiles;
import io.anw.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench explore --model CKPT --data DATA (--selection DIR | --neurons CSV) --out SITE}:
 * a static site to click from a class to its units and hear what drives them.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
    description = "Write a static neuron explorer (opens from file://, no network): classes and "
        + "their units, and per unit its class statistics and the clips that drive it, with "
        + "players and spectrogram overlays.")
public final class ExploreCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = ModelOption.DESCRIPTION)
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "Dataset whose clips are ranked and played (CSV or class folders).")
  Path data;

  /** The selection: a folder from `aape` or a neurons.csv. */
  static final class Selection {
    @Option(names = "--selection", paramLabel = "DIR", description = "Output folder of `aape` "
        + "(its neurons.csv).")
    Path dir;

    @Option(names = "--neurons", paramLabel = "CSV", description = "neurons.csv "
        + "(layer,neuron[,class][,aape]).")
    Path csv;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Selection selection;

  @Option(names = "--out", required = true, paramLabel = "SITE", description = "Site folder.")
  Path out;

  @Option(names = "--sae", paramLabel = "DIR", description = "The units are this SAE's features.")
  Path sae;

  @Option(names = "--counts", paramLabel = "COUNTS.npz",
      description = "Counts of the same units, for the class-probability bars.")
  Path counts;

  @Option(names = "--ablation", paramLabel = "DIR", description = "Output folder of `ablate`.")
  Path ablation;

  @Option(names = "--grounding", paramLabel = "DIR",
      description = "Output folder of `grounding`.")
  Path grounding;

  @Option(names = "--split", paramLabel = "NAME", description = "Only this split of the data.")
  String split;

  @Option(names = "--k", defaultValue = "5", description = "Top clips per unit (default 5).")
  int k;

  @Option(names = "--quantiles", defaultValue = "3",
      description = "Activation quantile bins (default 3).")
  int quantiles;

  @Option(names = "--per-quantile", defaultValue = "1",
      description = "Examples per quantile bin (default 1).")
  int perQuantile;

  @Option(names = "--units-per-class", defaultValue = "4", description = "Units per class with a "
      + "page, lowest AAPE entropy first (default 4; 0: all).")
  int unitsPerClass;

  @Option(names = "--context", defaultValue = "0.5", paramLabel = "S",
      description = "Seconds of context either side of the token (default 0.5).")
  double context;

  @Option(names = "--tokens", defaultValue = "audio", paramLabel = "GROUP",
      description = "Tokens a clip's maximum is taken over (default audio).")
  String tokens;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + io.anw.model.Batcher.DEFAULT_BATCH,
      description = "Clips per forward pass.")
  int batch;

  @picocli.CommandLine.Mixin
  SkipBadOption skipBad = new SkipBadOption();

  @Override
  public Integer call() {
    OptionChecks.atLeast("--batch", batch, 1);
    Path csv = selection.csv != null ? selection.csv : selection.dir.resolve("neurons.csv");
    if (selection.dir != null && !java.nio.file.Files.isRegularFile(csv)) {
      throw new WorkbenchException(selection.dir + ": no neurons.csv; is it the output of "
          + "`aape --out`?");
    }
    Explorer.Inputs in = Explorer.Inputs.of(ClassAssignments.read(csv));
    if (counts != null) {
      in = in.withCounts(CountsFile.read(counts));
    }
    if (ablation != null) {
      in = in.withAblation(ResultTables.read(ablation, "ablate", "summary.csv"));
    }
    if (grounding != null) {
      in = in.withGrounding(ResultTables.read(grounding, "grounding", "grounding.csv"));
    }
    Dataset ds = skipBad.open(data);
    if (split != null) {
      ds = ds.split(split);
    }
    Explorer.Options opt = new Explorer.Options(k, quantiles, perQuantile, unitsPerClass,
        context, io.anw.model.TokenGroup.parse(tokens), batch, 100, 0);
    try (AudioModel m = ModelFiles.load(model)) {
      if (sae != null) {
        SparseAutoencoder s = SaeFiles.load(sae);
        in = in.withSae(s, SaeOption.provenance(sae, s));
      }
      double seconds = ds.items().stream().mapToDouble(Dataset.Item::seconds).sum();
      Explorer.Site site;
      Progress[] bar = {Progress.start("explore", ds.size(), "clips")};
      String[] stage = {"top"};
      try {
        site = Explorer.write(m, ds, in, opt, out, (st, done, total) -> {
          if (!st.equals(stage[0])) {
            bar[0].close();
            bar[0] = Progress.start("snippets", total, "clips");
            stage[0] = st;
          }
          bar[0].at(done);
        });
      } finally {
        bar[0].close();
      }
      System.out.println(site.top());
      SkipBadOption.reportSkipped(ds);
      System.out.println(site);
    }
    return 0;
  }
}
