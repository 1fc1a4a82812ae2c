package io.anw.tensor;

import java.util.List;

/**
 * A global (module attribute) that the unpickler resolved from the allow-list.
 *
 * @param name qualified Python name, e.g. {@code collections.OrderedDict}
 * @param function what calling it does, or null for a global that may only be passed around
 *     (e.g. {@code numpy.ndarray} as an argument to {@code _reconstruct})
 */
record PyGlobal(String name, PyCallable function) {
  /** Calls the global; refuses globals that are not callable. */
  Object call(List<Object> args) {
    if (function == null) {
      throw new IllegalArgumentException(name + " cannot be called");
    }
    return function.call(args);
  }
}
