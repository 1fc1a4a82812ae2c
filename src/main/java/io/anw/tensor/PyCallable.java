package io.anw.tensor;

import java.util.List;

/** The Java stand-in for an allow-listed Python callable: builds a value from positional args. */
@FunctionalInterface
interface PyCallable {
  /** Calls with {@code args}; throws {@link IllegalArgumentException} on arguments it cannot take. */
  Object call(List<Object> args);
}
