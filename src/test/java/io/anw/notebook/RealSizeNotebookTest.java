package io.anw.notebook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.GcPressure;
import io.anw.RealSizeModels;
import io.anw.audio.Clip;
import io.anw.audio.WavFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A notebook cell that loads a float32 M2D ViT-B and runs it, under garbage-collector pressure. */
class RealSizeNotebookTest {
  @TempDir Path dir;

  @Test
  void aCellRunsAViTB() throws Exception {
    Path wav = dir.resolve("tone.wav");
    float[] x = new float[40000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000));
    }
    WavFile.write(wav, new Clip(x, 16000));
    Path nb = dir.resolve("vit-b.jsh");
    Files.writeString(nb, String.join("\n",
        "// %% [markdown]",
        "// # A real-size model",
        "// %%",
        "var model = WB.model(\"" + RealSizeModels.m2dPth() + "\");",
        "var nd = NDManager.newBaseManager();",
        "var lms = model.normalize(TorchArrays.of(nd, WB.logmel(WB.audio(\"" + wav + "\"))));",
        "var cache = model.runWithCache(lms, \"blocks.*.mlp.hook_post\");",
        "float[] e = WB.sceneEmbedding(model, lms);",
        "boolean finite = true;",
        "for (float v : e) finite &= Float.isFinite(v);",
        "System.out.println(\"dims \" + e.length + \" finite \" + finite + \" cached \""
            + " + cache.names().size());",
        ""));
    ExecutedNotebook run;
    try (GcPressure gc = GcPressure.start()) {
      run = NotebookRunner.run(nb, false, null);
    }
    assertFalse(run.failed(), run.toString());
    String out = run.cells().stream().map(Object::toString).reduce("", String::concat);
    assertTrue(out.contains("dims 3840 finite true cached 12"), out);
  }
}
