package io.anw.cli;

import io.anw.audio.Dataset;
import io.anw.audio.DatasetOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workbench dataset PATH [--skip-bad]}: checks a dataset and prints its summary. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
    description = "Check a labelled dataset (a CSV with file_name,label[,split] or a folder "
        + "with one subfolder per class) and print its summary table.")
public final class DatasetCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PATH", description = "CSV file or class-folder directory.")
  Path path;

  @Option(names = "--skip-bad", description = "Skip and list bad rows instead of failing.")
  boolean skipBad;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
      description = "Seed of the stratified train/test split when there is no split column.")
  long seed;

  @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
      description = "Share of each class in the test split.")
  double testFraction;

  @Override
  public Integer call() {
    DatasetOptions opts = DatasetOptions.defaults().withSkipBad(skipBad).withSeed(seed)
        .withTestFraction(testFraction);
    Dataset ds = Dataset.open(path, opts);
    System.out.print(io.anw.report.TableText.render(ds.summary()));
    System.out.println();
    for (Dataset.Problem p : ds.problems()) {
      System.out.println("skipped " + p);
    }
    System.out.println(ds);
    return 0;
  }
}
