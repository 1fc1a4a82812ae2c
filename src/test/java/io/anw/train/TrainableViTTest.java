package io.anw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import io.anw.model.AdamW;
import io.anw.GradMode;
import io.anw.model.M2dViT;
import io.anw.model.ModelOutput;
import io.anw.model.NormStats;
import io.anw.model.VitDims;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The trainable twin computes what the hooked model computes, and its optimiser learns. */
class TrainableViTTest {
  private static final VitDims TINY = TrainableViT.dims(2, 64, 2, 128, 48);

  /** Every parameter moved away from its (symmetric) initial value, so the check is strict. */
  private static void perturb(TrainableViT vit, long seed) {
    GradMode.disableOnCurrentThread();
    Random rnd = new Random(seed);
    for (NDArray p : vit.stateDict().values()) {
      float[] noise = TrainableViT.normal(rnd, (int) p.getShape().size(), 0.1f);
      p.addi(p.getManager().create(noise, p.getShape()));
    }
  }

  private static NDArray input(NDManager m, int batch, int frames, long seed) {
    return m.create(TrainableViT.normal(new Random(seed), batch * 80 * frames, 1f),
        new Shape(batch, 1, 80, frames));
  }

  @Test
  void forwardEqualsTheHookedModelForTheSameWeights() {
    try (NDManager m = NDManager.newBaseManager()) {
      GradMode.disableOnCurrentThread();
      TrainableViT vit = TrainableViT.init(TINY, 3, m);
      perturb(vit, 4);
      try (M2dViT model = vit.toM2d("twin", new NormStats(0, 1), m)) {
        for (int frames : new int[] {48, 32}) {
          NDArray x = input(m, 2, frames, frames);
          NDArray out = vit.forward(x);
          long tp = frames / 16;
          assertEquals(new Shape(2, 1 + 5 * tp, 64), out.getShape());
          try (ModelOutput ref = model.run(x)) {
            NDArray cls = out.get(":, 0, :").reshape(2, 1, 64);
            NDArray features = out.get(":, 1:, :").reshape(2, 5, tp, 64).transpose(0, 2, 1, 3)
                .reshape(2, tp, 5 * 64);
            float cDiff = cls.sub(ref.cls()).abs().max().getFloat();
            float fDiff = features.sub(ref.features()).abs().max().getFloat();
            assertTrue(cDiff < 1e-5, "CLS differs by " + cDiff);
            assertTrue(fDiff < 1e-5, "features differ by " + fDiff);
            assertTrue(out.abs().max().getFloat() > 0.1f, "outputs are not trivially zero");
          }
        }
      }
    }
  }

  @Test
  void withATextPathwayTheForwardEqualsTheHookedAudioTextModel() {
    try (NDManager m = NDManager.newBaseManager()) {
      GradMode.disableOnCurrentThread();
      io.anw.model.TextVocabulary words = io.anw.model.TextVocabulary.of("low", "high", "note");
      TrainableViT vit = TrainableViT.init(TINY, 3, m).addTextPathway(words, 3, 7);
      perturb(vit, 5);
      try (M2dViT model = vit.toM2d("twin-text", new NormStats(0, 1), m)) {
        assertEquals(java.util.List.of("audio", "text"), model.inputParts());
        NDArray x = input(m, 2, 32, 1);
        NDArray ids = m.create(new long[] {2, 4, 0, 3, 1, 4}, new Shape(2, 3));
        NDArray out = vit.forward(x, ids);
        assertEquals(new Shape(2, 1 + 5 * 2 + 3, 64), out.getShape());
        try (io.anw.model.ActivationCache ref = model.run(io.anw.model.PartedInput.of(x, ids),
            io.anw.model.Hooks.none(), "hook_final")) {
          float diff = out.sub(ref.get("hook_final", 0)).abs().max().getFloat();
          assertTrue(diff < 1e-5, "all tokens, caption tokens included, differ by " + diff);
        }
        try (TrainableViT back = TrainableViT.of(model, m)) {
          assertEquals(words, back.vocabulary());
          assertEquals(3, back.textLength());
          float d2 = back.forward(x, ids).sub(out).abs().max().getFloat();
          assertTrue(d2 < 1e-6, "a copy of the hooked model keeps the text pathway: " + d2);
        }
      }
    }
  }

  @Test
  void sameSeedSameWeightsAndSinCosPositions() {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableViT a = TrainableViT.init(TINY, 11, m);
      TrainableViT b = TrainableViT.init(TINY, 11, m);
      TrainableViT c = TrainableViT.init(TINY, 12, m);
      String k = "blocks.1.mlp.fc1.weight";
      assertTrue(a.stateDict().get(k).contentEquals(b.stateDict().get(k)));
      assertTrue(!a.stateDict().get(k).contentEquals(c.stateDict().get(k)));
      // sin-cos table: row 0 (CLS) zero, every patch row distinct, values in [-1, 1]
      float[] pos = TrainableViT.sinCos2d(64, 5, 3, true);
      for (int i = 0; i < 64; i++) {
        assertEquals(0f, pos[i]);
      }
      assertEquals(1f, pos[64 + 16], 1e-6, "cos(0) of the time half at t=0");
      assertTrue(!a.trainable().containsKey("pos_embed"));
      assertEquals(a.stateDict().size() - 1, a.trainable().size());
    }
  }

  @Test
  void adamWLowersALossAndZeroesGradients() {
    try (NDManager m = NDManager.newBaseManager()) {
      GradMode.disableOnCurrentThread();
      TrainableViT vit = TrainableViT.init(TINY, 5, m);
      NDArray x = input(m, 4, 32, 9);
      NDArray target = m.create(TrainableViT.normal(new Random(10), 4 * 64, 1f),
          new Shape(4, 64));
      float first = 0;
      float last = 0;
      try (AdamW opt = new AdamW(vit.trainable(), 0.9, 0.95, 0.05, m)) {
        for (int step = 0; step < 15; step++) {
          try (NDManager s = m.newSubManager()) {
            NDArray xs = x.duplicate();
            xs.attach(s);
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray out = vit.forward(xs).get(":, 0, :");
              NDArray l = out.sub(target).square().mean();
              gc.backward(l);
              loss = l.getFloat();
            }
            if (step == 0) {
              first = loss;
              assertTrue(vit.trainable().get("blocks.0.mlp.fc1.weight").getGradient().abs()
                  .sum().getFloat() > 0, "backward left gradients");
            }
            last = loss;
            opt.step(3e-3);
            assertEquals(0f, vit.trainable().get("blocks.0.mlp.fc1.weight").getGradient().abs()
                .sum().getFloat(), "gradients zeroed after the step");
          }
        }
        assertEquals(15, opt.steps());
      }
      assertTrue(last < 0.5f * first, "loss " + first + " -> " + last);
    }
  }
}
