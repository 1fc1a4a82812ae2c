package io.anw.audio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Pitch octave: single notes whose class is their octave (scientific pitch notation, C4 = MIDI
 * key 60), made by one of two synthesis methods so that pitch neurons can be compared across
 * them (the paper's Surge ↔ NSynth): {@link Method#SYNTH} — additive and subtractive synthesis
 * in code — or {@link Method#MIDI} — real General MIDI instrument programs rendered by the JDK's
 * software synthesizer.
 */
public final class PitchOctaveTask implements SampleTask {
  /** How the notes are made. */
  public enum Method {
    /** Additive or subtractive synthesis in code. */
    SYNTH,
    /** General MIDI programs rendered by the JDK's software synthesizer. */
    MIDI
  }

  private static final int LOWEST_OCTAVE = 2;
  private static final int HIGHEST_OCTAVE = 6;
  private static final double CLIP_SECONDS = 1.0;
  private static final double HOLD_SECONDS = 0.75;

  private final Method method;
  private final SoundBank bank; // with Method.MIDI: a soundfont instead of the JDK's bank

  /** The task for one synthesis method. */
  public PitchOctaveTask(Method method) {
    this(method, null);
  }

  /**
   * General MIDI programs rendered from a soundfont of recorded instruments, varied in
   * velocity, duration and reverb with light noise: the task {@code pitch_<bank>}.
   */
  public PitchOctaveTask(SoundBank bank) {
    this(Method.MIDI, bank);
  }

  private PitchOctaveTask(Method method, SoundBank bank) {
    this.method = method;
    this.bank = bank;
  }

  @Override
  public String name() {
    return "pitch_" + (bank != null ? bank.name() : method.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public String description() {
    return "1 s notes labelled by octave (C2..B6; C4 = MIDI 60), "
        + (method == Method.SYNTH ? "additive/subtractive synthesis in code"
            : bank != null ? "General MIDI programs from the " + bank.name() + " soundfont"
            : "General MIDI programs rendered by the JDK synthesizer");
  }

  @Override
  public java.util.Optional<String> unavailable() {
    return RecordedNotes.unavailable(bank);
  }

  @Override
  public List<String> classes() {
    return IntStream.rangeClosed(LOWEST_OCTAVE, HIGHEST_OCTAVE).mapToObj(o -> "octave" + o).toList();
  }

  @Override
  public List<Clip> make(long seed, int perClass) {
    if (bank != null) {
      return makeWithBank(seed, perClass);
    }
    Random rng = random(seed);
    int rate = AudioFiles.MODEL_RATE;
    List<Clip> out = new ArrayList<>();
    List<MidiRenderer.Note> notes = new ArrayList<>();
    List<Map<String, String>> metas = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int octave = LOWEST_OCTAVE; octave <= HIGHEST_OCTAVE; octave++) {
      for (int i = 0; i < perClass; i++) {
        int key = 12 * (octave + 1) + rng.nextInt(12);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("midi_key", Integer.toString(key));
        meta.put("f0_hz", String.format(Locale.ROOT, "%.2f", Synth.midiToHz(key)));
        String label = "octave" + octave;
        if (method == Method.SYNTH) {
          out.add(new Clip(synthNote(rng, key, rate, meta), rate, label, null, meta));
        } else {
          int program = melodicProgram(rng);
          meta.put("program", Integer.toString(program));
          meta.put("family", InstrumentFamilyTask.familyOf(program));
          notes.add(new MidiRenderer.Note(program, key, 70 + rng.nextInt(50)));
          metas.add(meta);
          labels.add(label);
        }
      }
    }
    if (method == Method.MIDI) {
      List<float[]> audio = MidiRenderer.render(notes, HOLD_SECONDS, CLIP_SECONDS, rate);
      for (int i = 0; i < audio.size(); i++) {
        out.add(new Clip(finish(rng, audio.get(i), rate), rate, labels.get(i), null, metas.get(i)));
      }
    }
    return out;
  }

  /**
   * One 1 s note of MIDI key {@code key} by additive or subtractive synthesis (chosen at
   * random), enveloped and levelled as this task's clips; records {@code method} in
   * {@code meta}.
   */
  static float[] synthNote(Random rng, int key, int rate, Map<String, String> meta) {
    boolean additive = rng.nextBoolean();
    meta.put("method", additive ? "additive" : "subtractive");
    float[] x = additive ? additive(rng, key, rate) : subtractive(rng, key, rate);
    return finish(rng, x, rate);
  }

  /** Notes from the soundfont, varied and with light noise ({@link RecordedNotes}). */
  private List<Clip> makeWithBank(long seed, int perClass) {
    Random rng = random(seed);
    RecordedNotes notes = new RecordedNotes();
    for (int octave = LOWEST_OCTAVE; octave <= HIGHEST_OCTAVE; octave++) {
      for (int i = 0; i < perClass; i++) {
        int key = 12 * (octave + 1) + rng.nextInt(12);
        int program = melodicProgram(rng);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("midi_key", Integer.toString(key));
        meta.put("f0_hz", String.format(Locale.ROOT, "%.2f", Synth.midiToHz(key)));
        meta.put("family", InstrumentFamilyTask.familyOf(program));
        notes.add(rng, program, key, "octave" + octave, meta);
      }
    }
    return notes.render(bank, rng, CLIP_SECONDS, AudioFiles.MODEL_RATE);
  }

  /** A GM program with a definite pitch: 0–95, pianos to synth pads. */
  private static int melodicProgram(Random rng) {
    return rng.nextInt(96);
  }

  private static float[] finish(Random rng, float[] x, int rate) {
    return Synth.level(Synth.fade(x, rate, 0.005), -20 + 6 * (rng.nextDouble() - 0.5));
  }

  /** Harmonics with a random spectral slope, optionally odd-only, through a wavetable. */
  private static float[] additive(Random rng, int key, int rate) {
    double f0 = Synth.midiToHz(key);
    int k = Math.min(Synth.harmonicsBelowNyquist(f0 * 1.01, rate), 4 + rng.nextInt(28));
    double slope = 0.5 + 1.5 * rng.nextDouble();
    boolean oddOnly = rng.nextInt(4) == 0;
    double[] amps = new double[k];
    double[] phases = new double[k];
    for (int h = 0; h < k; h++) {
      amps[h] = (oddOnly && h % 2 == 1) ? 0 : Math.pow(h + 1, -slope) * (0.7 + 0.6 * rng.nextDouble());
      phases[h] = 2 * Math.PI * rng.nextDouble();
    }
    float[] x = Synth.oscillate(Synth.wavetable(amps, phases), f0, rate, (int) (CLIP_SECONDS * rate),
        0.006 * rng.nextDouble(), 4 + 3 * rng.nextDouble());
    return envelope(rng, x, rate);
  }

  /** A band-limited saw or square through a resonant low-pass with a falling cut-off. */
  private static float[] subtractive(Random rng, int key, int rate) {
    double f0 = Synth.midiToHz(key);
    int k = Synth.harmonicsBelowNyquist(f0 * 1.01, rate);
    boolean square = rng.nextBoolean();
    double[] amps = new double[k];
    double[] phases = new double[k];
    for (int h = 0; h < k; h++) {
      amps[h] = (square && h % 2 == 1) ? 0 : 1.0 / (h + 1);
    }
    float[] x = Synth.oscillate(Synth.wavetable(amps, phases), f0, rate, (int) (CLIP_SECONDS * rate),
        0.004 * rng.nextDouble(), 5);
    double start = Math.min(7000, f0 * (3 + 10 * rng.nextDouble()));
    double end = Math.max(f0 * 1.2, start * (0.2 + 0.6 * rng.nextDouble()));
    Synth.lowpass(x, rate, start, end, 0.7 + 3 * rng.nextDouble());
    return envelope(rng, x, rate);
  }

  private static float[] envelope(Random rng, float[] x, int rate) {
    return Synth.adsr(x, rate, 0.005 + 0.05 * rng.nextDouble(), 0.05 + 0.2 * rng.nextDouble(),
        0.4 + 0.5 * rng.nextDouble(), HOLD_SECONDS, 0.2);
  }
}
