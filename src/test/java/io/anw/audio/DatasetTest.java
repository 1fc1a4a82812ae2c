package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class DatasetTest {
  @TempDir Path tmp;

  private void wav(String rel, double hz, int rate, double seconds) {
    WavFile.write(tmp.resolve(rel), new Clip(Fixtures.sine(hz, rate, (int) (rate * seconds), 0.3), rate));
  }

  @Test
  void csvWithSplitAndMetadata() throws IOException {
    wav("a/1.wav", 440, 16000, 0.5);
    wav("a/2.wav", 440, 8000, 1.0);
    wav("b/3.wav", 880, 16000, 0.25);
    Files.writeString(tmp.resolve("labels.csv"), "file_name,label,split,speaker\n"
        + "a/1.wav,low,train,\"Smith, J\"\r\n" + "b/3.wav,high,test,x\n\n" + "a/2.wav,low,test,y\n");
    Dataset ds = Dataset.open(tmp.resolve("labels.csv"));
    assertEquals(List.of("high", "low"), ds.classes());
    assertEquals(List.of("test", "train"), ds.splits());
    assertEquals(tmp.resolve("a/1.wav"), ds.items().get(0).file());
    assertEquals("Smith, J", ds.items().get(0).metadata().get("speaker"));
    Clip c = ds.load(2);
    assertEquals(16000, c.sampleRate());
    assertEquals(16000, c.length());
    assertEquals("low", c.label());
    assertEquals("test", c.metadata().get("split"));
    assertEquals("y", c.metadata().get("speaker"));

    Table t = ds.summary();
    assertEquals(List.of("class", "clips", "seconds", "test", "train"), t.columnNames());
    assertEquals("high", t.stringColumn("class").get(0));
    assertEquals(2, t.intColumn("clips").get(1));
    assertEquals(1.5, t.doubleColumn("seconds").get(1), 1e-9);
    assertEquals(3, t.intColumn("clips").get(2));
    assertEquals(2, ds.split("test").size());
  }

  @Test
  void whereFiltersByAnyColumnAndCaptionsComeFromTheTextColumn() throws IOException {
    wav("a/1.wav", 440, 16000, 0.2);
    wav("a/2.wav", 440, 16000, 0.2);
    wav("b/3.wav", 880, 16000, 0.2);
    Files.writeString(tmp.resolve("c.csv"), "file_name,label,text,condition\n"
        + "a/1.wav,low,a low tone,both\n" + "a/2.wav,low,,audio\n" + "b/3.wav,high,high,both\n");
    Dataset ds = Dataset.open(tmp.resolve("c.csv"));
    assertEquals(List.of("a low tone", "", "high"), ds.captions());
    Dataset both = ds.where("condition", "both");
    assertEquals(2, both.size());
    assertEquals(ds.classes(), both.classes(), "the class list is kept");
    assertTrue(both.name().endsWith("[condition=both]"), both.name());
    assertEquals(1, ds.where("label", "high").size());
    WorkbenchException col = assertThrows(WorkbenchException.class,
        () -> ds.where("speaker", "x"));
    assertTrue(col.getMessage().contains("no column 'speaker' (has condition, label, split, text)"),
        col.getMessage());
    WorkbenchException val = assertThrows(WorkbenchException.class,
        () -> ds.where("condition", "text"));
    assertTrue(val.getMessage().contains("values: audio, both"), val.getMessage());
  }

  @Test
  void badRowsNameRowAndFile() throws IOException {
    wav("ok.wav", 440, 16000, 0.2);
    Files.writeString(tmp.resolve("junk.wav"), "not audio");
    Files.writeString(tmp.resolve("labels.csv"),
        "file_name,label\nok.wav,a\nmissing.wav,a\njunk.wav,b\nok.wav\n");
    WorkbenchException ex = assertThrows(WorkbenchException.class,
        () -> Dataset.open(tmp.resolve("labels.csv")));
    assertEquals("labels.csv row 3 (missing.wav): no such file", ex.getMessage());

    Dataset ds = Dataset.open(tmp.resolve("labels.csv"), DatasetOptions.defaults().withSkipBad(true));
    assertEquals(1, ds.size());
    List<String> problems = ds.problems().stream().map(Object::toString).toList();
    assertEquals(List.of("labels.csv row 3 (missing.wav): no such file",
        "labels.csv row 4 (junk.wav): not audio (neither WAV nor FLAC)",
        "labels.csv row 5 (ok.wav): 1 fields, header has 2"), problems);
  }

  @Test
  void csvNeedsTheEvarColumns() throws IOException {
    Files.writeString(tmp.resolve("x.csv"), "path,class\na.wav,b\n");
    WorkbenchException ex = assertThrows(WorkbenchException.class, () -> Dataset.open(tmp.resolve("x.csv")));
    assertTrue(ex.getMessage().contains("file_name and label"), ex.getMessage());
  }

  @Test
  void classFoldersWithStratifiedSeededSplit() {
    for (int i = 0; i < 10; i++) {
      wav("data/dog/" + i + ".wav", 300, 16000, 0.1);
      wav("data/cat/" + i + ".wav", 600, 16000, 0.1);
    }
    wav("data/bird/0.wav", 900, 16000, 0.1);
    DatasetOptions opts = DatasetOptions.defaults().withTestFraction(0.3).withSeed(7);
    Dataset a = Dataset.open(tmp.resolve("data"), opts);
    Dataset b = Dataset.open(tmp.resolve("data"), opts);
    Dataset c = Dataset.open(tmp.resolve("data"), opts.withSeed(8));
    assertEquals(List.of("bird", "cat", "dog"), a.classes());
    assertEquals(21, a.size());
    assertEquals("bird", a.items().get(0).label());
    assertEquals(tmp.resolve("data/cat/0.wav"), a.items().get(1).file());
    List<String> splitsA = a.items().stream().map(Dataset.Item::split).toList();
    assertEquals(splitsA, b.items().stream().map(Dataset.Item::split).toList());
    assertNotEquals(splitsA, c.items().stream().map(Dataset.Item::split).toList());
    Table t = a.summary();
    assertEquals(List.of(0, 3, 3, 6), t.intColumn("test").asList());
    assertEquals(List.of(1, 7, 7, 15), t.intColumn("train").asList());
  }

  @Test
  void streamsInOrderWithFixedLengthAndSkipsUndecodableFiles() throws IOException {
    StringBuilder csv = new StringBuilder("file_name,label\n");
    for (int i = 0; i < 12; i++) {
      wav(i + ".wav", 200 + 50 * i, 22050, 0.3 + 0.1 * i);
      csv.append(i).append(".wav,c").append(i % 3).append('\n');
    }
    Files.writeString(tmp.resolve("l.csv"), csv);
    DatasetOptions opts = DatasetOptions.defaults().withClipSeconds(1.0).withLoading(3, 2);
    Dataset ds = Dataset.open(tmp.resolve("l.csv"), opts.withSkipBad(true));
    Dataset strict = Dataset.open(tmp.resolve("l.csv"), opts);
    Files.delete(tmp.resolve("5.wav")); // disappears after opening: fails while loading
    List<Clip> clips = ds.loadAll();
    assertEquals(11, clips.size());
    for (Clip c : clips) {
      assertEquals(16000, c.length());
    }
    assertEquals(tmp.resolve("6.wav"), clips.get(5).source());
    assertEquals("c0", clips.get(5).label());
    assertEquals(List.of("l.csv row 7 (5.wav): no such file"),
        ds.problems().stream().map(Object::toString).toList());

    try (Stream<float[][]> mels = ds.stream(new LogMel(LogMelPreset.M2D_16K)::compute)) {
      assertEquals(11, mels.filter(m -> m[0].length == 101).count());
    }
    try (Stream<Clip> s = strict.stream()) {
      WorkbenchException ex = assertThrows(WorkbenchException.class, () -> s.forEach(c -> { }));
      assertTrue(ex.getMessage().contains("5.wav"));
    }
  }
}
