package io.anw.audio;

import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One task of the generated sample data: a set of classes and a way to make labelled clips for
 * them. {@link SampleGenerator} writes each task as a folder of WAVs plus a dataset CSV.
 */
public interface SampleTask {
  /** The task's folder name, e.g. {@code pitch_synth}. */
  String name();

  /** One line saying what the clips are and what the classes mean. */
  String description();

  /** The class labels, in the order clips are made. */
  List<String> classes();

  /**
   * Makes {@code perClass} clips for every class, class by class, at
   * {@link AudioFiles#MODEL_RATE}, each labelled and with metadata describing how it was made.
   * Everything random derives from {@code seed}, so the seed fixes the output.
   */
  List<Clip> make(long seed, int perClass);

  /** The task's own random generator for {@code seed}, independent of other tasks'. */
  default Random random(long seed) {
    return new Random(seed * 1_000_003L + name().hashCode());
  }

  /** Why the task cannot run here (e.g. a missing program), or empty when it can. */
  default Optional<String> unavailable() {
    return Optional.empty();
  }
}
