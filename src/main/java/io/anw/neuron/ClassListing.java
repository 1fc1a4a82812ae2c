package io.anw.neuron;

import java.util.List;
import java.util.Map;

/**
 * The per-class lines of a neuron selection as printed: class names padded to the longest,
 * counts aligned, the first six neurons of each; and a warning when classes have none.
 */
final class ClassListing {
  private static final int SHOWN = 6;

  private ClassListing() {}

  /** One line per class, then a warning line if some classes have no neurons. */
  static String of(Map<String, List<Neuron>> byClass) {
    int w = byClass.keySet().stream().mapToInt(String::length).max().orElse(5);
    StringBuilder sb = new StringBuilder();
    int empty = 0;
    for (Map.Entry<String, List<Neuron>> e : byClass.entrySet()) {
      List<Neuron> ns = e.getValue();
      empty += ns.isEmpty() ? 1 : 0;
      String list = ns.isEmpty() ? "-" : ns.size() <= SHOWN ? ns.toString()
          : ns.subList(0, SHOWN).toString().replace("]", ", ...]");
      sb.append(String.format("  %-" + w + "s %5d  %s%n", e.getKey(), ns.size(), list));
    }
    if (empty == byClass.size() && !byClass.isEmpty()) {
      sb.append("  warning: no class has class-specific neurons under these settings; try"
          + " LAPE's (method lape) or a lower activation bar\n");
    } else if (empty > 0) {
      sb.append("  warning: ").append(empty).append(" of ").append(byClass.size())
          .append(" classes have no class-specific neurons (deactivating or grounding them"
              + " tests an empty set)\n");
    }
    return sb.toString();
  }
}
