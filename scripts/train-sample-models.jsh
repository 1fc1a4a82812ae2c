// train-sample-models.jsh -- trains the sample models shipped in samples/models/:
//   m2d-tiny     self-supervised by the M2D recipe on the audio of every sample task (no labels)
//   vit-sl-tiny  supervised on instrument_family + texture (the other tasks are novel to it)
//   random-tiny  the random-init control (the common initialisation, seed 1)
// All three are the same tiny M2D ViT (depth 4, width 128, 2 heads, MLP 512, 208-frame unit,
// 16x16 patches); see samples/models/README.md for the recipe and the measured numbers.
//
// Run:  ./workbench run scripts/train-sample-models.jsh full   (recreates samples/models/: about
//          7 min on 2 idle cores, longer on busy ones; one PyTorch thread, so that a rerun on the
//          same data gives the same weights bit for bit)
//       ./workbench run scripts/train-sample-models.jsh full m2d-tiny   (one model only: each
//          model depends only on its seeds; audio-text-tiny starts from the m2d-tiny file)
//       ./workbench run scripts/train-sample-models.jsh small   (the next generation, issue 16:
//          m2d-small, vit-sl-small, random-small, depth 6, width 192, on recorded-instrument data
//          generated into samples/data-real; needs fluid-soundfont-gm, timgm6mb-soundfont and
//          espeak-ng; about 35 min of training on one thread, resumable)
//       ./workbench run scripts/train-sample-models.jsh small-long   (the second attempt at the
//          small generation, decided before its results: m2d-small-long, the same recipe with
//          three times the M2D steps; about 90 min on one thread)
//       ./workbench run scripts/train-sample-models.jsh        (a few steps of a smaller model
//                                                                 into out/sample-models-check/)
// Training reports (steps, wall time, losses, data hash) and loss plots go to out/sample-models/
// (out/sample-models-small/ for the next generation).
// Interrupted (Ctrl-C, a crash)? Run the same command again: every run saves a snapshot every
// 100 steps (200 for small) under the reports' checkpoints/ and continues from the last one.
import io.anw.train.*;
io.anw.GradMode.setThreads(1); // identical runs: several threads may round reductions differently

String mode = args.length > 0 ? args[0] : "check";
if (!List.of("check", "full", "small", "small-long").contains(mode)) {
  throw new IllegalArgumentException("first argument: full, small, small-long or nothing (a check run), not " + mode);
}
var gen = mode.equals("check") || mode.equals("full") ? SampleGeneration.TINY : SampleGeneration.named(mode);
var plan = switch (mode) {
  case "full" -> SampleModels.Plan.full();
  case "small" -> SampleModels.Plan.small();
  case "small-long" -> SampleModels.Plan.smallLong();
  default -> SampleModels.Plan.check();
};
Path modelDir = mode.equals("check") ? Path.of("out/sample-models-check/models") : SampleModels.DIR;
Path reportDir = Path.of(switch (mode) {
  case "full" -> "out/sample-models";
  case "small" -> "out/sample-models-small";
  case "small-long" -> "out/sample-models-small-long";
  default -> "out/sample-models-check";
});
System.out.println((mode.equals("check") ? "check run (pass 'full' or 'small' for a real training):\n  "
    : mode + " training (" + gen.name() + " generation):\n  ") + plan);

List<String> names = args.length > 1 ? List.of(args).subList(1, args.length)
    : mode.equals("small-long") ? List.of(gen.m2d()) // its SL and random models are SMALL's
    : gen.models();
var runs = SampleModels.train(gen, plan, names, modelDir, reportDir, System.out::println);

// The written files load through the normal checkpoint path.
for (String name : names) {
  try (var model = SampleModels.load(modelDir, name)) {
    System.out.println(model + "\n  norm stats " + model.normStats());
  }
}
System.out.println("models in " + modelDir + ", reports in " + reportDir);
