package io.anw.audio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Captioned notes for audio-text models: 1 s clips, each with a short caption ({@code text}
 * column, at most four words) such as "a low piano", labelled by <em>register</em> and
 * <em>source</em>: {@code low_piano}, {@code high_voice}, ... The register (low = octaves 2–3,
 * high = octaves 5–6) can come from the sound, from the caption, or from both; the source
 * (piano, voice, synth) only from the caption — the notes themselves are synthesised alike.
 * Four conditions (column {@code condition}), interleaved so every class has each:
 * <ul>
 *   <li>{@code both} (40%): a note of the register, the caption names register and source;</li>
 *   <li>{@code audio} (25%): the note, a caption naming only the source ("the soft voice");</li>
 *   <li>{@code text} (20%): unpitched noise, the caption names register and source;</li>
 *   <li>{@code conflict} (15%): a note of the labelled register, the caption names the other
 *       register — the sound wins.</li>
 * </ul>
 * So a model must listen for the register and read the source: its class-specific neurons can
 * be grounded in either pathway. Columns {@code audio_register} and {@code text_register} say
 * what each part carries ({@code none} when nothing), {@code source} the caption's source word.
 */
public final class PitchCaptionTask implements SampleTask {
  /** The registers and the octaves each covers. */
  private static final List<String> REGISTERS = List.of("low", "high");
  private static final int[][] OCTAVES = {{2, 3}, {5, 6}};
  /** The sources a caption names. */
  private static final List<String> SOURCES = List.of("piano", "voice", "synth");
  private static final List<String> DETERMINERS = List.of("a", "the", "some", "an");
  private static final List<String> ADJECTIVES = List.of("soft", "loud", "calm", "angry");
  /** Every word captions use: determiners, registers, sources, other adjectives. */
  public static final List<String> WORDS;

  static {
    List<String> w = new ArrayList<>(DETERMINERS);
    w.addAll(REGISTERS);
    w.addAll(SOURCES);
    w.addAll(ADJECTIVES);
    WORDS = List.copyOf(w);
  }

  /** The conditions, in the order they cycle within a class (8 both, 5 audio, 4 text, 3 conflict). */
  private static final List<String> CYCLE = List.of("both", "text", "audio", "conflict", "both",
      "audio", "both", "text", "both", "audio", "conflict", "both", "text", "audio", "both", "both",
      "audio", "text", "conflict", "both");

  @Override
  public String name() {
    return "pitch_caption";
  }

  @Override
  public String description() {
    return "1 s notes or noise with a caption (\"a low piano\"); label = register (from the sound,"
        + " the caption or both; the sound wins) x source (from the caption)";
  }

  @Override
  public List<String> classes() {
    List<String> c = new ArrayList<>();
    for (String r : REGISTERS) {
      for (String s : SOURCES) {
        c.add(r + "_" + s);
      }
    }
    return List.copyOf(c);
  }

  @Override
  public List<Clip> make(long seed, int perClass) {
    Random rng = random(seed);
    int rate = AudioFiles.MODEL_RATE;
    List<Clip> out = new ArrayList<>();
    for (int r = 0; r < REGISTERS.size(); r++) {
      for (String source : SOURCES) {
        for (int i = 0; i < perClass; i++) {
          String condition = CYCLE.get(i % CYCLE.size());
          Map<String, String> meta = new LinkedHashMap<>();
          int audio = condition.equals("text") ? -1 : r;
          int text = switch (condition) {
            case "both", "text" -> r;
            case "conflict" -> 1 - r;
            default -> -1;
          };
          float[] x;
          if (audio < 0) {
            x = noise(rng, rate, meta);
          } else {
            int[] octaves = OCTAVES[audio];
            int octave = octaves[rng.nextInt(octaves.length)];
            int key = 12 * (octave + 1) + rng.nextInt(12);
            meta.put("midi_key", Integer.toString(key));
            x = PitchOctaveTask.synthNote(rng, key, rate, meta);
          }
          Map<String, String> m = new LinkedHashMap<>();
          m.put("text", caption(rng, text < 0 ? null : REGISTERS.get(text), source));
          m.put("condition", condition);
          m.put("audio_register", audio < 0 ? "none" : REGISTERS.get(audio));
          m.put("text_register", text < 0 ? "none" : REGISTERS.get(text));
          m.put("source", source);
          m.putAll(meta);
          out.add(new Clip(x, rate, REGISTERS.get(r) + "_" + source, null, m));
        }
      }
    }
    return out;
  }

  /**
   * "a low piano", "the high voice", "high synth", or without a register "the soft voice",
   * "a piano".
   */
  private static String caption(Random rng, String register, String source) {
    if (register == null) {
      return rng.nextBoolean() ? determiner(rng, source) + " " + source
          : adjectivePhrase(rng, source);
    }
    return rng.nextInt(4) == 0 ? register + " " + source
        : determiner(rng, register) + " " + register + " " + source;
  }

  private static String adjectivePhrase(Random rng, String source) {
    String adjective = ADJECTIVES.get(rng.nextInt(ADJECTIVES.size()));
    return determiner(rng, adjective) + " " + adjective + " " + source;
  }

  /** "a", "the" or "some" at random; "an" instead of "a" before a vowel. */
  private static String determiner(Random rng, String next) {
    String d = DETERMINERS.get(rng.nextInt(3));
    return d.equals("a") && "aeiou".indexOf(next.charAt(0)) >= 0 ? "an" : d;
  }

  /** 1 s of white, pink or brown noise with a note-like envelope: no pitch to hear. */
  private static float[] noise(Random rng, int rate, Map<String, String> meta) {
    int n = rate;
    String colour = List.of("white", "pink", "brown").get(rng.nextInt(3));
    meta.put("noise", colour);
    float[] x = switch (colour) {
      case "white" -> Synth.whiteNoise(rng, n);
      case "pink" -> Synth.pinkNoise(rng, n);
      default -> Synth.brownNoise(rng, n);
    };
    x = Synth.adsr(x, rate, 0.005 + 0.05 * rng.nextDouble(), 0.05 + 0.2 * rng.nextDouble(),
        0.4 + 0.5 * rng.nextDouble(), 0.75, 0.2);
    return Synth.level(Synth.fade(x, rate, 0.005), -20 + 6 * (rng.nextDouble() - 0.5));
  }
}
