package io.anw.cli;

import io.anw.audio.Dataset;
import io.anw.audio.DatasetOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --skip-bad} option of the verbs that read a dataset: undecodable rows and files are
 * skipped instead of stopping the run, and each is printed on stderr as {@code skipped: ROW}
 * when the verb is done.
 */
public final class SkipBadOption {
  @Option(names = "--skip-bad",
      description = "Skip unreadable rows and files (each is listed at the end) instead of stopping.")
  boolean skipBad;

  /** Opens a dataset (CSV or class folders) with this option. */
  Dataset open(Path data) {
    return Dataset.open(data, DatasetOptions.defaults().withSkipBad(skipBad));
  }

  /** Prints every row the dataset (or its splits) skipped so far, one line each, on stderr. */
  static void reportSkipped(Dataset data) {
    for (Dataset.Problem p : data.problems()) {
      System.err.println("skipped: " + p);
    }
  }

  /**
   * Prints the skipped rows a result's provenance records ({@code skipped}, one per line), as
   * {@link #reportSkipped(Dataset)} does for a dataset.
   */
  static void reportSkipped(java.util.Map<String, String> provenance) {
    String skipped = provenance.get(io.anw.activation.CountsProvenance.SKIPPED);
    if (skipped != null) {
      skipped.lines().forEach(line -> System.err.println("skipped: " + line));
    }
  }
}
