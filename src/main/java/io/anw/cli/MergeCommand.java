package io.anw.cli;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import io.anw.activation.CountsMerge;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workbench merge A.npz B.npz ... --out C.npz}: sums count shards. */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = "Sum count shards (same model, classes and hook) into one counts file.")
public final class MergeCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "COUNTS.npz", description = "Shards to sum.")
  List<Path> inputs;

  @Option(names = "--out", required = true, paramLabel = "C.npz", description = "Output.")
  Path out;

  @Override
  public Integer call() {
    List<CountsMerge.Named> parts = new java.util.ArrayList<>();
    for (Path p : inputs) {
      parts.add(new CountsMerge.Named(p.toString(), CountsFile.read(p)));
    }
    ActivationCounts merged = CountsMerge.merge(parts);
    CountsFile.write(merged, out);
    System.out.println(merged);
    System.out.println("wrote " + out);
    return 0;
  }
}
