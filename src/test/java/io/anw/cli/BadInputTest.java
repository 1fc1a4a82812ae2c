package io.anw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.activation.ActivationCounts;
import io.anw.activation.CountsFile;
import io.anw.audio.Clip;
import io.anw.audio.WavFile;
import io.anw.model.M2dViT;
import io.anw.model.ModelConfig;
import io.anw.model.ModelFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for crafted and broken inputs and interrupted runs (issue 13): each case
 * ends in one line naming the file, bounded work, and outputs that are never mixed up.
 */
class BadInputTest {
  @TempDir static Path dir;
  static Path model;

  private static CliRun exec(String... args) {
    return CliRun.exec(args);
  }

  /** Runs the workbench in a fresh JVM with {@code heap}; returns exit code, and both streams. */
  private static CliRun subprocess(String heap, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", args));
    return new CliRun(p.exitValue(), "", err);
  }

  private static void assertOneLine(CliRun r, String startsWith) {
    assertEquals(1, r.code(), r.err());
    assertTrue(r.lastErrLine().startsWith("workbench: " + startsWith), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  private static float[] tone(int n, double hz) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16000));
    }
    return x;
  }

  /** A mono float32 WAV with a NaN at sample {@code nanAt}: its header is fine, its data not. */
  private static void nanWav(Path file, int n, int nanAt) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(44 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 4 * n)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 3)
        .putShort((short) 1).putInt(16000).putInt(64000).putShort((short) 4).putShort((short) 32)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(4 * n);
    float[] x = tone(n, 500);
    x[nanAt] = Float.NaN;
    for (float v : x) {
      b.putFloat(v);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
  }

  @BeforeAll
  static void files() {
    try (M2dViT vit = M2dViT.random(ModelConfig.defaults().withName("tiny").withUnitFrames(32),
        2, 32, 48, 3, null)) {
      model = ModelFiles.saveM2d(vit, dir.resolve("tiny.safetensors"));
    }
  }

  /** 12 clips, rows 2 and 9 unreadable (NaN samples): before and after the checkpoint. */
  private static Path dataWithBadRows() throws IOException {
    Path d = dir.resolve("bad-rows");
    List<String> rows = new ArrayList<>(List.of("file_name,label"));
    for (int i = 0; i < 12; i++) {
      Path f = d.resolve("c" + i + ".wav");
      if (i == 2 || i == 9) {
        nanWav(f, 8000, 4000);
      } else {
        WavFile.write(f, new Clip(tone(8000 + 800 * (i % 3), 200 + 100 * i), 16000));
      }
      rows.add("c" + i + ".wav," + (i % 2 == 0 ? "even" : "odd"));
    }
    Files.write(d.resolve("labels.csv"), rows);
    return d.resolve("labels.csv");
  }

  @Test
  void skipBadKilledAndResumedCountsEveryClipOnce() throws Exception {
    Path data = dataWithBadRows();
    Path whole = dir.resolve("whole.npz");
    CliRun w = exec("count", "--model", model.toString(), "--data", data.toString(), "--out",
        whole.toString(), "--skip-bad", "--threads", "1", "--batch", "1");
    assertEquals(0, w.code(), w.err());
    assertTrue(w.err().contains("skipped: labels.csv row 4 (c2.wav): sample 4000 (0.250 s) is"
        + " NaN"), w.err());
    assertTrue(w.err().contains("skipped: labels.csv row 11 (c9.wav)"), w.err());
    ActivationCounts expected = CountsFile.read(whole);
    assertEquals("10", expected.provenance().get("clips"));

    // a run stopped at row 8 after its checkpoints (every 3 clips counted)
    Path out = dir.resolve("resumed.npz");
    Path partial = dir.resolve("resumed.npz.partial.npz");
    java.util.Map<String, String> prov = new java.util.LinkedHashMap<>();
    prov.put("model_file", model.getFileName().toString());
    prov.put("model_sha256", io.anw.report.Provenance.sha256(model));
    prov.put("data", data.toString());
    prov.put("shard", "1/1");
    io.anw.audio.Dataset ds = io.anw.audio.Dataset.open(data,
        io.anw.audio.DatasetOptions.defaults().withSkipBad(true));
    try (M2dViT m = ModelFiles.loadM2d(model)) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> io.anw.activation.CountRun.run(m, ds, io.anw.activation.CountRun.Options
              .defaults().withBatchSize(1).withCheckpoint(partial, 3), prov, rows -> {
                if (rows >= 8) {
                  throw new IllegalStateException("killed");
                }
              }));
    }
    ActivationCounts cut = CountsFile.read(partial);
    // checkpoints at rows 4 and 7: the bad row 2 lies before the cut, the bad row 9 after it
    assertEquals("7", cut.provenance().get("rows_done"), cut.provenance().toString());
    assertEquals("6", cut.provenance().get("clips"), "a bad row was done before the cut");
    CliRun r = exec("count", "--model", model.toString(), "--data", data.toString(), "--out",
        out.toString(), "--skip-bad", "--threads", "1", "--batch", "1", "--checkpoint-every",
        "3");
    assertEquals(0, r.code(), r.err());
    ActivationCounts resumed = CountsFile.read(out);
    assertEquals(expected, resumed, "the resumed run equals the uninterrupted one");
    assertEquals("10", resumed.provenance().get("clips"));
    assertTrue(r.err().contains("skipped: labels.csv row 4 (c2.wav)"), "skips before the"
        + " checkpoint are reported after resuming: " + r.err());
    assertTrue(r.err().contains("skipped: labels.csv row 11 (c9.wav)"), r.err());
    assertFalse(Files.exists(partial));
  }

  @Test
  void ablateAndGroundingSkipBadRowsAndListThem() throws Exception {
    Path data = dataWithBadRows();
    Path neurons = dir.resolve("skip-neurons.csv");
    Files.write(neurons, List.of("layer,neuron,class,aape", "0,1,even,0.1", "1,2,odd,0.2"));
    CliRun a = exec("ablate", "--model", model.toString(), "--data", data.toString(),
        "--neurons", neurons.toString(), "--random", "2", "--out",
        dir.resolve("ablate-skip").toString(), "--skip-bad");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.err().contains("skipped: labels.csv row 4 (c2.wav)"), a.err());
    assertTrue(a.err().contains("skipped: labels.csv row 11 (c9.wav)"), a.err());
    CliRun g = exec("grounding", "--model", model.toString(), "--data", data.toString(),
        "--neurons", neurons.toString(), "--out", dir.resolve("grounding-skip").toString(),
        "--skip-bad");
    assertEquals(0, g.code(), g.err());
    assertTrue(g.err().contains("skipped: labels.csv row 4 (c2.wav)"), g.err());
    CliRun strict = exec("ablate", "--model", model.toString(), "--data", data.toString(),
        "--neurons", neurons.toString(), "--random", "2", "--out",
        dir.resolve("ablate-strict").toString());
    assertOneLine(strict, dir.resolve("bad-rows/c2.wav") + ": sample 4000 (0.250 s) is NaN");
  }

  @Test
  void withoutSkipBadTheErrorIsTheLastLineAfterTheProgressBar() throws Exception {
    Path data = dataWithBadRows();
    CliRun r = exec("count", "--model", model.toString(), "--data", data.toString(), "--out",
        dir.resolve("x.npz").toString());
    assertOneLine(r, dir.resolve("bad-rows/c2.wav") + ": sample 4000 (0.250 s) is NaN");
    assertFalse(Files.exists(dir.resolve("x.npz")));
  }

  @Test
  void aOneHertzHeaderFailsAtOnceInFeaturesAndEmbed() throws Exception {
    Path wav = dir.resolve("one-hertz.wav");
    byte[] b = WavFile.bytes(new Clip(tone(16000, 440), 16000));
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 1).putInt(28, 2);
    Files.write(wav, b);
    long t0 = System.nanoTime();
    assertOneLine(exec("features", wav.toString(), "--out", dir.resolve("f.npy").toString()),
        wav + ": header says 1 Hz");
    assertOneLine(exec("embed", "--model", model.toString(), wav.toString(), "--out",
        dir.resolve("e.npy").toString()), wav + ": header says 1 Hz");
    assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "bounded work");
  }

  @Test
  void nonFiniteSamplesFailFeaturesAndEmbed() throws Exception {
    Path wav = dir.resolve("nan/n.wav");
    nanWav(wav, 16000, 8000);
    assertOneLine(exec("features", wav.toString(), "--out", dir.resolve("f2.npy").toString()),
        wav + ": sample 8000 (0.500 s) is NaN");
    assertOneLine(exec("embed", "--model", model.toString(), wav.toString(), "--out",
        dir.resolve("e2.npy").toString()), wav + ": sample 8000 (0.500 s) is NaN");
    assertFalse(Files.exists(dir.resolve("e2.npy")));
  }

  @Test
  void aSmallFileHoldingAHugeTensorIsRefusedFromItsHeaders() throws Exception {
    // an .npz of 1.9 GB of zeros, about 2 MB deflated, and a sparse safetensors of 1.9 GB
    Path npz = dir.resolve("huge.npz");
    long floats = 475_000_000L;
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
      zip.setLevel(9);
      zip.putNextEntry(new ZipEntry("w.npy"));
      String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + floats + ",), }";
      String padded = dict + " ".repeat(117 - dict.length()) + "\n";
      ByteBuffer h = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
      h.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) 118)
          .put(padded.getBytes(StandardCharsets.ISO_8859_1));
      zip.write(h.array());
      byte[] zeros = new byte[1 << 22];
      for (long left = 4 * floats; left > 0; left -= zeros.length) {
        zip.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
      zip.closeEntry();
    }
    assertTrue(Files.size(npz) < 4_000_000, "small file: " + Files.size(npz));
    Path st = dir.resolve("huge.safetensors");
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + floats + "],\"data_offsets\":[0,"
        + 4 * floats + "]}}";
    try (RandomAccessFile f = new RandomAccessFile(st.toFile(), "rw")) {
      byte[] hb = header.getBytes(StandardCharsets.UTF_8);
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).array());
      f.write(hb);
      f.setLength(8 + hb.length + 4 * floats); // sparse: no data written
    }
    for (Path p : List.of(npz, st)) {
      long t0 = System.nanoTime();
      CliRun r = subprocess("96m", "embed", "--model", p.toString(),
          dir.resolve("one-hertz.wav").toString(), "--out", dir.resolve("h.npy").toString());
      assertEquals(1, r.code(), r.err());
      assertTrue(r.lastErrLine().startsWith("workbench: " + p + ": not an M2D ViT state dict"),
          r.err());
      assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "refused early");
    }
  }

  @Test
  void aZipMemberThatClaimsMoreThanDeflateCanHoldIsRefused() throws Exception {
    Path npz = dir.resolve("liar.npz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
      zip.putNextEntry(new ZipEntry("w.npy"));
      zip.write(new byte[1000]);
      zip.closeEntry();
    }
    // patch the central directory's uncompressed size to 1.9 GB
    byte[] b = Files.readAllBytes(npz);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = b.length - 22; i >= 0; i--) {
      if (bb.getInt(i) == 0x02014b50) {
        bb.putInt(i + 24, 1_900_000_000);
        break;
      }
    }
    Files.write(npz, b);
    CliRun r = exec("inspect", npz.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.lastErrLine().contains("more than DEFLATE can expand"), r.err());
  }

  @Test
  void runningOutOfMemoryIsOneLineWithAHint() throws Exception {
    Path csv = dir.resolve("big.csv");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(csv))) {
      out.write("file_name,label\n".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 2_000_000; i++) {
        out.write(("clip_number_" + i + ".wav,class_" + i % 10 + "\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
    }
    CliRun r = subprocess("32m", "dataset", csv.toString(), "--skip-bad");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.lastErrLine().startsWith("workbench: out of memory"), r.err());
    assertTrue(r.lastErrLine().contains("WORKBENCH_JAVA_OPTS"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void optionValuesAreChecked() throws Exception {
    Path data = dir.resolve("ok");
    WavFile.write(data.resolve("a/x.wav"), new Clip(tone(8000, 300), 16000));
    WavFile.write(data.resolve("b/y.wav"), new Clip(tone(8000, 900), 16000));
    String[] base = {"count", "--model", model.toString(), "--data", data.toString(), "--out",
        dir.resolve("o.npz").toString()};
    for (String[] bad : new String[][] {{"--batch", "0"}, {"--batch", "-3"},
        {"--checkpoint-every", "-1"}, {"--threads", "0"}}) {
      List<String> args = new ArrayList<>(List.of(base));
      args.addAll(List.of(bad));
      assertOneLine(exec(args.toArray(String[]::new)), bad[0] + " must be at least");
    }
    assertOneLine(exec("embed", "--model", model.toString(), data.resolve("a/x.wav").toString(),
        "--out", dir.resolve("e3.npy").toString(), "--batch", "0"), "--batch must be at least 1");
  }

  @Test
  void errorsNameTheFile() throws Exception {
    Path csv = dir.resolve("latin1.csv");
    Files.write(csv, "file_name,label\ncaf\u00e9.wav,x\n".getBytes(StandardCharsets.ISO_8859_1));
    assertOneLine(exec("dataset", csv.toString()), csv + ": not UTF-8 text");
    // a checkpoint in a folder named like a model, whose shapes are wrong: the file is named
    Path folder = Files.createDirectories(dir.resolve("mal"));
    Path bad = folder.resolve("weights.safetensors");
    var tree = io.anw.tensor.TensorFiles.read(model);
    var b = io.anw.tensor.TensorTree.builder(bad.toString(), "safetensors");
    tree.tensors().forEach((k, t) -> b.tensor(k, k.equals("blocks.0.mlp.fc1.weight")
        ? io.anw.tensor.Tensor.ofFloats(new float[48 * 31], 48, 31) : t));
    tree.metadata().forEach(b::meta);
    io.anw.tensor.TensorFiles.write(bad, b.build());
    assertOneLine(exec("embed", "--model", bad.toString(), data().toString(), "--out",
        dir.resolve("e4.npy").toString()), bad + ": blocks.0.mlp.fc1.weight has shape");
    // a patch kernel of size zero
    Path zero = folder.resolve("zero.safetensors");
    var z = io.anw.tensor.TensorTree.builder(zero.toString(), "safetensors");
    tree.tensors().forEach((k, t) -> z.tensor(k, k.equals("patch_embed.proj.weight")
        ? io.anw.tensor.Tensor.ofFloats(new float[0], 32, 1, 0, 16) : t));
    tree.metadata().forEach(z::meta);
    io.anw.tensor.TensorFiles.write(zero, z.build());
    CliRun r = exec("embed", "--model", zero.toString(), data().toString(), "--out",
        dir.resolve("e5.npy").toString());
    assertOneLine(r, zero + ": patch_embed.proj.weight has shape");
    assertFalse(r.err().contains("/ by zero"), r.err());
  }

  private static Path data() throws IOException {
    Path f = dir.resolve("tone.wav");
    if (!Files.exists(f)) {
      WavFile.write(f, new Clip(tone(16000, 440), 16000));
    }
    return f;
  }

  @Test
  void anOutputInUseByAnotherRunIsRefusedAndAStaleLockTakenOver() throws Exception {
    Path out = dir.resolve("locked.npy");
    Path lock = io.anw.OutputLock.lockFile(out);
    Process other = new ProcessBuilder("sleep", "30").start();
    try {
      Files.writeString(lock, other.pid() + " " + hostOf() + " 2026-12-02T00:00:00Z\n");
      assertOneLine(exec("features", data().toString(), "--out", out.toString()),
          out + ": in use by another run (process " + other.pid());
      assertFalse(Files.exists(out));
    } finally {
      other.destroyForcibly().waitFor();
    }
    // its process is gone now: the lock is stale and taken over
    CliRun r = exec("features", data().toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(out));
    assertFalse(Files.exists(lock), "released at the end");
  }

  private static String hostOf() throws Exception {
    Path probe = dir.resolve("probe.npy");
    try (io.anw.OutputLock l = io.anw.OutputLock.acquire(probe)) {
      return Files.readString(io.anw.OutputLock.lockFile(probe)).split(" ")[1];
    }
  }

  @Test
  void tempFilesOfKilledWritesAreRemovedByTheNextWrite() throws Exception {
    Path out = dir.resolve("conv/model.safetensors");
    Files.createDirectories(out.getParent());
    Path leftover = out.resolveSibling(".model.safetensors.999999999-1f2e.tmp");
    Files.write(leftover, new byte[1 << 20]);
    CliRun r = exec("convert", model.toString(), out.toString());
    assertEquals(0, r.code(), r.err());
    assertFalse(Files.exists(leftover), "the dead writer's temp file was removed");
    try (var s = Files.list(out.getParent())) {
      assertEquals(List.of("model.safetensors"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
