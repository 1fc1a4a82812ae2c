package io.anw.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance of an allow-listed Python class that has no closer Java equivalent
 * ({@code argparse.Namespace}, {@code slice}, {@code complex}): class name, constructor
 * arguments and the attributes set by the pickle's BUILD.
 */
final class PyObject {
  private final String className;
  private final List<Object> args;
  private final Map<Object, Object> attributes = new LinkedHashMap<>();

  PyObject(String className, List<Object> args) {
    this.className = className;
    this.args = Collections.unmodifiableList(new ArrayList<>(args));
  }

  /** Qualified class name, e.g. {@code argparse.Namespace}. */
  String className() {
    return className;
  }

  /** Constructor arguments (Python None as null). */
  List<Object> args() {
    return args;
  }

  /** Attributes in the order the pickle set them. */
  Map<Object, Object> attributes() {
    return attributes;
  }
}
