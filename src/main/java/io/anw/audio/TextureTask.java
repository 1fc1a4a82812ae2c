package io.anw.audio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Sound texture, a stand-in for acoustic-event classification: 1 s clips of white, pink and
 * brown noise, click trains, frequency sweeps (chirps) and mains hum.
 */
public final class TextureTask implements SampleTask {
  private static final List<String> CLASSES =
      List.of("brown_noise", "chirp", "clicks", "hum", "pink_noise", "white_noise");
  private static final double SECONDS = 1.0;

  @Override
  public String name() {
    return "texture";
  }

  @Override
  public String description() {
    return "1 s textures: white/pink/brown noise, click trains, chirps, mains hum";
  }

  @Override
  public List<String> classes() {
    return CLASSES;
  }

  @Override
  public List<Clip> make(long seed, int perClass) {
    Random rng = random(seed);
    int rate = AudioFiles.MODEL_RATE;
    int n = (int) (SECONDS * rate);
    List<Clip> out = new ArrayList<>();
    for (String label : CLASSES) {
      for (int i = 0; i < perClass; i++) {
        Map<String, String> meta = new LinkedHashMap<>();
        float[] x = switch (label) {
          case "white_noise" -> Synth.whiteNoise(rng, n);
          case "pink_noise" -> Synth.pinkNoise(rng, n);
          case "brown_noise" -> Synth.brownNoise(rng, n);
          case "clicks" -> clicks(rng, n, rate, meta);
          case "chirp" -> chirp(rng, n, rate, meta);
          default -> hum(rng, n, rate, meta);
        };
        Synth.level(Synth.fade(x, rate, 0.01), -22 + 8 * (rng.nextDouble() - 0.5));
        out.add(new Clip(x, rate, label, null, meta));
      }
    }
    return out;
  }

  private static float[] clicks(Random rng, int n, int rate, Map<String, String> meta) {
    double perSecond = 3 + 27 * rng.nextDouble();
    double jitter = 0.3 * rng.nextDouble();
    int decay = 1 + rng.nextInt(rate / 500); // up to 2 ms ring
    meta.put("clicks_per_s", fmt(perSecond));
    float[] x = new float[n];
    for (double t = rng.nextDouble() / perSecond; t < SECONDS;
        t += (1 + jitter * (rng.nextDouble() - 0.5)) / perSecond) {
      int at = (int) (t * rate);
      double amp = 0.5 + 0.5 * rng.nextDouble();
      for (int k = 0; k < 8 * decay && at + k < n; k++) {
        x[at + k] += (float) (amp * Math.exp(-k / (double) decay) * (k == 0 ? 1 : rng.nextGaussian() * 0.3));
      }
    }
    return x;
  }

  private static float[] chirp(Random rng, int n, int rate, Map<String, String> meta) {
    double f1 = 100 * Math.pow(40, rng.nextDouble()); // 100 Hz .. 4 kHz
    double f2 = 100 * Math.pow(40, rng.nextDouble());
    boolean exponential = rng.nextBoolean();
    meta.put("from_hz", fmt(f1));
    meta.put("to_hz", fmt(f2));
    meta.put("sweep", exponential ? "exponential" : "linear");
    float[] x = new float[n];
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double u = i / (double) n;
      double f = exponential ? f1 * Math.pow(f2 / f1, u) : f1 + (f2 - f1) * u;
      x[i] = (float) (Math.sin(phase) + 0.3 * Math.sin(2 * phase));
      phase += 2 * Math.PI * f / rate;
    }
    return x;
  }

  private static float[] hum(Random rng, int n, int rate, Map<String, String> meta) {
    int mains = rng.nextBoolean() ? 50 : 60;
    meta.put("mains_hz", Integer.toString(mains));
    double[] amps = new double[12];
    for (int h = 0; h < amps.length; h++) {
      amps[h] = Math.pow(h + 1, -1 - rng.nextDouble()) * (h % 2 == 0 ? 1 : 0.5 + rng.nextDouble());
    }
    double[] phases = new double[amps.length];
    for (int h = 0; h < phases.length; h++) {
      phases[h] = 2 * Math.PI * rng.nextDouble();
    }
    float[] x = Synth.oscillate(Synth.wavetable(amps, phases), mains * (1 + 0.002 * rng.nextGaussian()),
        rate, n, 0, 0);
    float[] noise = Synth.whiteNoise(rng, n);
    double floor = 0.01 + 0.05 * rng.nextDouble();
    for (int i = 0; i < n; i++) {
      x[i] += (float) (floor * noise[i]);
    }
    return x;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
