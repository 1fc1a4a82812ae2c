package io.anw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.WorkbenchException;
import io.anw.audio.SoundBank;
import io.anw.audio.SoundfontRenderer;
import io.anw.model.M2dViT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generations of sample models: names, and the next generation's recipe end to end (small). */
class SampleGenerationTest {
  @TempDir Path dir;

  @Test
  void everyModelNameBelongsToOneGeneration() {
    assertEquals(SampleGeneration.TINY, SampleGeneration.of("m2d-tiny"));
    assertEquals(SampleGeneration.SMALL, SampleGeneration.of("vit-sl-small"));
    assertEquals(SampleGeneration.SMALL, SampleGeneration.named("small"));
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> SampleModels.file(dir, "m2d-huge"));
    assertTrue(e.getMessage().contains("m2d-tiny") && e.getMessage().contains("m2d-small"),
        e.getMessage());
    assertTrue(SampleGeneration.SMALL.tasks().containsAll(List.of("pitch_fluid", "pitch_timgm")));
    assertEquals(List.of("m2d-small", "vit-sl-small", "random-small"),
        SampleGeneration.SMALL.models());
  }

  @Test
  void theNextGenerationTrainsOnRecordedInstrumentData() {
    Assumptions.assumeTrue(SoundBank.FLUID.available(), "skipped: " + SoundBank.FLUID.missing());
    Assumptions.assumeTrue(SoundfontRenderer.supported(), "skipped: the JVM lacks "
        + SoundfontRenderer.JVM_OPTION);
    SampleGeneration small = SampleGeneration.SMALL;
    // the same generation on little data in a temporary folder
    SampleGeneration few = new SampleGeneration(small.name(), dir.resolve("data"), small.bank(),
        20, small.tasks(), small.slTasks(), small.m2d(), small.sl(), small.random(), null);
    List<String> log = new ArrayList<>();
    var runs = SampleModels.train(few, SampleModels.Plan.check(), few.audioModels(),
        dir.resolve("models"), dir.resolve("reports"), log::add);
    assertEquals(2, runs.size(), "SL and M2D runs (random-init is not trained)");
    assertTrue(Files.isRegularFile(dir.resolve("data/pitch_fluid/labels.csv")));
    for (String name : few.audioModels()) {
      try (M2dViT m = SampleModels.load(dir.resolve("models"), name)) {
        assertEquals(name, m.name());
      }
    }
    assertThrows(WorkbenchException.class, () -> SampleModels.train(few,
        SampleModels.Plan.check(), List.of("m2d-tiny"), dir.resolve("x"), dir.resolve("y"),
        log::add), "a model of another generation");
  }
}
