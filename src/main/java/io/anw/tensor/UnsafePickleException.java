package io.anw.tensor;

/**
 * A pickle refused because it refers to a global that is not on the allow-list (for example
 * {@code posix.system}); nothing from the file was called or instantiated.
 */
public final class UnsafePickleException extends TensorFileException {
  /** Refusal of {@code global} found in {@code source}. */
  public UnsafePickleException(String source, String global) {
    super(source, "refusing to load: the pickle refers to " + global
        + ", which is not on the workbench's allow-list of safe globals (nothing was run)");
  }
}
