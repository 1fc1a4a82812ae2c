package io.anw.audio;

import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
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
import java.util.stream.IntStream;

/**
 * Speech made with espeak-ng, labelled either by spoken language ({@link Kind#LANGUAGE}: de, en,
 * es, fr, it) or by voice gender ({@link Kind#GENDER}: espeak-ng's female and male variants,
 * across those languages). Six sentences per language; each "speaker" (a random variant,
 * speed and pitch) says up to all six, in one espeak-ng process; 2 s clips (leading silence
 * trimmed, then cut or zero-padded).
 *
 * <p>Both tasks draw the same list of utterances for a seed (languages and genders balanced), so
 * the same recordings are labelled two ways. Renders run in a few parallel espeak-ng processes;
 * the two tasks made by {@link #languageAndGender()} share them, so each utterance is spoken
 * once.
 */
public final class SpeechTask implements SampleTask {
  /** What the clips are labelled by. */
  public enum Kind {
    /** Classes are the spoken languages. */
    LANGUAGE,
    /** Classes are female and male voice variants. */
    GENDER
  }

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

  /** Six more sentences per language for {@link Voices#MORE}. */
  private static final Map<String, List<String>> MORE_SENTENCES = Map.of(
      "de", List.of("Am Wochenende fahren wir ans Meer.", "Meine Schwester arbeitet in einem Krankenhaus.",
          "Das Buch liegt auf dem Tisch neben der Lampe.", "Um wie viel Uhr beginnt das Konzert?",
          "Im Winter schneit es oft in den Bergen.", "Er hat seinen Schlüssel im Büro vergessen."),
      "en", List.of("At the weekend we are driving to the sea.", "My sister works in a hospital.",
          "The book is on the table next to the lamp.", "What time does the concert start?",
          "In winter it often snows in the mountains.", "He left his keys at the office."),
      "es", List.of("El fin de semana vamos al mar.", "Mi hermana trabaja en un hospital.",
          "El libro está en la mesa junto a la lámpara.", "¿A qué hora empieza el concierto?",
          "En invierno nieva a menudo en las montañas.", "Se dejó las llaves en la oficina."),
      "fr", List.of("Ce week-end, nous allons à la mer.", "Ma sœur travaille dans un hôpital.",
          "Le livre est sur la table à côté de la lampe.", "À quelle heure commence le concert ?",
          "En hiver, il neige souvent dans les montagnes.", "Il a oublié ses clés au bureau."),
      "it", List.of("Nel fine settimana andiamo al mare.", "Mia sorella lavora in un ospedale.",
          "Il libro è sul tavolo accanto alla lampada.", "A che ora comincia il concerto?",
          "D'inverno nevica spesso in montagna.", "Ha dimenticato le chiavi in ufficio."));

  private static final List<String> LANGUAGES = List.of("de", "en", "es", "fr", "it");
  private static final List<String> FEMALE = List.of("f1", "f2", "f3", "f4", "f5");
  private static final List<String> MALE = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7");

