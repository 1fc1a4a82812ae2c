// Long runs stay healthy (issue 20): counts CLIPS clips (the sample clips repeated) in one
// counting pass and prints the process's resident memory (RSS) every tenth of the way. Native
// arrays are freed batch by batch, so RSS after 10k clips should be within 5 % of RSS after 1k.
// Usage: ./workbench run scripts/long-run-memory.jsh [CLIPS [MODEL [DATA]]]
// Default: 10000 clips of samples/data/pitch_synth through the sample model m2d-small.
int clips = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
var model = args.length > 1 ? WB.model(args[1]) : WB.sampleModel("m2d-small");
var data = args.length > 2 ? WB.dataset(args[2]) : WB.sample("pitch_synth");
int[] rows = java.util.stream.IntStream.range(0, clips).map(i -> i % data.size()).toArray();
var repeated = data.select(rows);
long[] rss = new long[11];
int[] next = {1};
long t0 = System.nanoTime();
var counts = io.anw.activation.CountRun.run(model, repeated,
    io.anw.activation.CountRun.Options.defaults(), Map.of(), done -> {
      while (next[0] <= 10 && done >= (long) clips * next[0] / 10) {
        rss[next[0]] = io.anw.report.ProcessMemory.residentBytes();
        System.out.printf("%6d clips  RSS %7.1f MB  %6.1f clips/s%n", done, rss[next[0]] / 1e6,
            done / ((System.nanoTime() - t0) / 1e9));
        next[0]++;
      }
    });
double ratio = (double) rss[10] / rss[1];
System.out.printf("RSS after %d clips / after %d clips: %.3f (goal <= 1.05)%n", clips,
    clips / 10, ratio);
if (ratio > 1.05) {
  System.out.println("warning: resident memory grew by more than 5 % during the run");
}
