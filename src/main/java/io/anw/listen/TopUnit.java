package io.anw.listen;

/**
 * One unit whose top activations are kept: output {@code index} of hook point {@code point},
 * shown with {@code layer} (the block of the point; an SAE's features carry the SAE's block).
 * Printed {@code L3.N17} (neurons), {@code L3.F17} (SAE features) or {@code L3.U17}.
 *
 * @param point the hook point name, e.g. {@code blocks.3.mlp.hook_post}
 * @param layer the layer shown in tables (the point's block, -1 outside the blocks)
 * @param index the unit's index along the point's last axis
 * @param kind {@code neuron}, {@code feature} or {@code unit}
 */
public record TopUnit(String point, int layer, int index, String kind) {
  @Override
  public String toString() {
    char k = switch (kind) {
      case "neuron" -> 'N';
      case "feature" -> 'F';
      default -> 'U';
    };
    return "L" + layer + "." + k + index;
  }
}
