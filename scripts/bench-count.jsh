// Counting benchmark (issue 6): clips/s of the counting pass (hooks reducing every
// blocks.*.mlp.hook_post to per-class counts) against a bare forward on the same batches,
// as a ratio measured in one run. Usage: ./workbench run scripts/bench-count.jsh [ROUNDS [WIDTH]]
// Default: ViT-B shapes (12 blocks, width 768, MLP 3072), 208-frame clips, batches of 4.
int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
int width = args.length > 1 ? Integer.parseInt(args[1]) : 768;
io.anw.GradMode.disableOnCurrentThread();
var model = M2dViT.random(ModelConfig.defaults().withName("bench"), 12, width, 4 * width, 1, null);
var manager = NDManager.newBaseManager();
var input = manager.randomNormal(new Shape(4, 80, 208));
int[] labels = {0, 1, 2, 1};
var counter = new io.anw.activation.ActivationCounter(model, List.of("a", "b", "c"));
// warm-up
model.run(input).close();
counter.add(input, labels);
double bare = Double.MAX_VALUE, counting = Double.MAX_VALUE;
for (int r = 0; r < rounds; r++) {
  long t0 = System.nanoTime();
  model.run(input).close();
  long t1 = System.nanoTime();
  counter.add(input, labels);
  long t2 = System.nanoTime();
  bare = Math.min(bare, (t1 - t0) / 1e9);
  counting = Math.min(counting, (t2 - t1) / 1e9);
}
System.out.printf("bare forward: %.1f clips/s; counting: %.1f clips/s; ratio %.2f (target >= 0.9)%n",
    4 / bare, 4 / counting, bare / counting);
counter.close();
manager.close();
model.close();
