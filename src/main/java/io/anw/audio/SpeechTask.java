package io.anw.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Speech made with espeak-ng, labelled either by spoken language ({@link Kind#LANGUAGE}: de, en,
 * es, fr, it) or by voice gender ({@link Kind#GENDER}: espeak-ng's female and male variants,
 * across those languages). Several sentences per language, random variant, speed and pitch;
 * 2 s clips (leading silence trimmed, then cut or zero-padded).
 *
 * <p>Both tasks draw the same list of utterances for a seed (languages and genders balanced), so
 * the same recordings are labelled two ways. Renders run in a few parallel espeak-ng processes;
 * the two tasks made by {@link #languageAndGender()} share them, so each utterance is spoken
 * once.
 */
public final class SpeechTask implements SampleTask {
  /** What the clips are labelled by. */
  public enum Kind { LANGUAGE, GENDER }

  private static final double SECONDS = 2.0;

  private static final Map<String, List<String>> SENTENCES = Map.of(
      "de", List.of("Guten Morgen, wie geht es dir heute?", "Der Zug nach Berlin hat leider Verspätung.",
          "Ich trinke gern einen Kaffee am Nachmittag.", "Das Wetter ist heute schön und warm.",
          "Kannst du mir bitte das Salz geben?", "Wir treffen uns morgen vor dem Bahnhof."),
      "en", List.of("Good morning, how are you today?", "The train to London is running late.",
          "I like to drink a cup of tea in the afternoon.", "The weather is lovely and warm today.",
          "Could you please pass me the salt?", "We will meet tomorrow in front of the station."),
      "es", List.of("Buenos días, ¿cómo estás hoy?", "El tren a Madrid llega con retraso.",
          "Me gusta tomar un café por la tarde.", "Hoy hace buen tiempo y calor.",
          "¿Me puedes pasar la sal, por favor?", "Nos vemos mañana delante de la estación."),
      "fr", List.of("Bonjour, comment vas-tu aujourd'hui ?", "Le train pour Paris a du retard.",
          "J'aime boire un café l'après-midi.", "Il fait beau et chaud aujourd'hui.",
          "Peux-tu me passer le sel, s'il te plaît ?", "On se retrouve demain devant la gare."),
      "it", List.of("Buongiorno, come stai oggi?", "Il treno per Roma è in ritardo.",
          "Mi piace bere un caffè nel pomeriggio.", "Oggi fa bel tempo e caldo.",
          "Mi passi il sale, per favore?", "Ci vediamo domani davanti alla stazione."));

  private static final List<String> LANGUAGES = List.of("de", "en", "es", "fr", "it");
  private static final List<String> FEMALE = List.of("f1", "f2", "f3", "f4", "f5");
  private static final List<String> MALE = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7");

  /** espeak-ng runs in a few parallel processes; the threads end when idle. */
  private static final ThreadPoolExecutor ESPEAK_POOL = new ThreadPoolExecutor(4, 4, 5,
      TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "anw-espeak");
        t.setDaemon(true);
        return t;
      });

  static {
    ESPEAK_POOL.allowCoreThreadTimeOut(true);
  }


  /** One thing to say, and how. */
  private record Utterance(String language, boolean female, String variant, int sentence,
      int wordsPerMinute, int pitch) {
    String voice() {
      return language + "+" + variant;
    }
  }

  private final Kind kind;
  /** Renders by utterance, shared with the task made alongside (see {@link #languageAndGender}). */
  private final Map<Utterance, CompletableFuture<float[]>> renders;

  /** The task labelled by {@code kind}, with its own renders. */
  public SpeechTask(Kind kind) {
    this(kind, new ConcurrentHashMap<>());
  }

  private SpeechTask(Kind kind, Map<Utterance, CompletableFuture<float[]>> renders) {
    this.kind = kind;
    this.renders = renders;
  }

  /** The language and the gender task, sharing renders so each utterance is spoken once. */
  public static List<SpeechTask> languageAndGender() {
    Map<Utterance, CompletableFuture<float[]>> shared = new ConcurrentHashMap<>();
    return List.of(new SpeechTask(Kind.LANGUAGE, shared), new SpeechTask(Kind.GENDER, shared));
  }

  @Override
  public String name() {
    return kind == Kind.LANGUAGE ? "spoken_language" : "voice_gender";
  }

  @Override
  public String description() {
    return kind == Kind.LANGUAGE
        ? "2 s espeak-ng speech labelled by language (de, en, es, fr, it), female and male voices"
        : "2 s espeak-ng speech labelled by voice gender (female, male variants), five languages";
  }

  @Override
  public List<String> classes() {
    return kind == Kind.LANGUAGE ? LANGUAGES : List.of("female", "male");
  }

  @Override
  public Optional<String> unavailable() {
    return Espeak.find().isPresent() ? Optional.empty()
        : Optional.of("espeak-ng is not installed (apt-get install espeak-ng)");
  }

  @Override
  public List<Clip> make(long seed, int perClass) {
    List<Utterance> plan = plan(seed, perClass * classes().size());
    for (Utterance u : plan) {
      renders.computeIfAbsent(u, k -> CompletableFuture.supplyAsync(() -> render(k), ESPEAK_POOL));
    }
    List<Utterance> ordered = new ArrayList<>(plan);
    ordered.sort(Comparator.comparingInt(u -> classes().indexOf(label(u))));
    List<Clip> out = new ArrayList<>();
    for (Utterance u : ordered) {
      float[] x = rendered(u).clone();
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("language", u.language());
      meta.put("gender", u.female() ? "female" : "male");
      meta.put("voice", u.voice());
      meta.put("sentence", Integer.toString(u.sentence()));
      meta.put("words_per_minute", Integer.toString(u.wordsPerMinute()));
      meta.put("pitch", Integer.toString(u.pitch()));
      out.add(new Clip(x, AudioFiles.MODEL_RATE, label(u), null, meta));
    }
    return out;
  }

  /** The finished render of {@code u}; a failed render is forgotten so that a retry runs it again. */
  private float[] rendered(Utterance u) {
    CompletableFuture<float[]> f = renders.get(u);
    try {
      return f.join();
    } catch (CompletionException e) {
      renders.remove(u, f);
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private String label(Utterance u) {
    return kind == Kind.LANGUAGE ? u.language() : (u.female() ? "female" : "male");
  }

  /**
   * {@code n} utterances cycling through the languages, alternating gender every full cycle,
   * so languages are balanced and genders nearly so (exactly when 10 divides n).
   */
  private static List<Utterance> plan(long seed, int n) {
    Random rng = new Random(seed * 1_000_003L + "speech".hashCode());
    List<Utterance> plan = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String language = LANGUAGES.get(i % LANGUAGES.size());
      boolean female = (i / LANGUAGES.size()) % 2 == 0;
      List<String> variants = female ? FEMALE : MALE;
      plan.add(new Utterance(language, female, variants.get(rng.nextInt(variants.size())),
          rng.nextInt(SENTENCES.get(language).size()), 140 + rng.nextInt(50), 35 + rng.nextInt(30)));
    }
    return plan;
  }

  private static float[] render(Utterance u) {
    int rate = AudioFiles.MODEL_RATE;
    Clip spoken = Espeak.speak(SENTENCES.get(u.language()).get(u.sentence()), u.voice(),
        u.wordsPerMinute(), u.pitch());
    float[] x = trimLeadingSilence(spoken.resample(rate).samples());
    x = Arrays.copyOf(x, (int) (SECONDS * rate));
    // Level varies per utterance but deterministically (from its own fields).
    int h = Objects.hash(u.language(), u.variant(), u.sentence(), u.wordsPerMinute(), u.pitch());
    double jitter = (Math.floorMod(h, 1000) / 1000.0 - 0.5) * 4;
    return Synth.level(Synth.fade(x, rate, 0.01), -20 + jitter);
  }

  private static float[] trimLeadingSilence(float[] x) {
    int i = 0;
    while (i < x.length && Math.abs(x[i]) < 0.01) {
      i++;
    }
    return Arrays.copyOfRange(x, Math.max(0, Math.min(i, x.length - 1) - 160), x.length);
  }
}
