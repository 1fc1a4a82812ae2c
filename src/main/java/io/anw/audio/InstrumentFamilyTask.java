package io.anw.audio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Instrument family: notes of General MIDI programs labelled by their GM family (programs come
 * in families of eight: 0–7 piano, 8–15 chromatic percussion, ...), rendered with the JDK's
 * software synthesizer and its default bank, or with a named soundfont of recorded instruments
 * ({@link SoundBank}), varied in program, velocity, duration and reverb and with light noise.
 */
public final class InstrumentFamilyTask implements SampleTask {
  private final SoundBank bank; // null: the JDK's default bank (the shipped toy data)

  /** The task rendered with the JDK's default bank. */
  public InstrumentFamilyTask() {
    this(null);
  }

  /** The task rendered with {@code bank} (null: the JDK's default bank). */
  public InstrumentFamilyTask(SoundBank bank) {
    this.bank = bank;
  }

  /** The GM families, eight programs each, in program order. */
  private static final List<String> FAMILIES = List.of("piano", "chromatic_percussion", "organ",
      "guitar", "bass", "strings", "ensemble", "brass", "reed", "pipe", "synth_lead", "synth_pad",
      "synth_effects", "ethnic", "percussive", "sound_effects");

  /** The families used as classes: the acoustic ones with a clear pitch. */
  private static final List<String> CLASSES = List.of("bass", "brass", "chromatic_percussion",
      "guitar", "organ", "piano", "pipe", "reed", "strings");

  @Override
  public String name() {
    return "instrument_family";
  }

  @Override
  public String description() {
    return "1 s notes of General MIDI programs labelled by GM family (piano, organ, guitar, ...)"
        + (bank == null ? "" : ", rendered with the " + bank.name() + " soundfont");
  }

  @Override
  public List<String> classes() {
    return CLASSES;
  }

  @Override
  public java.util.Optional<String> unavailable() {
    return RecordedNotes.unavailable(bank);
  }

  /** The GM family name of program 0–127, e.g. {@code piano} for 0–7. */
  public static String familyOf(int program) {
    return FAMILIES.get(program / 8);
  }

  @Override
  public List<Clip> make(long seed, int perClass) {
    if (bank != null) {
      return makeWithBank(seed, perClass);
    }
    Random rng = random(seed);
    int rate = AudioFiles.MODEL_RATE;
    List<MidiRenderer.Note> notes = new ArrayList<>();
    List<Map<String, String>> metas = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String family : CLASSES) {
      int first = 8 * FAMILIES.indexOf(family);
      for (int i = 0; i < perClass; i++) {
        int program = first + rng.nextInt(8);
        int key = family.equals("bass") ? 28 + rng.nextInt(24) : 48 + rng.nextInt(25);
        notes.add(new MidiRenderer.Note(program, key, 70 + rng.nextInt(50)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("program", Integer.toString(program));
        meta.put("midi_key", Integer.toString(key));
        metas.add(meta);
        labels.add(family);
      }
    }
    List<float[]> audio = MidiRenderer.render(notes, 0.75, 1.0, rate);
    List<Clip> out = new ArrayList<>();
    for (int i = 0; i < audio.size(); i++) {
      float[] x = Synth.level(Synth.fade(audio.get(i), rate, 0.005), -20 + 6 * (rng.nextDouble() - 0.5));
      out.add(new Clip(x, rate, labels.get(i), null, metas.get(i)));
    }
    return out;
  }

  /** Notes from the soundfont, varied and with light noise ({@link RecordedNotes}). */
  private List<Clip> makeWithBank(long seed, int perClass) {
    Random rng = random(seed);
    RecordedNotes notes = new RecordedNotes();
    for (String family : CLASSES) {
      int first = 8 * FAMILIES.indexOf(family);
      for (int i = 0; i < perClass; i++) {
        int program = first + rng.nextInt(8);
        int key = family.equals("bass") ? 28 + rng.nextInt(24) : 48 + rng.nextInt(25);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("midi_key", Integer.toString(key));
        notes.add(rng, program, key, family, meta);
      }
    }
    return notes.render(bank, rng, 1.0, AudioFiles.MODEL_RATE);
  }
}
