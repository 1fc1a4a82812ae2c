package io.anw.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How the sample tasks play notes from a soundfont of recorded instruments: each note varied
 * (velocity 40–127, key held 0.3–0.9 s, reverb send 0–70), rendered by
 * {@link SoundfontRenderer}, then pink noise 30–45 dB below it and a level of −20 ± 3 dBFS;
 * the choices go into each clip's metadata.
 */
final class RecordedNotes {
  private final List<SoundfontRenderer.Note> notes = new ArrayList<>();
  private final List<Map<String, String>> metas = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();

  /**
   * Why notes of {@code bank} cannot be rendered on this machine (its file missing, or the JVM
   * without Gervill's stream), or empty; always empty for no bank (the JDK's default).
   */
  static java.util.Optional<String> unavailable(SoundBank bank) {
    if (bank == null) {
      return java.util.Optional.empty();
    }
    if (!bank.available()) {
      return java.util.Optional.of(bank.missing());
    }
    return SoundfontRenderer.supported() ? java.util.Optional.empty()
        : java.util.Optional.of("the JVM lacks " + SoundfontRenderer.JVM_OPTION);
  }

  /** Adds a note of {@code program} at {@code key}, varied by {@code rng}, labelled {@code label}. */
  void add(Random rng, int program, int key, String label, Map<String, String> meta) {
    int velocity = 40 + rng.nextInt(88);
    double hold = 0.3 + 0.6 * rng.nextDouble();
    int reverb = rng.nextInt(71);
    meta.put("program", Integer.toString(program));
    meta.put("velocity", Integer.toString(velocity));
    meta.put("hold_s", String.format(Locale.ROOT, "%.2f", hold));
    meta.put("reverb", Integer.toString(reverb));
    notes.add(new SoundfontRenderer.Note(program, key, velocity, hold, reverb));
    metas.add(meta);
    labels.add(label);
  }

  /** The notes added so far as clips of {@code seconds} at {@code rate} Hz, in order. */
  List<Clip> render(SoundBank bank, Random rng, double seconds, int rate) {
    List<float[]> audio = SoundfontRenderer.render(bank, notes, seconds, rate);
    List<Clip> out = new ArrayList<>();
    for (int i = 0; i < audio.size(); i++) {
      float[] note = Synth.level(Synth.fade(audio.get(i), rate, 0.005), -20);
      double snr = 30 + 15 * rng.nextDouble();
      float[] noise = Synth.level(Synth.pinkNoise(rng, note.length), -20 - snr);
      for (int k = 0; k < note.length; k++) {
        note[k] += noise[k];
      }
      Map<String, String> meta = metas.get(i);
      meta.put("bank", bank.name());
      meta.put("snr_db", String.format(Locale.ROOT, "%.1f", snr));
      out.add(new Clip(Synth.level(note, -20 + 6 * (rng.nextDouble() - 0.5)), rate,
          labels.get(i), null, meta));
    }
    return out;
  }
}
