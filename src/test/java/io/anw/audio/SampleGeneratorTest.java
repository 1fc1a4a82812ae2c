package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class SampleGeneratorTest {
  @TempDir Path tmp;

  @Test
  void sameSeedSameBytesAndLoadableDatasets() throws IOException {
    List<String> log = new ArrayList<>();
    Table index = SampleGenerator.generate(tmp.resolve("a"), 5, 10, s -> {
      synchronized (log) {
        log.add(s);
      }
    });
    SampleGenerator.generate(tmp.resolve("b"), 5, 10, s -> { });
    boolean speech = Espeak.find().isPresent();
    assertEquals(speech ? 7 : 5, index.rowCount());
    assertEquals(7, log.size(), String.join("\n", log));
    assertTrue(SampleGenerator.exists(tmp.resolve("a")));
    assertEquals(index.stringColumn("task").asList(),
        SampleGenerator.index(tmp.resolve("a")).stringColumn("task").asList());

    List<Path> files = list(tmp.resolve("a"));
    assertEquals(files, list(tmp.resolve("b")));
    for (Path rel : files) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(rel)),
          Files.readAllBytes(tmp.resolve("b").resolve(rel)), rel.toString());
    }

    for (SampleTask task : SampleGenerator.tasks()) {
      if (task.unavailable().isPresent()) {
        continue;
      }
      Dataset ds = Dataset.open(tmp.resolve("a").resolve(task.name()).resolve(SampleGenerator.LABELS));
      assertEquals(task.classes().stream().sorted().toList(), ds.classes(), task.name());
      Clip c = ds.load(0);
      assertEquals(16000, c.sampleRate());
      assertTrue(c.rms() > 0.005, task.name() + " clip is silent: " + c);
      assertEquals(ds.classes(), Dataset.open(tmp.resolve("a").resolve(task.name())).classes());
    }
  }

  @Test
  void anotherSeedGivesOtherAudio() throws IOException {
    List<SampleTask> synth = List.of(new PitchOctaveTask(PitchOctaveTask.Method.SYNTH));
    SampleGenerator.generate(tmp.resolve("a"), 1, 5, synth, s -> { });
    SampleGenerator.generate(tmp.resolve("b"), 2, 5, synth, s -> { });
    Path rel = Path.of("pitch_synth", "octave4", "octave4-000.wav");
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("a").resolve(rel)),
        Files.readAllBytes(tmp.resolve("b").resolve(rel))));
  }

  @Test
  void unavailableTasksAreSkippedWithAMessage() {
    SampleTask texture = new TextureTask();
    SampleTask missing = new SampleTask() {
      @Override
      public String name() {
        return "texture";
      }

      @Override
      public String description() {
        return texture.description();
      }

      @Override
      public List<String> classes() {
        return texture.classes();
      }

      @Override
      public List<Clip> make(long seed, int perClass) {
        throw new AssertionError("an unavailable task must not run");
      }

      @Override
      public Optional<String> unavailable() {
        return Optional.of("needs a tool that is not installed");
      }
    };
    List<String> log = new ArrayList<>();
    Table index = SampleGenerator.generate(tmp, 1, 6, List.of(missing, texture), log::add);
    assertEquals(List.of("texture"), index.stringColumn("task").asList());
    assertEquals("texture: skipped, needs a tool that is not installed", log.get(0));
  }

  @Test
  void captionedNotesCarryRegisterAndSourceAsTheConditionSays() {
    PitchCaptionTask task = new PitchCaptionTask();
    List<Clip> clips = task.make(3, 20);
    assertEquals(6 * 20, clips.size());
    java.util.Map<String, Integer> conditions = new java.util.TreeMap<>();
    for (Clip c : clips) {
      var m = c.metadata();
      String[] label = c.label().split("_");
      String caption = m.get("text");
      List<String> words = List.of(caption.split(" "));
      conditions.merge(m.get("condition"), 1, Integer::sum);
      assertTrue(words.size() <= 4 && PitchCaptionTask.WORDS.containsAll(
          caption.isEmpty() ? List.of() : words), caption);
      assertTrue(words.contains(label[1]), "the caption names the source: " + caption);
      assertEquals(label[1], m.get("source"));
      switch (m.get("condition")) {
        case "both" -> {
          assertEquals(label[0], m.get("audio_register"));
          assertTrue(words.contains(label[0]), caption);
        }
        case "audio" -> {
          assertEquals(label[0], m.get("audio_register"));
          assertTrue(!words.contains("low") && !words.contains("high"), caption);
        }
        case "text" -> {
          assertEquals("none", m.get("audio_register"));
          assertTrue(m.containsKey("noise") && words.contains(label[0]), caption);
        }
        case "conflict" -> {
          assertEquals(label[0], m.get("audio_register"), "the sound wins");
          assertTrue(!words.contains(label[0]) && !m.get("text_register").equals(label[0]),
              caption);
        }
        default -> throw new AssertionError(m.get("condition"));
      }
    }
    assertEquals(java.util.Map.of("audio", 30, "both", 48, "conflict", 18, "text", 24),
        conditions);
    assertTrue(clips.stream().noneMatch(c -> c.metadata().get("text").startsWith("a a")));
  }

  @Test
  void aMissingTaskIsGeneratedAloneAndTheIndexKeepsTheOthers() throws IOException {
    Path out = tmp.resolve("d");
    SampleGenerator.generate(out, 1, 10, List.of(new TextureTask()), s -> { });
    Path csv = SampleGenerator.ensure(out, "pitch_caption", s -> { });
    assertTrue(Files.isRegularFile(csv));
    assertEquals(List.of("texture", "pitch_caption"),
        SampleGenerator.index(out).stringColumn("task").asList());
    assertEquals(csv, SampleGenerator.ensure(out, "pitch_caption", s -> {
      throw new AssertionError("already there: " + s);
    }));
    io.anw.WorkbenchException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.anw.WorkbenchException.class, () -> SampleGenerator.ensure(out, "nope", s -> { }));
    assertTrue(e.getMessage().contains("pitch_caption"), e.getMessage());
  }

  @Test
  void midiNotesHaveTheirPitch() {
    // Piano, violin and flute notes on A2 and A4: the first strong autocorrelation peak is the period.
    List<MidiRenderer.Note> notes = new ArrayList<>();
    for (int program : new int[] {0, 40, 73}) {
      notes.add(new MidiRenderer.Note(program, 45, 100));
      notes.add(new MidiRenderer.Note(program, 69, 100));
    }
    List<float[]> audio = MidiRenderer.render(notes, 0.5, 0.5, 16000);
    for (int i = 0; i < notes.size(); i++) {
      double expected = Synth.midiToHz(notes.get(i).key());
      double f0 = 16000.0 / period(audio.get(i), 1600, 4800);
      assertEquals(expected, f0, expected * 0.03, notes.get(i).toString());
    }
  }

  /** The first lag whose autocorrelation is a local maximum above 80% of the largest one. */
  private static int period(float[] x, int from, int n) {
    double[] r = new double[401];
    double max = 0;
    for (int lag = 20; lag <= 400; lag++) {
      for (int i = from; i < from + n; i++) {
        r[lag] += x[i] * x[i + lag];
      }
      max = Math.max(max, r[lag]);
    }
    for (int lag = 21; lag < 400; lag++) {
      if (r[lag] >= 0.8 * max && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
        return lag;
      }
    }
    return 400;
  }

  private static List<Path> list(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
