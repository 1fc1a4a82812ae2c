package io.anw.tensor;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/** An unpickled Python tuple: an immutable list (equal to any list with the same items). */
final class PyTuple extends AbstractList<Object> {
  private final Object[] items;

  PyTuple(List<Object> items) {
    this.items = items.toArray();
  }

  PyTuple(Object... items) {
    this.items = items.clone();
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PyTuple t && Arrays.equals(items, t.items);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(items);
  }
}
