package io.anw.listen;

import io.anw.WorkbenchException;
import io.anw.activation.ActivationCounts;
import io.anw.audio.Dataset;
import io.anw.model.Batcher;
import io.anw.model.AudioModel;
import io.anw.model.TokenGroup;
import io.anw.neuron.Neuron;
import io.anw.report.NumberText;
import io.anw.sae.SparseAutoencoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The neuron explorer: a static site that opens from {@code file://} with no network and no
 * server. An index (classes and their units, units per layer, a sortable table with a filter
 * box) and a page per unit (layer, index, AAPE entropy, class-probability bars, its classes and
 * the units it shares them with, deactivation and grounding results when given, its top clips
 * and quantile examples with excerpt and focused players and spectrogram overlays). Every asset
 * is a local file; the site is built in a temporary folder and moved into place when complete.
 */
public final class Explorer {
  /**
   * Settings of a site.
   *
   * @param k top clips per unit
   * @param quantiles activation quantile bins
   * @param perQuantile examples per bin
   * @param unitsPerClass units per class, lowest AAPE entropy first (0: all)
   * @param contextS context either side of the token in the excerpts (s)
   * @param tokens the tokens a clip's maximum is taken over
   * @param batchSize clips per forward pass
   * @param sample clips sampled for the quantiles
   * @param seed seed of the sample
   */
  public record Options(int k, int quantiles, int perQuantile, int unitsPerClass,
      double contextS, TokenGroup tokens, int batchSize, int sample, long seed) {
    /** Checks the settings. */
    public Options {
      if (k < 1 || quantiles < 0 || perQuantile < 0 || unitsPerClass < 0 || contextS < 0) {
        throw new WorkbenchException("explore: --k must be >= 1; --quantiles, --per-quantile,"
            + " --units-per-class and --context >= 0");
      }
    }

    /** 5 top clips, 3 quantiles of 1 example, 4 units per class, 0.5 s of context. */
    public static Options defaults() {
      return new Options(5, 3, 1, 4, Snippets.CONTEXT_S, TokenGroup.AUDIO,
          Batcher.DEFAULT_BATCH, 100, 0);
    }

    /** These options with {@code n} top clips per unit. */
    public Options withK(int n) {
      return new Options(n, quantiles, perQuantile, unitsPerClass, contextS, tokens, batchSize,
          sample, seed);
    }

    /** These options with {@code n} units per class (0: all). */
    public Options withUnitsPerClass(int n) {
      return new Options(k, quantiles, perQuantile, n, contextS, tokens, batchSize, sample,
          seed);
    }

    /** These options with {@code q} quantile bins of {@code per} examples. */
    public Options withQuantiles(int q, int per) {
      return new Options(k, q, per, unitsPerClass, contextS, tokens, batchSize, sample, seed);
    }
  }

  /**
   * What goes into a site besides the model and data.
   *
   * @param selection the units and their classes ({@code neurons.csv})
   * @param sae the SAE whose features the units are (null: neurons)
   * @param counts activation counts for the class-probability bars (null: none)
   * @param ablation an {@code ablate} output folder (null: none)
   * @param grounding a {@code grounding} output folder (null: none)
   * @param provenance extra provenance (e.g. the SAE's hash)
   */
  public record Inputs(ClassAssignments selection, SparseAutoencoder sae,
      ActivationCounts counts, ResultTables ablation, ResultTables grounding,
      Map<String, String> provenance) {
    /** Only a selection. */
    public static Inputs of(ClassAssignments selection) {
      return new Inputs(selection, null, null, null, null, Map.of());
    }

    /** These inputs with an SAE. */
    public Inputs withSae(SparseAutoencoder s, Map<String, String> prov) {
      return new Inputs(selection, s, counts, ablation, grounding, prov);
    }

    /** These inputs with counts. */
    public Inputs withCounts(ActivationCounts c) {
      return new Inputs(selection, sae, c, ablation, grounding, provenance);
    }

    /** These inputs with an ablation folder. */
    public Inputs withAblation(ResultTables a) {
      return new Inputs(selection, sae, counts, a, grounding, provenance);
    }

    /** These inputs with a grounding folder. */
    public Inputs withGrounding(ResultTables g) {
      return new Inputs(selection, sae, counts, ablation, g, provenance);
    }
  }

  /**
   * A written site.
   *
   * @param index the index page
   * @param units units with a page
   * @param files files in the site
   * @param bytes total size
   * @param top the top-activation result behind it
   */
  public record Site(Path index, int units, long files, long bytes, TopResult top) {
    @Override
    public String toString() {
      return "explorer: " + NumberText.count(units, "unit") + ", " + files + " files, "
          + NumberText.fixed(bytes / 1e6, 1) + " MB -> " + index;
    }
  }

  /** What a progress callback is told: the stage and how far it is. */
  @FunctionalInterface
  public interface Progress {
    /** {@code stage} is {@code top} (rows done of total) or {@code clips} (entries done). */
    void at(String stage, long done, long total);
  }

  private Explorer() {}

  /**
   * Builds the site in {@code out} (replacing what was there once the new one is complete).
   *
   * @throws WorkbenchException for counts of other units than the selection's
   */
  public static Site write(AudioModel model, Dataset data, Inputs in, Options opt, Path out,
      Progress progress) {
    List<Neuron> kept = in.selection().kept(opt.unitsPerClass());
    TopTargets targets = TopTargets.choose(model, in.sae(), kept, null, false);
    checkCounts(in, targets);
    Map<TopUnit, Neuron> selected = new LinkedHashMap<>();
    for (Neuron n : kept) {
      selected.put(unitOf(targets, n), n);
    }
    TopRun.Options topOpt = new TopRun.Options(opt.k(), opt.quantiles(), opt.perQuantile(),
        Math.max(opt.sample(), opt.quantiles()), opt.seed(), opt.tokens(), opt.batchSize(), null,
        0);
    int rows = data.size();
    TopResult top = TopRun.run(model, data, targets, topOpt, in.provenance(),
        (done, s) -> progress.at("top", done, rows));
    Path abs = out.toAbsolutePath().normalize();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current()
        .pid());
    try {
      deleteIfThere(tmp);
      Files.createDirectories(tmp);
      top.save(tmp.resolve("data"));
      long entries = top.units().stream().mapToLong(u -> top.top(u).size()
          + top.quantiles(u).size()).sum();
      Map<TopEntry, SnippetFiles.Assets> assets = SnippetFiles.write(top, tmp.resolve("clips"),
          opt.contextS(), done -> progress.at("clips", done, entries));
      ExplorerPages pages = new ExplorerPages(model, data, in, top, selected, assets, opt);
      pages.write(tmp);
      Path old = abs.resolveSibling("." + abs.getFileName() + ".old-" + ProcessHandle.current()
          .pid());
      if (Files.exists(abs)) {
        Files.move(abs, old);
      }
      Files.move(tmp, abs);
      deleteIfThere(old);
    } catch (IOException e) {
      throw new WorkbenchException(out + ": cannot write the site (" + e.getMessage() + ")", e);
    } finally {
      try {
        deleteIfThere(tmp);
      } catch (IOException ignored) {
        // best effort
      }
    }
    long[] size = size(abs);
    return new Site(abs.resolve("index.html"), top.units().size(), size[0], size[1], top);
  }

  /** The unit of {@code targets} a selection row names (an SAE's: layer 0 or its block). */
  static TopUnit unitOf(TopTargets targets, Neuron n) {
    for (TopUnit u : targets.units()) {
      if (u.index() == n.index() && (u.layer() == n.layer() || n.layer() == 0
          && targets.units().stream().allMatch(x -> x.point().equals(u.point())))) {
        return u;
      }
    }
    throw new IllegalStateException("no unit for " + n);
  }

  private static void checkCounts(Inputs in, TopTargets targets) {
    ActivationCounts c = in.counts();
    if (c == null) {
      return;
    }
    boolean feature = in.sae() != null;
    boolean countsOfFeatures = c.hook().contains("hook_sae_acts_post");
    if (feature != countsOfFeatures) {
      throw new WorkbenchException("--counts are of " + c.hook() + " but the units are "
          + (feature ? "the SAE's features" : "MLP neurons") + "; give counts of the same units");
    }
    for (TopUnit u : targets.units()) {
      int l = c.layers() == 1 ? 0 : u.layer();
      if (l >= c.layers() || u.index() >= c.neurons()) {
        throw new WorkbenchException("--counts have " + c.layers() + " x " + c.neurons()
            + " units; " + u + " is not among them");
      }
    }
  }

  /** {@code {files, bytes}} under {@code dir}. */
  static long[] size(Path dir) {
    long[] out = new long[2];
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        out[0]++;
        try {
          out[1] += Files.size(p);
        } catch (IOException e) {
          // counted as 0
        }
      });
    } catch (IOException e) {
      throw new WorkbenchException(dir + ": cannot list (" + e.getMessage() + ")", e);
    }
    return out;
  }

  /** Copies {@code from} to {@code to}, creating folders. */
  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Units of a selection that the cap left out, per class (for the index). */
  static Map<String, Integer> leftOut(ClassAssignments sel, List<Neuron> kept) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Neuron>> e : sel.byClass().entrySet()) {
      List<Neuron> missing = new ArrayList<>(e.getValue());
      missing.removeAll(kept);
      out.put(e.getKey(), missing.size());
    }
    return out;
  }

  /** Deletes a folder and its contents, if it is there. */
  private static void deleteIfThere(Path p) throws IOException {
    if (Files.exists(p)) {
      org.apache.commons.io.file.PathUtils.deleteDirectory(p);
    }
  }
}
