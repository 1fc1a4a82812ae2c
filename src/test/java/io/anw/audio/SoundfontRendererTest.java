package io.anw.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.WorkbenchException;
import java.nio.file.Path;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Notes rendered with Debian's recorded-instrument soundfonts: pitch, determinism, banks. */
class SoundfontRendererTest {
  private static final int RATE = 16_000;

  private static void need(SoundBank bank) {
    Assumptions.assumeTrue(bank.available(), "soundfont test skipped: " + bank.missing());
    Assumptions.assumeTrue(SoundfontRenderer.supported(), "soundfont test skipped: the JVM lacks "
        + SoundfontRenderer.JVM_OPTION);
  }

  /** f0 by the harmonic product spectrum (3 harmonics) between 60 and 2000 Hz. */
  static double f0(float[] x) {
    int n = 16_384;
    double[] buf = new double[2 * n];
    int from = Math.min(x.length - 1, RATE / 10); // skip the attack
    for (int i = 0; i < n && from + i < x.length; i++) {
      double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
      buf[2 * i] = x[from + i] * w;
    }
    new DoubleFFT_1D(n).complexForward(buf);
    double[] mag = new double[n / 2];
    for (int k = 0; k < n / 2; k++) {
      mag[k] = Math.hypot(buf[2 * k], buf[2 * k + 1]);
    }
    double hz = RATE / (double) n;
    int best = -1;
    double bestV = -1;
    for (int k = (int) (60 / hz); k < 2000 / hz && 3 * k < mag.length; k++) {
      double v = mag[k] * mag[2 * k] * mag[3 * k];
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    return best * hz;
  }

  private static double rms(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v * (double) v;
    }
    return Math.sqrt(s / x.length);
  }

  @Test
  void aPianoA4SoundsAt440HzAndRendersTheSameTwice() {
    need(SoundBank.FLUID);
    List<SoundfontRenderer.Note> notes = List.of(new SoundfontRenderer.Note(0, 69, 100, 0.8, 0),
        new SoundfontRenderer.Note(40, 57, 90, 0.8, 40));
    List<float[]> a = SoundfontRenderer.render(SoundBank.FLUID, notes, 1.5, RATE);
    List<float[]> b = SoundfontRenderer.render(SoundBank.FLUID, notes, 1.5, RATE);
    assertEquals(2, a.size());
    assertEquals(24_000, a.get(0).length);
    assertArrayEquals(a.get(0), b.get(0), "deterministic");
    assertArrayEquals(a.get(1), b.get(1), "deterministic");
    assertTrue(rms(a.get(0)) > 0.01, "audible: " + rms(a.get(0)));
    assertEquals(440, f0(a.get(0)), 440 * 0.03, "piano A4");
    assertEquals(220, f0(a.get(1)), 220 * 0.03, "violin A3");
  }

  @Test
  void twoBanksGiveTheSamePitchInDifferentSounds() {
    need(SoundBank.FLUID);
    need(SoundBank.TIMGM);
    List<SoundfontRenderer.Note> note = List.of(new SoundfontRenderer.Note(0, 60, 100, 0.8, 0));
    float[] fluid = SoundfontRenderer.render(SoundBank.FLUID, note, 1.0, RATE).get(0);
    float[] tim = SoundfontRenderer.render(SoundBank.TIMGM, note, 1.0, RATE).get(0);
    assertEquals(261.6, f0(fluid), 261.6 * 0.03);
    assertEquals(261.6, f0(tim), 261.6 * 0.03);
    double dot = 0;
    for (int i = 0; i < fluid.length; i++) {
      dot += fluid[i] * (double) tim[i];
    }
    double corr = dot / (rms(fluid) * rms(tim) * fluid.length);
    assertTrue(corr < 0.9, "two recordings, not one: correlation " + corr);
  }

  @Test
  void banksAreNamedOrFilesAndAMissingOneSaysWhichPackage() {
    assertEquals(SoundBank.FLUID, SoundBank.of("FLUID"));
    assertEquals("x.sf2", SoundBank.of("/tmp/x.sf2").name());
    assertThrows(WorkbenchException.class, () -> SoundBank.of("piano"));
    SoundBank gone = new SoundBank("gone", Path.of("/nonexistent/Gone.sf2"), "gone-soundfont");
    WorkbenchException e = assertThrows(WorkbenchException.class, gone::load);
    assertTrue(e.getMessage().contains("apt-get install gone-soundfont"), e.getMessage());
  }

  @Test
  void theInstrumentTaskFromASoundfontIsVariedLabelledAndReproducible() {
    need(SoundBank.FLUID);
    InstrumentFamilyTask task = new InstrumentFamilyTask(SoundBank.FLUID);
    List<Clip> a = task.make(7, 2);
    List<Clip> b = task.make(7, 2);
    assertEquals(2 * task.classes().size(), a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).samples(), b.get(i).samples(), "same seed, same audio");
      assertEquals("fluid", a.get(i).metadata().get("bank"));
      assertTrue(rms(a.get(i).samples()) > 0.03, "audible " + a.get(i).metadata());
    }
    assertEquals(java.util.Set.copyOf(task.classes()),
        a.stream().map(Clip::label).collect(java.util.stream.Collectors.toSet()));
    long velocities = a.stream().map(c -> c.metadata().get("velocity")).distinct().count();
    assertTrue(velocities > 5, "velocities vary");
  }

  @Test
  void pitchNotesFromASoundfontHaveTheirLabelledPitchAndTheTaskIsNamedByBank() {
    need(SoundBank.FLUID);
    PitchOctaveTask task = new PitchOctaveTask(SoundBank.FLUID);
    assertEquals("pitch_fluid", task.name());
    List<Clip> clips = task.make(11, 4);
    assertEquals(20, clips.size());
    int right = 0;
    for (Clip c : clips) {
      double want = Double.parseDouble(c.metadata().get("f0_hz"));
      double got = f0(c.samples());
      right += Math.abs(got - want) <= 0.03 * want ? 1 : 0;
    }
    // harmonic-product estimates miss some low or noisy notes; most must match their label
    assertTrue(right >= 14, right + " of 20 notes at their labelled f0");
    List<String> names = SampleGenerator.tasks(SoundBank.FLUID).stream().map(SampleTask::name)
        .toList();
    assertTrue(names.contains("pitch_synth") && names.contains("pitch_fluid")
        && !names.contains("pitch_midi"), names.toString());
  }
}
