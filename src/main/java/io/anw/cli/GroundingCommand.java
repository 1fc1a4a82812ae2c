package io.anw.cli;

import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.intervention.ClassGroundingResult;
import io.anw.intervention.GroundingStat;
import io.anw.model.M2dViT;
import io.anw.model.ModelFiles;
import io.anw.model.TokenGroup;
import io.anw.neuron.ClassNeurons;
import io.anw.neuron.SelectionFiles;
import io.anw.pipeline.Grounding;
import io.anw.report.CsvFiles;
import io.anw.report.Plots;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench grounding --model CKPT --data DATA --neurons neurons.csv --out DIR}: the
 * grounding coefficient of every class's neurons on a captioned dataset (audio and caption
 * parts swapped between the class's clips and other classes' clips).
 */
@Command(name = "grounding", mixinStandardHelpOptions = true,
    description = "Grounding coefficients GC = Δaudio / (Δaudio + Δtext) of class-specific "
        + "neurons (neurons.csv) of an audio-text model on a captioned dataset.")
public final class GroundingCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = "Checkpoint (an audio-text model; an audio-only one gives GC = 1).")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "Dataset CSV with a text column (the captions).")
  Path data;

  @Option(names = "--neurons", required = true, paramLabel = "CSV",
      description = "neurons.csv from `aape` (layer,neuron,class,...).")
  Path neurons;

  @Option(names = "--where", paramLabel = "COLUMN=VALUE",
      description = "Only the clips whose column has this value, e.g. condition=both.")
  String where;

  @Option(names = "--tokens", defaultValue = "all", paramLabel = "GROUP",
      description = "Tokens the statistic reads: all (default), cls, audio or text; use the "
          + "group the neurons were counted at.")
  String tokens;

  @Option(names = "--stat", defaultValue = "probability", paramLabel = "STAT",
      description = "What Δ measures: probability (share of tokens > 0, default) or mean.")
  String stat;

  @Option(names = "--max-per-class", defaultValue = "64", paramLabel = "N",
      description = "Most clips of a class in a condition.")
  int maxPerClass;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the other-class draw.")
  long seed;

  @Option(names = "--sae", paramLabel = "DIR", description = "Ground the features of this SAE "
      + "(spliced in at its hook in every run): --neurons then lists features, e.g. from `aape` "
      + "on `count --sae` counts.")
  Path sae;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @picocli.CommandLine.Mixin
  SkipBadOption skipBad = new SkipBadOption();

  @Override
  public Integer call() {
    Dataset ds = skipBad.open(data);
    if (where != null) {
      int eq = where.indexOf('=');
      if (eq <= 0) {
        throw new WorkbenchException("--where must be COLUMN=VALUE, got '" + where + "'");
      }
      ds = ds.where(where.substring(0, eq).strip(), where.substring(eq + 1).strip());
    }
    GroundingStat s = switch (stat.toLowerCase(Locale.ROOT)) {
      case "probability" -> GroundingStat.PROBABILITY;
      case "mean" -> GroundingStat.MEAN;
      default -> throw new WorkbenchException("--stat must be probability or mean, got '"
          + stat + "'");
    };
    Grounding.Options options = new Grounding.Options(s, TokenGroup.parse(tokens), maxPerClass,
        seed);
    ClassNeurons sets = SelectionFiles.readNeurons(neurons, ds.classes(), 0);
    ClassGroundingResult r;
    try (M2dViT m = ModelFiles.loadM2d(model)) {
      io.anw.model.UnitSpace units = sae == null ? io.anw.model.UnitSpace.neurons(m)
          : SaeOption.units(sae);
      java.util.Map<String, java.util.List<io.anw.neuron.Neuron>> byClass =
          new java.util.LinkedHashMap<>();
      sets.byClass().forEach((c, ns) -> byClass.put(c, SaeOption.atLayerZero(ns, units)));
      try (Progress bar = Progress.start("grounding", ds.classes().size(), "classes")) {
        r = Grounding.run(m, units, byClass, ds, options, (stage, done, total) -> {
          bar.at(done);
          bar.message(done + "/" + total + " classes");
        });
      }
    }
    CsvFiles.write(r.table(), out.resolve("grounding.csv"));
    CsvFiles.write(r.summary(), out.resolve("per-class.csv"));
    CsvFiles.write(r.perLayer(), out.resolve("per-layer.csv"));
    CsvFiles.write(r.perNeuron(), out.resolve("per-neuron.csv"));
    CsvFiles.write(r.labels(), out.resolve("labels.csv"));
    Plots.savePngAndSvg(r.histogram(), out.resolve("histogram"));
    System.out.println(r);
    System.out.print(io.anw.report.TableText.render(r.labels()));
    SkipBadOption.reportSkipped(ds);
    System.out.println("wrote " + out);
    return 0;
  }
}
