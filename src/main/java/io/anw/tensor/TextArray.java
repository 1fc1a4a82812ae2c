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
  /** Validates and copies. */
  public TextArray {
    shape = shape.clone();
    values = List.copyOf(values);
  }

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

  /** NumPy-like text: {@code ['a', 'b']} for one dimension, with the shape otherwise. */
  @Override
  public String toString() {
    String items = PyRepr.repr(values);
    return shape.length == 1 ? items : "array" + Arrays.toString(shape) + " " + items;
  }
}
