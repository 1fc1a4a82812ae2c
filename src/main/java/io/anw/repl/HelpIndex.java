package io.anw.repl;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The table of contents of the {@link WB} facade, generated from its {@link Help} annotations:
 * what {@code :help} and {@code :help NAME} print.
 */
public final class HelpIndex {
  /** One facade method: its signature and its annotation. */
  public record Entry(String name, String signature, String returns, Help help) {}

  private final Class<?> facade;

  /** An index over the public static methods of {@code facade} that carry {@link Help}. */
  public HelpIndex(Class<?> facade) {
    this.facade = facade;
  }

  /** All documented methods, grouped by {@link Help#group()} in first-seen order, then by name. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (Method m : facade.getMethods()) {
      Help h = m.getAnnotation(Help.class);
      if (h == null || !Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      String params = Arrays.stream(m.getParameters()).map(HelpIndex::param)
          .collect(Collectors.joining(", "));
      out.add(new Entry(m.getName(), m.getName() + "(" + params + ")",
          m.getGenericReturnType().getTypeName().replaceAll("[\\w.]+\\.(\\w+)", "$1"), h));
    }
    out.sort(Comparator.comparing((Entry e) -> groupRank(e.help().group()))
        .thenComparing(e -> e.help().group()).thenComparing(Entry::signature));
    return out;
  }

  /** Groups in pipeline order; others after them, alphabetically. */
  static final List<String> GROUP_ORDER = List.of("general", "audio", "tensor", "model",
      "activation", "neuron", "intervention", "sae", "listen", "report", "notebook");

  private static int groupRank(String group) {
    int i = GROUP_ORDER.indexOf(group);
    return i < 0 ? GROUP_ORDER.size() : i;
  }

  private static String param(Parameter p) {
    String type = p.getParameterizedType().getTypeName().replaceAll("[\\w.]+\\.(\\w+)", "$1");
    if (p.isVarArgs()) {
      type = type.replace("[]", "...");
    }
    return type + (p.isNamePresent() ? " " + p.getName() : "");
  }

  /** The {@code :help} listing: one line per method under group headings. */
  public String overview() {
    Map<String, List<Entry>> byGroup = new LinkedHashMap<>();
    for (Entry e : entries()) {
      byGroup.computeIfAbsent(e.help().group(), g -> new ArrayList<>()).add(e);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Entry>> g : byGroup.entrySet()) {
      sb.append(g.getKey()).append('\n');
      for (Entry e : g.getValue()) {
        String sig = "WB." + e.signature();
        if (sig.length() <= 40) {
          sb.append(String.format("  %-40s %s%n", sig, e.help().value()));
        } else {
          sb.append("  ").append(sig).append('\n')
              .append(String.format("  %-40s %s%n", "", e.help().value()));
        }
      }
    }
    return sb.toString();
  }

  /** The {@code :help NAME} text for every overload of {@code name}; empty when unknown. */
  public String describe(String name) {
    String bare = name.replaceFirst("^WB\\.", "").replaceFirst("\\(.*$", "");
    StringBuilder sb = new StringBuilder();
    for (Entry e : entries()) {
      if (e.name().equals(bare)) {
        sb.append(e.returns()).append(" WB.").append(e.signature()).append('\n')
            .append("  ").append(e.help().value()).append('\n');
        if (!e.help().example().isEmpty()) {
          sb.append("  e.g. ").append(e.help().example()).append('\n');
        }
      }
    }
    return sb.toString();
  }
}
