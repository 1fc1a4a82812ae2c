package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.audio.WavFile;
import io.anw.model.ActivationCache;
import io.anw.model.ChunkPlan;
import io.anw.model.HfAudioModel;
import io.anw.model.Hooks;
import io.anw.model.TokenGroup;
import io.anw.model.UnitSpace;
import io.anw.neuron.Neuron;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Top activations and listening on the other families' sample folders (HuBERT, wav2vec 2.0,
 * Whisper, AST): the ranks against a brute force over each clip's cached activations at the
 * tokens that cover audio, the places in time and frequency, the activation maps against the
 * hook's values, and a long recording (several chunks) seen through a window whose activations
 * are the recording's own.
 */
class OtherFamiliesTopTest {
  static final Path SAMPLES = Path.of("samples/models");
  static final String NEURONS = "blocks.1.mlp.hook_post";
  static final List<Neuron> UNITS = List.of(new Neuron(1, 3), new Neuron(1, 200));
  @TempDir static Path dir;
  static Dataset data;
  static Clip[] clips;

  @BeforeAll
  static void files() throws Exception {
    GradMode.setThreads(1);
    Files.createDirectories(dir.resolve("clips"));
    Random rnd = new Random(5);
    double[] seconds = {0.6, 1.0, 1.0, 1.7, 35.0};
    List<String> rows = new ArrayList<>(List.of("file_name,label"));
    clips = new Clip[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      float[] x = new float[(int) (seconds[i] * 16000)];
      double f = 150 * Math.pow(2, rnd.nextDouble() * 5);
      for (int t = 0; t < x.length; t++) {
        // a tone that glides and pulses, so tokens along time and frequency differ
        double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 1.3 * t / 16000.0);
        x[t] = (float) (0.3 * env * Math.sin(2 * Math.PI * f * t / 16000 * (1 + 0.2 * t
            / x.length)) + 0.02 * rnd.nextGaussian());
      }
      WavFile.write(dir.resolve("clips/c" + i + ".wav"), new Clip(x, 16000));
      rows.add("c" + i + ".wav," + (i % 2 == 0 ? "a" : "b"));
    }
    Files.write(dir.resolve("clips/labels.csv"), rows);
    data = Dataset.open(dir.resolve("clips/labels.csv"));
    clips = new Clip[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      clips[i] = WavFile.read(dir.resolve("clips/c" + i + ".wav")); // as decoded
    }
  }

  /** One clip's best audio token for a unit, by brute force. */
  record Best(int row, float act, int chunk, int token) {}

  static List<Best> bruteForce(HfAudioModel model, Neuron unit) {
    List<Best> out = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      for (int row = 0; row < clips.length; row++) {
        float[][] x = model.input(clips[row]);
        ChunkPlan plan = model.plan(x[0].length);
        try (ActivationCache cache = model.run(TorchArrays.of(m, x), Hooks.none(), NEURONS)) {
          Best best = null;
          for (int c = 0; c < cache.chunks(); c++) {
            NDArray a = cache.get(NEURONS, c); // [1, tokens, 256]
            int tokens = (int) a.getShape().get(1);
            float[] v = a.get("0, :, " + unit.index()).toFloatArray();
            for (int t : model.tokenPositions(TokenGroup.AUDIO, plan.chunks().get(c), tokens)) {
              if (best == null || v[t] > best.act()) {
                best = new Best(row, v[t], c, t);
              }
            }
          }
          out.add(best);
        }
      }
    }
    out.sort(Comparator.comparing((Best b) -> -b.act()).thenComparing(Best::row));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hubert-tiny", "wav2vec2-tiny", "whisper-tiny", "ast-tiny"})
  void topMatchesTheBruteForceOverTheAudioTokensWithTheirPlaces(String name) {
    try (HfAudioModel model = HfAudioModel.load(SAMPLES.resolve(name))) {
      TopResult r = TopRun.run(model, data, TopTargets.of(UnitSpace.neurons(model), UNITS),
          TopRun.Options.defaults().withK(clips.length).withQuantiles(0).withBatchSize(2));
      TokenGeometry geo = TokenGeometry.of(model);
      for (Neuron n : UNITS) {
        List<Best> expected = bruteForce(model, n);
        List<TopEntry> got = r.top("L" + n.layer() + ".N" + n.index());
        assertEquals(clips.length, got.size());
        for (int i = 0; i < got.size(); i++) {
          TopEntry e = got.get(i);
          Best b = expected.get(i);
          String at = name + " " + n + " rank " + (i + 1);
          assertEquals(b.act(), e.activation(), 1e-4, at);
          assertEquals(b.row(), e.row(), at);
          assertEquals(b.chunk(), e.place().chunk(), at);
          assertEquals(b.token(), e.place().token(), at);
          assertEquals(geo.place(b.chunk(), b.token(), 0, clips[b.row()].seconds()), e.place());
          // the place lies in the clip, its start where the token's input starts
          TokenPlace p = e.place();
          assertTrue(p.startS() >= b.chunk() * model.chunkSamples() / 16000.0 - 1e-9, at);
          assertTrue(p.endS() > p.startS() && p.endS() <= clips[b.row()].seconds() + 1e-9, at);
          assertTrue(p.freqLoHz() < p.freqHiHz(), at);
        }
      }
      assertEquals("audio", r.provenance().get("tokens"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"wav2vec2-tiny", "whisper-tiny", "ast-tiny"})
  void activationMapsHoldTheHookValuesAtEveryAudioToken(String name) {
    TopUnit unit = new TopUnit(NEURONS, 1, 3, "neuron");
    try (HfAudioModel model = HfAudioModel.load(SAMPLES.resolve(name));
        NDManager m = NDManager.newBaseManager()) {
      TokenGeometry geo = TokenGeometry.of(model);
      for (int row : new int[] {3, 4}) { // 1.7 s (one chunk) and 35 s (several)
        float[][] x = model.input(clips[row]);
        float[][] grid = ActivationMaps.of(model, Hooks.none(), x, null, List.of(unit))
            .get(unit);
        int[] shape = geo.gridShape(x[0].length);
        assertEquals(shape[0], grid.length);
        assertEquals(shape[1], grid[0].length);
        ChunkPlan plan = model.plan(x[0].length);
        boolean[][] drawn = new boolean[shape[0]][shape[1]];
        try (ActivationCache cache = model.run(TorchArrays.of(m, x), Hooks.none(), NEURONS)) {
          assertTrue(row != 4 || cache.chunks() > 1, "35 s is several chunks");
          for (int c = 0; c < cache.chunks(); c++) {
            NDArray a = cache.get(NEURONS, c);
            float[] v = a.get("0, :, 3").toFloatArray();
            ChunkPlan.Chunk chunk = plan.chunks().get(c);
            for (int t : model.tokenPositions(TokenGroup.AUDIO, chunk, v.length)) {
              int[] cell = geo.cellOf(chunk, t);
              assertNotNull(cell, name + " token " + t);
              assertFalse(drawn[cell[0]][cell[1]], "one token per cell");
              drawn[cell[0]][cell[1]] = true;
              assertEquals(v[t], grid[cell[0]][cell[1]], 1e-5, name + " chunk " + c + " token "
                  + t);
            }
          }
        }
        for (int f = 0; f < shape[0]; f++) {
          for (int t = 0; t < shape[1]; t++) {
            if (!drawn[f][t]) {
              assertEquals(0f, grid[f][t], "cells of no audio token stay 0");
            }
          }
        }
      }
    }
  }

  /** Tokens of the first chunk of {@code x} at the neurons. */
  static long tokens(HfAudioModel model, float[][] x) {
    try (NDManager m = NDManager.newBaseManager();
        ActivationCache cache = model.run(TorchArrays.of(m, x), Hooks.none(), NEURONS)) {
      return cache.get(NEURONS, 0).getShape().get(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"wav2vec2-tiny", "whisper-tiny", "ast-tiny"})
  void aWindowOfALongRecordingIsTheRecordingsOwnChunk(String name) {
    TopUnit unit = new TopUnit(NEURONS, 1, 3, "neuron");
    try (HfAudioModel model = HfAudioModel.load(SAMPLES.resolve(name))) {
      Clip whole = clips[4];
      ClipWindow w = ClipWindow.around(model, data, data.items().get(4), 1);
      assertFalse(w.whole());
      assertEquals(1, w.firstChunk());
      int s0 = model.chunkSamples();
      assertEquals(s0 / 16000.0, w.offsetS(), 1e-9);
      int n = Math.min(s0, whole.length() - s0);
      assertArrayEquals(java.util.Arrays.copyOfRange(whole.samples(), s0, s0 + n),
          w.audio().samples());
      float[] input = model.input(whole)[0];
      assertArrayEquals(java.util.Arrays.copyOfRange(input, s0, s0 + n), w.input()[0],
          "the recording's own prepared input (normalised over the whole recording)");
      assertTrue(w.picture()[0].length > 90 * n / 16000.0, "a picture frame per 10 ms");
      float[][] everywhere = ActivationMaps.of(model, Hooks.none(), new float[][] {input}, null,
          List.of(unit)).get(unit);
      float[][] windowed = ActivationMaps.of(model, Hooks.none(), w.input(), null,
          List.of(unit)).get(unit);
      ChunkPlan.Chunk inWhole = model.plan(input.length).chunks().get(1);
      ChunkPlan.Chunk inWindow = model.plan(n).chunks().get(0);
      TokenGeometry geo = TokenGeometry.of(model);
      int[] audio = model.tokenPositions(TokenGroup.AUDIO, inWindow, tokens(model, w.input()));
      int compared = 0;
      for (int t : audio) {
        int[] a = geo.cellOf(inWhole, t);
        int[] b = geo.cellOf(inWindow, t);
        assertEquals(everywhere[a[0]][a[1]], windowed[b[0]][b[1]], 1e-4, name + " token " + t);
        compared++;
      }
      assertTrue(compared > 10, name + ": " + compared + " tokens compared");
      // an entry there: its excerpt is the whole recording's, and it is drawn
      TokenPlace place = geo.place(1, audio[5], 0, whole.seconds());
      TopEntry e = new TopEntry(unit, 0, 1, 4, data.items().get(4).file(), "c4.wav", "a", 1.0,
          place);
      Listening l = ClipViews.of(model, Hooks.none(), data, List.of(e), Map.of(unit, 1.0), 0.5)
          .get(0);
      assertArrayEquals(Snippets.excerpt(whole, place, 0.5).samples(), l.excerpt().samples());
      assertTrue(l.picture().getWidth() > 300);
    }
  }
}
