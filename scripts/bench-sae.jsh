// SAE training benchmark (issue 17): tokens/s of the workbench's top-k SAE training on cached
// activations against a PyTorch loop of the same recipe and sizes (Debian's /usr/bin/python3 + torch,
// src/test/python/sae_train_bench.py) on the same rows, as a ratio in one run; and the process's
// resident memory against the mixing buffer's size.
// Usage: ./workbench run scripts/bench-sae.jsh [STEPS [D_IN [EXPANSION [BATCH [THREADS]]]]]
// Default: 4 timed steps (+1 warm-up) at ViT-B residual width 768, expansion 8 (6144 features),
// k 32, batches of 1024 tokens, 2 threads.
int steps = args.length > 0 ? Integer.parseInt(args[0]) : 4;
int dIn = args.length > 1 ? Integer.parseInt(args[1]) : 768;
int expansion = args.length > 2 ? Integer.parseInt(args[2]) : 8;
int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
int warmup = 1, k = 32, rowsN = 16 * batch;
io.anw.GradMode.setThreads(threads);
// cached activations: sparse sums of 64 random directions, written as a float32 .npy
var rnd = new java.util.Random(1);
float[] rows = new float[rowsN * dIn];
float[][] dirs = new float[64][dIn];
for (float[] v : dirs) for (int j = 0; j < dIn; j++) v[j] = (float) rnd.nextGaussian();
for (int i = 0; i < rowsN; i++) for (int a = 0; a < 4; a++) {
  float[] v = dirs[rnd.nextInt(64)]; float g = rnd.nextFloat();
  for (int j = 0; j < dIn; j++) rows[i * dIn + j] += g * v[j];
}
Path npy = Files.createTempFile("bench-sae", ".npy");
io.anw.tensor.NpyStreamWriter.write(npy, new long[] {rowsN, dIn}, out -> out.put(0, rows, 0, rows.length));
// the workbench: the rows served block by block, through the mixing buffer (4 batches)
class Cached implements io.anw.train.MixingBuffer.Source {
  long block;
  public float[] next() {
    int per = batch * dIn, at = (int) (block++ % (rowsN / batch)) * per;
    return java.util.Arrays.copyOfRange(rows, at, at + per);
  }
  public long[] position() { return new long[] {block}; }
  public void seek(long[] p) { block = p[0]; }
}
long rssBefore = io.anw.report.ProcessMemory.residentBytes();
long[] timed = new long[2];
long[] peakAtWarmup = new long[1];
var options = SaeOptions.topK(k).expansion(expansion).batchTokens(batch).bufferTokens(4 * batch)
    .tokens((long) (steps + warmup) * batch);
var run = io.anw.train.SaeTrainer.train(new Cached(), dIn, "bench", options, "bench", null,
    java.util.Map.of(), (s, n, m) -> {
      if (s == warmup) { timed[0] = System.nanoTime(); peakAtWarmup[0] = io.anw.report.ProcessMemory.peakResidentBytes(); }
      if (s == n) timed[1] = System.nanoTime();
    });
double ours = steps * (double) batch / ((timed[1] - timed[0]) / 1e9);
long rssPeak = io.anw.report.ProcessMemory.peakResidentBytes();
run.sae().close();
System.out.printf("SAE %d -> %d, top-%d, batches of %d tokens, %d threads%n", dIn, dIn * expansion, k, batch, threads);
double gemm;
try (var nd = NDManager.newBaseManager()) {
  var a = nd.randomNormal(new Shape(batch, dIn)); var b = nd.randomNormal(new Shape(dIn, dIn * expansion));
  a.matMul(b).close();
  long t = System.nanoTime();
  for (int i = 0; i < 3; i++) a.matMul(b).close();
  gemm = 3 * 2.0 * batch * dIn * dIn * expansion / ((System.nanoTime() - t) / 1e9) / 1e9;
}
System.out.printf("workbench (DJL %s): %.1f tokens/s, mixing buffer included (encoder-shape matmul"
    + " %.1f GFLOP/s)%n", io.anw.Version.djl(), ours, gemm);
System.out.printf("memory: resident %.0f MB before training; peak %.0f MB after %s, %.0f MB"
    + " after %d%n", rssBefore / 1e6, peakAtWarmup[0] / 1e6, NumberText.count(warmup, "step"),
    rssPeak / 1e6, warmup + steps);
System.out.printf("  (buffer %.1f MB, parameters and Adam moments %.1f MB)%n",
    4.0 * batch * dIn * 4 / 1e6, 3 * 4.0 * (2.0 * dIn * dIn * expansion) / 1e6);
Path py = Path.of("src/test/python/sae_train_bench.py");
boolean torch = Files.isRegularFile(py) && new ProcessBuilder("/usr/bin/python3", "-c", "import torch, numpy")
    .redirectErrorStream(true).start().waitFor() == 0;
if (!torch) {
  System.out.println("PyTorch side skipped: python3-torch and python3-numpy are not installed"
      + " (apt-get install python3-torch python3-numpy)");
} else {
  var p = new ProcessBuilder("/usr/bin/python3", py.toString(), npy.toString(), "" + dIn * expansion, "" + k,
      "" + batch, "" + steps, "" + warmup, "" + threads).redirectErrorStream(true).start();
  String line = new String(p.getInputStream().readAllBytes()).strip();
  p.waitFor();
  var m = java.util.regex.Pattern.compile("([0-9.]+) tokens/s .*matmul ([0-9.]+) GFLOP/s").matcher(line);
  // the ratio says as much about the two BLAS libraries as about the loops: see both GFLOP/s
  if (p.exitValue() != 0 || !m.find()) {
    System.out.println("PyTorch side failed: " + line.lines().reduce((a, b) -> b).orElse(""));
  } else {
    System.out.println(line);
    double theirs = Double.parseDouble(m.group(1));
    double theirGemm = Double.parseDouble(m.group(2));
    System.out.printf("ratio workbench / PyTorch: %.2f; per GFLOP/s of each side's own matmul:"
        + " %.2f%n", ours / theirs, (ours / gemm) / (theirs / theirGemm));
  }
}
Files.delete(npy);