  /**
   * Which voices say which sentences: the variants of each gender, the sentences of each
   * language, and how many of them one speaker says.
   *
   * @param female espeak-ng variants with a female voice
   * @param male espeak-ng variants with a male voice
   * @param sentences sentences by language
   * @param perSpeaker sentences one speaker says (fewer: more distinct speakers)
   */
  public record Voices(List<String> female, List<String> male,
      Map<String, List<String>> sentences, int perSpeaker) {
    /** Six sentences a language, espeak-ng's numbered variants f1–f5 and m1–m7. */
    public static final Voices BASIC = new Voices(FEMALE, MALE, SENTENCES, 6);

    /**
     * Twelve sentences a language and espeak-ng's named human variants too (no robots,
     * whisper or effects), four sentences a speaker: three times as many speakers.
     */
    public static final Voices MORE = new Voices(
        List.of("f1", "f2", "f3", "f4", "f5", "Alicia", "Andrea", "Annie", "aunty", "belinda",
            "linda", "steph", "steph2", "steph3", "anika"),
        List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "adam", "Alex", "Andy", "antonio",
            "benjamin", "boris", "caleb", "david", "ed", "edward", "Gene", "gustave", "Henrique",
            "Hugo", "iven", "john", "Lee", "marcelo", "Marco", "Mario", "max", "Michael",
            "michel", "paul", "pedro", "quincy", "rob", "robert", "zac"),
        joined(SENTENCES, MORE_SENTENCES), 4);
  }

  private static Map<String, List<String>> joined(Map<String, List<String>> a,
      Map<String, List<String>> b) {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    a.forEach((k, v) -> {
      List<String> all = new ArrayList<>(v);
      all.addAll(b.get(k));
      out.put(k, List.copyOf(all));
    });
    return java.util.Collections.unmodifiableMap(out);
  }

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


  /** A voice (language, variant, speed, pitch) and the sentences it says, in order. */
  private record Speaker(String language, boolean female, String variant, int wordsPerMinute,
      int pitch, List<Integer> sentences) {
    String voice() {
      return language + "+" + variant;
    }
  }

  /** Sentence number {@code index} of a speaker's list. */
  private record Utterance(Speaker speaker, int index) {
    int sentence() {
      return speaker.sentences().get(index);
    }
  }

  private final Kind kind;
  private final Voices voices;
  /** Renders by utterance, shared with the task made alongside (see {@link #languageAndGender}). */
  private final Map<Speaker, CompletableFuture<List<float[]>>> renders;

  /** The task labelled by {@code kind}, with its own renders. */
  public SpeechTask(Kind kind) {
    this(kind, Voices.BASIC, new ConcurrentHashMap<>());
  }

  private SpeechTask(Kind kind, Voices voices,
      Map<Speaker, CompletableFuture<List<float[]>>> renders) {
    this.kind = kind;
    this.voices = voices;
    this.renders = renders;
  }

  /** The language and the gender task, sharing renders so each utterance is spoken once. */
  public static List<SpeechTask> languageAndGender() {
    return languageAndGender(Voices.BASIC);
  }

  /** The language and the gender task with {@code voices}, sharing renders. */
  public static List<SpeechTask> languageAndGender(Voices voices) {
    Map<Speaker, CompletableFuture<List<float[]>>> shared = new ConcurrentHashMap<>();
    return List.of(new SpeechTask(Kind.LANGUAGE, voices, shared),
        new SpeechTask(Kind.GENDER, voices, shared));
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
    List<Utterance> plan = plan(seed, perClass * classes().size(), voices);
    for (Utterance u : plan) {
      renders.computeIfAbsent(u.speaker(),
          k -> CompletableFuture.supplyAsync(() -> render(k, voices), ESPEAK_POOL));
    }
    List<Utterance> ordered = new ArrayList<>(plan);
    ordered.sort(Comparator.comparingInt(u -> classes().indexOf(label(u))));
    List<Clip> out = new ArrayList<>();
    for (Utterance u : ordered) {
      Speaker v = u.speaker();
      float[] x = rendered(v).get(u.index()).clone();
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("language", v.language());
      meta.put("gender", v.female() ? "female" : "male");
      meta.put("voice", v.voice());
      meta.put("words_per_minute", Integer.toString(v.wordsPerMinute()));
      meta.put("pitch", Integer.toString(v.pitch()));
      meta.put("sentence", Integer.toString(u.sentence()));
      out.add(new Clip(x, AudioFiles.MODEL_RATE, label(u), null, meta));
    }
    return out;
  }

  /** The finished renders of {@code v}; a failed render is forgotten so that a retry runs it again. */
  private List<float[]> rendered(Speaker v) {
    CompletableFuture<List<float[]>> f = renders.get(v);
    try {
      return f.join();
    } catch (CompletionException e) {
      renders.remove(v, f);
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private String label(Utterance u) {
    return kind == Kind.LANGUAGE ? u.speaker().language() : (u.speaker().female() ? "female" : "male");
  }

  /**
   * {@code n} utterances cycling through the languages, alternating gender every full cycle,
   * so languages are balanced and genders nearly so (exactly when 10 divides n). Utterances of
   * the same language and gender are grouped into speakers of up to one of each sentence.
   */
  private static List<Utterance> plan(long seed, int n, Voices voices) {
    Random rng = new Random(seed * 1_000_003L + "speech".hashCode());
    Map<String, Integer> made = new HashMap<>(); // utterances so far per language and gender
    Map<String, Speaker> current = new HashMap<>();
    List<Utterance> plan = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String language = LANGUAGES.get(i % LANGUAGES.size());
      boolean female = (i / LANGUAGES.size()) % 2 == 0;
      String group = language + female;
      int m = made.merge(group, 1, Integer::sum) - 1;
      int pool = voices.sentences().get(language).size();
      int perSpeaker = Math.min(voices.perSpeaker(), pool);
      if (m % perSpeaker == 0) {
        List<String> variants = female ? voices.female() : voices.male();
        List<Integer> order = new ArrayList<>(IntStream.range(0, pool).boxed().toList());
        Collections.shuffle(order, rng);
        current.put(group, new Speaker(language, female, variants.get(rng.nextInt(variants.size())),
            140 + rng.nextInt(50), 35 + rng.nextInt(30), List.copyOf(order.subList(0, perSpeaker))));
      }
      plan.add(new Utterance(current.get(group), m % perSpeaker));
    }
    return plan;
  }

  /**
   * Speaks all of a speaker's sentences, one espeak-ng process for all when the audio splits
   * cleanly, else one per sentence; each becomes a 2 s clip at the model rate.
   */
  private static List<float[]> render(Speaker v, Voices voices) {
    List<String> texts = v.sentences().stream()
        .map(i -> voices.sentences().get(v.language()).get(i)).toList();
    List<Clip> spoken;
    try {
      spoken = Espeak.speakAll(texts, v.voice(), v.wordsPerMinute(), v.pitch());
    } catch (WorkbenchException splitFailed) {
      spoken = texts.stream().map(t -> Espeak.speak(t, v.voice(), v.wordsPerMinute(), v.pitch())).toList();
    }
    int rate = AudioFiles.MODEL_RATE;
    List<float[]> out = new ArrayList<>();
    for (int k = 0; k < spoken.size(); k++) {
      float[] x = trimLeadingSilence(spoken.get(k).resample(rate).samples());
      x = Arrays.copyOf(x, (int) (SECONDS * rate));
      // Level varies per utterance, deterministically.
      int h = Objects.hash(v.voice(), v.sentences().get(k), v.wordsPerMinute(), v.pitch());
      double jitter = (Math.floorMod(h, 1000) / 1000.0 - 0.5) * 4;
      out.add(Synth.level(Synth.fade(x, rate, 0.01), -20 + jitter));
    }
    return out;
  }

  private static float[] trimLeadingSilence(float[] x) {
    int i = 0;
    while (i < x.length && Math.abs(x[i]) < 0.01) {
      i++;
    }
    return Arrays.copyOfRange(x, Math.max(0, Math.min(i, x.length - 1) - 160), x.length);
  }
}
