package io.anw.neuron;

/**
 * One neuron: output {@code index} of {@code blocks.layer.mlp.hook_post} (0-based both),
 * printed {@code L5.N1234}.
 */
public record Neuron(int layer, int index) implements Comparable<Neuron> {
  /** Parses {@code L5.N1234}. */
  public static Neuron parse(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("L(\\d+)\\.N(\\d+)").matcher(text.strip());
    if (!m.matches()) {
      throw new io.anw.WorkbenchException("not a neuron name (want L<layer>.N<index>): " + text);
    }
    return new Neuron(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  @Override
  public int compareTo(Neuron o) {
    return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(index, o.index);
  }

  @Override
  public String toString() {
    return "L" + layer + ".N" + index;
  }
}
