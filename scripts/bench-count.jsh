// The counting benchmark (issue 20), the same as `./workbench bench`: in one run, the fp32 GEMM
// rate at the model's linear-layer shapes, WAV decoding + log-mel, the bare forward, the
// counting pass from decoded log-mels, `count` end to end from the WAV files and, when Debian's
// python3-torch is present, the same count the Python way (src/test/python/count_python.py);
// clips/s, GFLOP/s, ratios to each other and where a forward's time goes.
// Usage: ./workbench run scripts/bench-count.jsh [CLIPS [CKPT DATA]]
// Default: a random float32 ViT-B M2D on 160 clips of 2.07 s (one M2D unit) made from the
// pitch_synth sample notes.
var opt = io.anw.pipeline.CountBenchmark.Options.defaults()
    .withClips(args.length > 0 ? Integer.parseInt(args[0]) : 160);
if (args.length > 2) {
  opt = opt.withModel(Path.of(args[1])).withData(Path.of(args[2]));
}
var result = WB.bench(opt);
System.out.print(result.report());
