package io.anw.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A NumPy array of strings ({@code <U} unicode or {@code |S} bytes), kept as metadata because
 * tensors hold numbers only.
 *
 * @param shape sizes per dimension (empty for a scalar string)
 * @param values the strings in row-major order
 */
public record TextArray(long[] shape, List<String> values) {
  /** Copies; {@code values} must hold one string per element of {@code shape}. */
  public TextArray {
    shape = shape.clone();
    values = List.copyOf(values);
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    if (n != values.size()) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " strings, got "
          + values.size());
    }
  }

  /** Sizes per dimension (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextArray t && Arrays.equals(shape, t.shape) && values.equals(t.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + values.hashCode();
  }

  /**
   * Python's text for {@code array.tolist()}: the string itself for a scalar, nested lists
   * ({@code [['a', 'b'], ['c', 'd']]}) otherwise.
   */
  @Override
  public String toString() {
    if (shape.length == 0) {
      return values.isEmpty() ? "" : values.get(0);
    }
    StringBuilder out = new StringBuilder();
    nest(out, 0, 0);
    return PyRepr.clip(out.toString(), 2000);
  }

  private int nest(StringBuilder out, int dim, int at) {
    out.append('[');
    int next = at;
    for (long i = 0; i < shape[dim] && out.length() <= 2000; i++) {
      if (i > 0) {
        out.append(", ");
      }
      if (dim == shape.length - 1) {
        out.append(PyRepr.repr(values.get(next++)));
      } else {
        next = nest(out, dim + 1, next);
      }
    }
    out.append(']');
    return next;
  }
}
