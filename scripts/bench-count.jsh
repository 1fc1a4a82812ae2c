// Counting benchmark (issues 6 and 13), ratios measured in one run:
//  1. clips/s of the counting pass (hooks reducing every blocks.*.mlp.hook_post to per-class
//     counts) against a bare forward on the same batches (target >= 0.9);
//  2. counting with a model loaded from a float32 checkpoint file (weights copied into
//     PyTorch-owned memory at load) against the same model made in memory (target ~1.0:
//     the copy at load must not slow the forward pass).
// Usage: ./workbench run scripts/bench-count.jsh [ROUNDS [WIDTH]]
// Default: ViT-B shapes (12 blocks, width 768, MLP 3072), 208-frame clips, batches of 4.
int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
int width = args.length > 1 ? Integer.parseInt(args[1]) : 768;
io.anw.GradMode.disableOnCurrentThread();
var model = M2dViT.random(ModelConfig.defaults().withName("bench"), 12, width, 4 * width, 1, null);
Path file = Files.createTempFile("bench-vit", ".safetensors");
io.anw.model.ModelFiles.saveM2d(model, file);
var loaded = io.anw.model.ModelFiles.loadM2d(file);
Files.delete(file);
var manager = NDManager.newBaseManager();
var input = manager.randomNormal(new Shape(4, 80, 208));
int[] labels = {0, 1, 2, 1};
var counter = new io.anw.activation.ActivationCounter(model, List.of("a", "b", "c"));
var loadedCounter = new io.anw.activation.ActivationCounter(loaded, List.of("a", "b", "c"));
// warm-up
model.run(input).close();
counter.add(input, labels);
loadedCounter.add(input, labels);
double bare = Double.MAX_VALUE, counting = Double.MAX_VALUE, fromFile = Double.MAX_VALUE;
for (int r = 0; r < rounds; r++) {
  long t0 = System.nanoTime();
  model.run(input).close();
  long t1 = System.nanoTime();
  counter.add(input, labels);
  long t2 = System.nanoTime();
  loadedCounter.add(input, labels);
  long t3 = System.nanoTime();
  bare = Math.min(bare, (t1 - t0) / 1e9);
  counting = Math.min(counting, (t2 - t1) / 1e9);
  fromFile = Math.min(fromFile, (t3 - t2) / 1e9);
}
System.out.printf("bare forward: %.1f clips/s; counting: %.1f clips/s; ratio %.2f (target >= 0.9)%n",
    4 / bare, 4 / counting, bare / counting);
System.out.printf("counting, model loaded from a float32 file: %.1f clips/s; vs made in memory: ratio %.2f (target ~1.0)%n",
    4 / fromFile, counting / fromFile);
long[] a = counter.counts(Map.of()).overZeroFlat(), b = loadedCounter.counts(Map.of()).overZeroFlat();
long differ = java.util.stream.IntStream.range(0, a.length).filter(i -> a[i] != b[i]).count();
// multi-threaded kernels may round a near-zero activation differently on a loaded machine
System.out.println("counts of the loaded and the in-memory model differ in " + differ + " of "
    + a.length + " cells");
counter.close();
loadedCounter.close();
manager.close();
loaded.close();
model.close();
