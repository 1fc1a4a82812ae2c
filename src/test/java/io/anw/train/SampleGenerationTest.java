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
    assertEquals(List.of("m2d-small", "vit-sl-small", "random-small", "audio-text-small"),
        SampleGeneration.SMALL.models());
    // the pre-registered second attempt shares the small generation's data and controls
    assertEquals(SampleGeneration.SMALL_LONG, SampleGeneration.of("m2d-small-long"));
    assertEquals(List.of("m2d-small-long", "vit-sl-small", "random-small"),
        SampleGeneration.SMALL_LONG.audioModels());
    assertEquals(SampleGeneration.SMALL.dataDir(), SampleGeneration.SMALL_LONG.dataDir());
    assertEquals(3 * SampleModels.Plan.small().sslSteps(),
        SampleModels.Plan.smallLong().sslSteps());
    // scripts: a check run uses the small models, all the tiny ones; results go to
    // out/BASE[/GENERATION]
    assertEquals(SampleGeneration.SMALL, SampleGeneration.forScript("check"));
    assertEquals(SampleGeneration.TINY, SampleGeneration.forScript("all"));
    assertEquals(SampleGeneration.SMALL_LONG, SampleGeneration.forScript("small-long"));
    assertEquals(Path.of("out", "rq1"), SampleGeneration.TINY.outDir("rq1"));
    assertEquals(Path.of("out", "rq1", "small"), SampleGeneration.SMALL.outDir("rq1"));
    // each model listed once, shared ones under their first generation
    var index = SampleModels.index();
    List<String> names = index.stringColumn("name").asList();
    assertEquals(names.size(), new java.util.HashSet<>(names).size(), names.toString());
  }

  @Test
  void theNextGenerationTrainsOnRecordedInstrumentData() {
    Assumptions.assumeTrue(SoundBank.FLUID.available(), "skipped: " + SoundBank.FLUID.missing());
    Assumptions.assumeTrue(SoundfontRenderer.supported(), "skipped: the JVM lacks "
        + SoundfontRenderer.JVM_OPTION);
    SampleGeneration small = SampleGeneration.SMALL;
    // the same generation on little data in a temporary folder
    SampleGeneration few = new SampleGeneration(small.name(), dir.resolve("data"), small.bank(),
        20, small.tasks(), small.slTasks(), small.m2d(), small.sl(), small.random(),
        small.audioText());
    List<String> log = new ArrayList<>();
    var runs = SampleModels.train(few, SampleModels.Plan.check(), few.models(),
        dir.resolve("models"), dir.resolve("reports"), log::add);
    assertEquals(3, runs.size(), "SL, M2D and audio-text runs (random-init is not trained)");
    assertTrue(Files.isRegularFile(dir.resolve("data/pitch_fluid/labels.csv")));
    for (String name : few.models()) {
      try (M2dViT m = SampleModels.load(dir.resolve("models"), name)) {
        assertEquals(name, m.name());
      }
    }
    try (M2dViT at = SampleModels.load(dir.resolve("models"), few.audioText())) {
      assertTrue(at.textPathway().isPresent(), "the audio-text model reads captions");
    }
    assertThrows(WorkbenchException.class, () -> SampleModels.train(few,
        SampleModels.Plan.check(), List.of("m2d-tiny"), dir.resolve("x"), dir.resolve("y"),
        log::add), "a model of another generation");
  }
}
