package io.anw.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.WorkbenchException;
import io.anw.audio.Dataset;
import io.anw.model.AdamW;
import io.anw.model.ChunkPlan;
import io.anw.model.HfAudioModel;
import io.anw.model.TokenGroup;
import io.anw.model.VitEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a Hugging Face-family model (HuBERT, wav2vec 2.0, Whisper's encoder, AST) in place
 * with labels, through the same forward code the hooked model runs: the mean of the last
 * hidden state over the tokens that cover audio, a linear head (made here, not kept), softmax
 * cross-entropy, AdamW. Every encoder parameter is trained except the fixed positions
 * (wav2vec 2.0 / HuBERT's convolutional positions, Whisper's sinusoids). Clips are read once
 * and batched among clips of equal length (one chunk at most each). Meant for brief runs that
 * make small sample models whose neurons mean something; the batches, head and order come
 * from the seed.
 */
public final class HfSupervised {
  private HfSupervised() {}

  /** Parameters left as loaded: fixed position tables and the weight-normed position conv. */
  static boolean fixed(String name) {
    return name.contains("pos_conv_embed") || name.contains("embed_positions")
        || name.contains("masked_spec_embed");
  }

  /**
   * Trains {@code model} in place on the labelled clips of {@code data}.
   *
   * @param name the model's name in the report
   * @param log progress lines (every {@code s.logEvery()} steps)
   * @throws WorkbenchException for fewer than two classes or a clip longer than a chunk
   */
  public static TrainingRun train(String name, HfAudioModel model, Dataset data,
      Trainers.Settings s, Consumer<String> log) {
    GradMode.disableOnCurrentThread();
    List<String> classes = data.classes();
    if (classes.size() < 2) {
      throw new WorkbenchException(data.name() + ": supervised training needs two classes or"
          + " more, found " + classes.size());
    }
    int n = data.size();
    float[][] inputs = new float[n][];
    int[] labels = new int[n];
    Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      inputs[i] = model.input(data.load(i))[0];
      if (inputs[i].length > model.chunkSamples()) {
        throw new WorkbenchException(data.items().get(i).file() + ": longer than one chunk ("
            + model.chunkSamples() / 16000.0 + " s); train on shorter clips");
      }
      labels[i] = classes.indexOf(data.items().get(i).label());
      byLength.computeIfAbsent(inputs[i].length, k -> new ArrayList<>()).add(i);
    }
    Random rnd = new Random(s.seed());
    int width = model.config().width();
    int k = classes.size();
    Map<String, NDArray> trained = new LinkedHashMap<>();
    model.parameters().forEach((key, a) -> {
      if (!fixed(key)) {
        trained.put(key, a);
      }
    });
    long scalars = trained.values().stream().mapToLong(a -> a.getShape().size()).sum();
    NDManager owner = model.parameters().values().iterator().next().getManager();
    float[] losses = new float[s.steps()];
    double[] accuracy = new double[s.steps()];
    long t0 = System.nanoTime();
    try (NDManager m = owner.newSubManager()) {
      Map<String, NDArray> head = new LinkedHashMap<>();
      head.put("head.weight", TorchArrays.of(m, TrainableViT.xavier(rnd, k * width, width, k),
          new Shape(k, width)));
      head.put("head.bias", m.zeros(new Shape(k)));
      Map<String, NDArray> all = new LinkedHashMap<>(trained);
      all.putAll(head);
      all.values().forEach(a -> a.setRequiresGradient(true));
      try (AdamW opt = new AdamW(all, 0.9, 0.999, s.weightDecay(), m)) {
        for (int step = 0; step < s.steps(); step++) {
          int[] idx = batch(byLength, inputs, rnd, s.batch());
          float[][] rows = new float[idx.length][];
          float[] onehot = new float[idx.length * k];
          for (int b = 0; b < idx.length; b++) {
            rows[b] = inputs[idx[b]];
            onehot[b * k + labels[idx[b]]] = 1;
          }
          try (NDManager scope = m.newSubManager()) {
            NDArray x = model.familyInput(rows, scope);
            NDArray target = TorchArrays.of(scope, onehot, new Shape(idx.length, k));
            ChunkPlan.Chunk chunk = model.plan(rows[0].length).chunks().get(0);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray h = model.hiddenStates(x); // [B, tokens, width]
              long tokens = h.getShape().get(1);
              int[] audio = model.tokenPositions(TokenGroup.AUDIO, chunk, tokens);
              float[] mask = new float[(int) tokens];
              for (int t : audio) {
                mask[t] = 1f / audio.length;
              }
              NDArray feat = h.mul(TorchArrays.of(scope, mask, new Shape(1, tokens, 1)))
                  .sum(new int[] {1});
              NDArray logits = VitEncoder.linear(feat, head, "head");
              NDArray loss = io.anw.model.Losses.crossEntropy(logits, target);
              gc.backward(loss);
              losses[step] = loss.getFloat();
              if (!Float.isFinite(losses[step])) {
                throw new WorkbenchException(name + ": the loss is " + losses[step]
                    + " at step " + step + "; lower the learning rate");
              }
              long[] pred = logits.argMax(-1).toLongArray();
              int ok = 0;
              for (int b = 0; b < idx.length; b++) {
                ok += pred[b] == labels[idx[b]] ? 1 : 0;
              }
              accuracy[step] = ok / (double) idx.length;
            }
            opt.step(s.lrAt(step));
          }
          if (s.logEvery() > 0 && ((step + 1) % s.logEvery() == 0 || step + 1 == s.steps())) {
            log.accept(String.format(Locale.ROOT, "%s step %d/%d loss %.4f train acc %.2f",
                name, step + 1, s.steps(), mean(losses, step, 20), mean(accuracy, step, 20)));
          }
        }
      } finally {
        all.values().forEach(a -> a.setRequiresGradient(false));
      }
    }
    GradMode.disableOnCurrentThread();
    double wall = (System.nanoTime() - t0) / 1e9;
    return new TrainingRun(name, "supervised", s, wall, losses, data.listHash(), n, scalars,
        List.of(org.apache.commons.text.WordUtils.wrap(k + " classes: " + String.join(", ",
            classes), 100, "\n  ", false), "mean of the last hidden state over the audio tokens,"
            + " linear head (not kept); fixed: the position tables",
            String.format(Locale.ROOT, "final training accuracy (last 20 steps): %.3f",
                mean(accuracy, s.steps() - 1, 20))));
  }

  /** A batch of clips of one length: a random clip's length group, drawn with replacement. */
  private static int[] batch(Map<Integer, List<Integer>> byLength, float[][] inputs,
      Random rnd, int size) {
    int first = rnd.nextInt(inputs.length);
    List<Integer> group = byLength.get(inputs[first].length);
    int[] idx = new int[Math.min(size, group.size())];
    idx[0] = first;
    for (int b = 1; b < idx.length; b++) {
      idx[b] = group.get(rnd.nextInt(group.size()));
    }
    return idx;
  }

  private static double mean(float[] v, int upTo, int window) {
    double sum = 0;
    int from = Math.max(0, upTo - window + 1);
    for (int i = from; i <= upTo; i++) {
      sum += v[i];
    }
    return sum / (upTo - from + 1);
  }

  private static double mean(double[] v, int upTo, int window) {
    double sum = 0;
    int from = Math.max(0, upTo - window + 1);
    for (int i = from; i <= upTo; i++) {
      sum += v[i];
    }
    return sum / (upTo - from + 1);
  }
}
