package io.anw.intervention;

/**
 * Training settings of a {@link LinearProbe}, after EVAR's linear evaluation: Adam on a softmax
 * linear layer over standardised embeddings, early stopping on a held-out validation split.
 *
 * @param seed seeds weight initialisation, the validation split and batch shuffling
 * @param learningRate Adam step size
 * @param batchSize mini-batch size (clips)
 * @param maxEpochs upper bound on passes over the training set
 * @param patience epochs without validation improvement before stopping
 * @param validationFraction share of the training set held out (stratified) for early stopping
 * @param weightDecay L2 penalty on the weights (0 = none)
 */
public record ProbeOptions(long seed, double learningRate, int batchSize, int maxEpochs,
    int patience, double validationFraction, double weightDecay) {
  /** Validates the settings. */
  public ProbeOptions {
    if (learningRate <= 0 || batchSize <= 0 || maxEpochs <= 0 || patience <= 0
        || validationFraction < 0 || validationFraction >= 1 || weightDecay < 0) {
      throw new io.anw.WorkbenchException("invalid probe options: " + this);
    }
  }

  /** Defaults: seed 42, lr 1e-3, batch 128, at most 200 epochs, patience 20, 10 % validation. */
  public static ProbeOptions defaults() {
    return new ProbeOptions(42, 1e-3, 128, 200, 20, 0.1, 0.0);
  }

  /** These options with another seed. */
  public ProbeOptions withSeed(long s) {
    return new ProbeOptions(s, learningRate, batchSize, maxEpochs, patience, validationFraction,
        weightDecay);
  }

  /** These options with another epoch bound. */
  public ProbeOptions withMaxEpochs(int e) {
    return new ProbeOptions(seed, learningRate, batchSize, e, patience, validationFraction,
        weightDecay);
  }

  /** These options with another learning rate. */
  public ProbeOptions withLearningRate(double lr) {
    return new ProbeOptions(seed, lr, batchSize, maxEpochs, patience, validationFraction,
        weightDecay);
  }
}
