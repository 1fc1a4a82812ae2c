package io.anw.cli;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    ActivationCounts total = null;
    List<String> shards = new java.util.ArrayList<>();
    long clips = 0;
    for (Path p : inputs) {
      ActivationCounts c = CountsFile.read(p);
      shards.add(c.provenance().getOrDefault("shard", p.getFileName().toString()));
      clips += Long.parseLong(c.provenance().getOrDefault("clips", "0"));
      try {
        total = total == null ? c : total.plus(c);
      } catch (io.anw.WorkbenchException e) {
        throw new io.anw.WorkbenchException(p + ": " + e.getMessage(), e);
      }
    }
    Map<String, String> prov = new LinkedHashMap<>(total.provenance());
    prov.put("shard", "merged " + String.join(" + ", shards));
    prov.put("clips", Long.toString(clips));
    ActivationCounts merged = new ActivationCounts(total.layers(), total.neurons(),
        total.classes(), total.overZeroFlat(), total.nPerClass(), total.hook(), prov);
    CountsFile.write(merged, out);
    System.out.println(merged);
    System.out.println("wrote " + out);
    return 0;
  }
}
