package io.anw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.model.M2dViT;
import io.anw.model.ModelFiles;
import io.anw.model.ModelOutput;
import io.anw.model.NormStats;
import io.anw.model.VitDims;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both recipes learn on a toy task; sample-model files round-trip through the loader. */
class TrainersTest {
  private static final VitDims TOY = TrainableViT.dims(1, 32, 1, 64, 32);

  /** Two classes: energy in the low or the high mel bands; a short length and one longer than the unit. */
  private static TrainingData toy(int clips) {
    Random rnd = new Random(1);
    List<float[][]> mels = new ArrayList<>();
    int[] labels = new int[clips];
    for (int i = 0; i < clips; i++) {
      labels[i] = i % 2;
      int frames = i % 3 == 0 ? 12 : 37;
      float[][] m = new float[80][frames];
      for (int f = 0; f < 80; f++) {
        for (int t = 0; t < frames; t++) {
          boolean on = (labels[i] == 0) == (f < 40);
          m[f][t] = (float) ((on ? 2 : -2) + 0.5 * rnd.nextGaussian());
        }
      }
      mels.add(m);
    }
    return TrainingData.of(mels, labels, List.of("low", "high"));
  }

  @Test
  void supervisedRecipeLearnsAToyTask() {
    TrainingData data = toy(24);
    assertEquals(2, data.lengthGroups(32).size(), "12- (padded to 16) and 37-frame (cropped to 32) clips batch apart");
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      TrainingRun run = Trainers.supervised("toy-sl", vit, data, data.normStats(),
          new Trainers.Settings(30, 8, 3e-3, 3, 0.05, 2, 10), line -> { });
      assertEquals(30, run.losses().length);
      assertTrue(run.finalLoss() < 0.5 * run.initialLoss(),
          run.initialLoss() + " -> " + run.finalLoss());
      assertTrue(run.report().contains("data sha256: " + data.dataHash()));
    }
  }

  @Test
  void aModelWithATextPathwayLearnsALabelThatOnlyTheCaptionCarries() {
    TrainingData sound = toy(24);
    // the same clips relabelled by a caption word: "one" (id 2) or "two" (id 3), independent of the sound
    List<float[][]> mels = new ArrayList<>();
    int[] labels = new int[24];
    long[][] ids = new long[24][];
    Random rnd = new Random(5);
    for (int i = 0; i < 24; i++) {
      float[][] m = new float[80][16];
      for (float[] row : m) {
        for (int t = 0; t < row.length; t++) {
          row[t] = (float) rnd.nextGaussian();
        }
      }
      mels.add(m);
      labels[i] = i % 2;
      ids[i] = new long[] {2 + labels[i], 0};
    }
    TrainingData data = TrainingData.of(mels, labels, List.of("one", "two")).withCaptions(ids);
    assertTrue(data.hasCaptions() && !data.dataHash().equals(sound.dataHash()));
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)
            .addTextPathway(io.anw.model.TextVocabulary.of("one", "two"), 2, 3)) {
      TrainingRun run = Trainers.supervised("toy-text", vit, data, data.normStats(),
          new Trainers.Settings(30, 8, 3e-3, 3, 0.05, 2, 10), line -> { });
      assertTrue(run.finalLoss() < 0.3 * run.initialLoss(),
          run.initialLoss() + " -> " + run.finalLoss());
      WorkbenchException e = assertThrows(WorkbenchException.class, () -> Trainers.supervised(
          "no-captions", vit, sound, sound.normStats(),
          new Trainers.Settings(2, 8, 3e-3, 1, 0.05, 2, 10), line -> { }));
      assertTrue(e.getMessage().contains("has none"), e.getMessage());
    }
  }

  @Test
  void m2dRecipeLowersItsLossAndKeepsTheOnlineEncoder() {
    TrainingData data = toy(24);
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m);
        TrainableViT before = vit.copy(m)) {
      List<String> lines = new ArrayList<>();
      TrainingRun run = Trainers.m2d("toy-m2d", vit, data, data.normStats(),
          new Trainers.Settings(30, 8, 3e-3, 3, 0.05, 3, 10),
          new Trainers.M2dSettings(0.6, 1, 32, 1, 0.99, 0.999), lines::add);
      assertTrue(run.finalLoss() < run.initialLoss(),
          run.initialLoss() + " -> " + run.finalLoss());
      assertTrue(run.finalLoss() >= 0 && run.finalLoss() <= 4, "loss of unit vectors is in [0, 4]");
      assertFalse(vit.stateDict().get("blocks.0.mlp.fc1.weight")
          .contentEquals(before.stateDict().get("blocks.0.mlp.fc1.weight")), "encoder trained");
      assertTrue(vit.stateDict().get("pos_embed").contentEquals(
          before.stateDict().get("pos_embed")), "sin-cos positions stay fixed");
      assertTrue(lines.get(lines.size() - 1).contains("30/30"), "progress reaches the end");
      assertEquals(vit.stateDict().keySet(), vit.dims().expectedShapes().keySet(),
          "exactly the keys the hooked model loads");
    }
  }

  /** Thrown by the progress log to stop a run half-way, as Ctrl-C or a crash would. */
  private static final class Interrupted extends RuntimeException {}

  private static Map<String, float[]> weights(TrainableViT vit) {
    Map<String, float[]> w = new java.util.TreeMap<>();
    vit.stateDict().forEach((k, a) -> w.put(k, a.toFloatArray()));
    return w;
  }

  private static void assertSameWeights(Map<String, float[]> a, Map<String, float[]> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(k), b.get(k), k);
    }
  }

  @Test
  void anInterruptedM2dRunResumesToTheSameWeights(@TempDir Path dir) {
    TrainingData data = toy(24);
    Trainers.Settings s = new Trainers.Settings(6, 8, 3e-3, 2, 0.05, 3, 1);
    Trainers.M2dSettings ms = new Trainers.M2dSettings(0.6, 1, 32, 1, 0.99, 0.999);
    Map<String, float[]> straight;
    float[] straightLosses;
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      straightLosses = Trainers.m2d("toy", vit, data, data.normStats(), s, ms, line -> { })
          .losses();
      straight = weights(vit);
    }
    TrainingCheckpoint ckpt = new TrainingCheckpoint(dir.resolve("toy.ckpt.safetensors"), 2);
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      assertThrows(Interrupted.class, () -> Trainers.m2d("toy", vit, data, data.normStats(), s,
          ms, ckpt, line -> {
            if (line.contains(" 5/6 ")) {
              throw new Interrupted();
            }
          }));
    }
    assertTrue(Files.isRegularFile(ckpt.file()), "the snapshot after step 4 is there");
    List<String> lines = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      TrainingRun run = Trainers.m2d("toy", vit, data, data.normStats(), s, ms, ckpt, lines::add);
      assertTrue(lines.get(0).contains("resuming at step 4"), lines.toString());
      assertSameWeights(straight, weights(vit));
      org.junit.jupiter.api.Assertions.assertArrayEquals(straightLosses, run.losses());
    }
    assertFalse(Files.exists(ckpt.file()), "a completed run removes its snapshot");
  }

  @Test
  void anInterruptedSupervisedRunResumesToTheSameWeights(@TempDir Path dir) {
    TrainingData data = toy(24);
    Trainers.Settings s = new Trainers.Settings(7, 8, 3e-3, 2, 0.05, 2, 1);
    Map<String, float[]> straight;
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      Trainers.supervised("toy", vit, data, data.normStats(), s, line -> { });
      straight = weights(vit);
    }
    TrainingCheckpoint ckpt = new TrainingCheckpoint(dir.resolve("sl.ckpt.safetensors"), 3);
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      assertThrows(Interrupted.class, () -> Trainers.supervised("toy", vit, data,
          data.normStats(), s, ckpt, line -> {
            if (line.contains(" 5/7 ")) {
              throw new Interrupted();
            }
          }));
    }
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      Trainers.supervised("toy", vit, data, data.normStats(), s, ckpt, line -> { });
      assertSameWeights(straight, weights(vit));
    }
  }

  @Test
  void aCheckpointOfAnotherRunIsRefused(@TempDir Path dir) {
    TrainingData data = toy(24);
    TrainingCheckpoint ckpt = new TrainingCheckpoint(dir.resolve("x.ckpt.safetensors"), 1);
    Trainers.Settings s = new Trainers.Settings(3, 8, 3e-3, 1, 0.05, 2, 1);
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 1, m)) {
      assertThrows(Interrupted.class, () -> Trainers.supervised("toy", vit, data,
          data.normStats(), s, ckpt, line -> {
            if (line.contains(" 2/3 ")) {
              throw new Interrupted();
            }
          }));
      Trainers.Settings other = new Trainers.Settings(3, 8, 1e-3, 1, 0.05, 2, 1);
      WorkbenchException e = assertThrows(WorkbenchException.class, () -> Trainers.supervised(
          "toy", vit, data, data.normStats(), other, ckpt, line -> { }));
      assertTrue(e.getMessage().startsWith(ckpt.file() + ": a checkpoint of another run"),
          e.getMessage());
    }
  }

  @Test
  void randomStateRoundTripsAndOnlyRandomIsDeserialised() {
    Random r = new Random(42);
    r.nextGaussian();
    Random copy = TrainingCheckpoint.restoreRandom(TrainingCheckpoint.save(r));
    assertEquals(r.nextGaussian(), copy.nextGaussian(), "the cached Gaussian travels too");
    assertEquals(r.nextLong(), copy.nextLong());
    byte[] other;
    try (var bytes = new java.io.ByteArrayOutputStream();
        var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(new java.util.ArrayList<>(List.of("x")));
      out.flush();
      other = bytes.toByteArray();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThrows(WorkbenchException.class, () -> TrainingCheckpoint.restoreRandom(other));
  }

  @Test
  void emaAndLearningRateSchedules() {
    Trainers.M2dSettings ms = new Trainers.M2dSettings(0.7, 2, 64, 2, 0.99, 0.999);
    assertEquals(0.99, ms.emaAt(0, 100), 1e-12);
    assertEquals(0.999, ms.emaAt(99, 100), 1e-12);
    assertTrue(ms.emaAt(50, 100) > 0.99 && ms.emaAt(50, 100) < 0.999);
    Trainers.Settings s = new Trainers.Settings(100, 8, 1e-3, 10, 0, 0, 10);
    assertEquals(1e-4, s.lrAt(0), 1e-12);
    assertEquals(1e-3, s.lrAt(10), 1e-12);
    assertTrue(s.lrAt(99) < 1e-5);
  }

  @Test
  void sampleModelFilesAreFloat16AndLoadThroughTheCheckpointPath(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager();
        TrainableViT vit = TrainableViT.init(TOY, 4, m);
        M2dViT model = vit.toM2d("random-tiny", new NormStats(-9f, 5f), m)) {
      Path f = SampleModels.save(model, SampleModels.file(dir, "random-tiny"),
          Map.of("recipe", "test"));
      assertEquals(io.anw.tensor.DType.F16, io.anw.tensor.TensorFiles.read(f)
          .tensor("blocks.0.mlp.fc1.weight").dtype());
      try (M2dViT loaded = SampleModels.load(dir, "random-tiny");
          M2dViT viaCheckpoint = ModelFiles.loadM2d(f)) {
        assertEquals(-9f, loaded.normStats().mean());
        assertEquals(model.dims(), loaded.dims());
        assertEquals(model.dims(), viaCheckpoint.dims());
        NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 80, 32));
        try (ModelOutput a = model.run(x); ModelOutput b = loaded.run(x)) {
          float diff = a.features().sub(b.features()).abs().max().getFloat();
          assertTrue(diff < 0.02f, "float16 rounding only, got " + diff);
        }
      }
      assertThrows(WorkbenchException.class, () -> SampleModels.file(dir, "nope"));
      assertThrows(WorkbenchException.class, () -> SampleModels.load(dir, "m2d-tiny"));
      assertTrue(Files.isRegularFile(f));
    }
  }
}
