package io.anw.tensor;

/** An unpickled placeholder that the pickle's BUILD opcode completes (NumPy arrays and dtypes). */
interface PickleBuildable {
  /** Applies the pickled state; throws {@link IllegalArgumentException} if it does not fit. */
  void setState(Object state);
}
