package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.model.M2dViT;
import io.anw.model.ModelOutput;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model part of the REPL facade. */
class WBModelTest {

  @Test
  void zeroingThreeNeuronsChangesTheSceneEmbedding() {
    try (M2dViT model = WB.randomM2d(2, 64, 128); NDManager m = NDManager.newBaseManager()) {
      assertEquals(2 + 2 * 11, WB.hookNames(model).size());
      assertTrue(WB.hookNames(model).contains("blocks.1.mlp.hook_post"));
      NDArray lms = m.randomNormal(0, 1, new Shape(80, 300), DataType.FLOAT32);
      float[] scene = WB.sceneEmbedding(model, lms);
      assertEquals(5 * 64, scene.length);
      try (ModelOutput ablated = model.runWithHooks(lms, WB.zeroNeurons(1, 3, 4, 5))) {
        assertFalse(Arrays.equals(scene, ablated.sceneEmbedding().toFloatArray()));
      }
    }
  }

  @Test
  void aHuggingFaceFolderTrainsBrieflyAndIsWrittenAsAFolder(@TempDir Path tmp) throws Exception {
    Path csv = io.anw.audio.SampleGenerator.ensure(io.anw.audio.SampleGenerator.DEFAULT_OUT,
        "pitch_synth", s -> { });
    io.anw.audio.Dataset train = io.anw.audio.Dataset.open(csv).split("train");
    Path out = tmp.resolve("w2v-sl");
    try (io.anw.model.HfAudioModel m = WB.audioModel("samples/models/wav2vec2-tiny")) {
      io.anw.train.TrainingRun run = WB.train(m, train, 6, out.toString());
      assertEquals(6, run.losses().length);
      assertTrue(run.toString().startsWith("model: w2v-sl"), run.toString());
    }
    assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    assertTrue(Files.isRegularFile(out.resolve("w2v-sl-training.txt")));
    try (io.anw.model.AudioModel back = WB.model(out.toString())) {
      assertEquals(2, back.layers());
    }
  }

  @Test
  void modelMethodsCarryHelpInTheModelGroup() {
    for (String name : new String[] {"m2d", "randomM2d", "hookNames", "zeroNeurons",
        "sceneEmbedding", "benchForward", "train"}) {
      Method method = Arrays.stream(WB.class.getMethods()).filter(x -> x.getName().equals(name))
          .findFirst().orElseThrow();
      Help help = method.getAnnotation(Help.class);
      assertNotNull(help, name);
      assertEquals("model", help.group(), name);
      assertFalse(help.example().isBlank(), name);
    }
  }
}
