package io.anw.model;

import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A glob over hook point names: {@code *} matches within one dot-separated segment,
 * {@code **} across segments, {@code ?} one character; anything else matches itself.
 * E.g. {@code blocks.*.mlp.hook_post} selects the neurons of every layer,
 * {@code blocks.3.**} every hook point of block 3.
 */
public final class HookPattern {
  private final String glob;
  private final Pattern regex;

  private HookPattern(String glob) {
    this.glob = glob;
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^.]*");
      } else if (c == '?') {
        re.append("[^.]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    this.regex = Pattern.compile(re.toString());
  }

  /** Compiles a glob. */
  public static HookPattern of(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new WorkbenchException("empty hook name pattern");
    }
    return new HookPattern(glob.strip());
  }

  /** Whether the pattern matches the whole name. */
  public boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  /** The names this pattern matches, in the given order. */
  public List<String> select(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (matches(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * The union of the names the globs match, in the order of {@code names}.
   *
   * @throws WorkbenchException if a glob matches nothing (a typo, most likely)
   */
  public static Set<String> selectAll(List<String> names, String... globs) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String g : globs) {
      HookPattern p = of(g);
      List<String> hit = p.select(names);
      if (hit.isEmpty()) {
        throw noMatch(g);
      }
      wanted.addAll(hit);
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (String n : names) {
      if (wanted.contains(n)) {
        ordered.add(n);
      }
    }
    return ordered;
  }

  static WorkbenchException noMatch(String glob) {
    return new WorkbenchException("no hook point matches '" + glob
        + "' (names look like blocks.5.mlp.hook_post; list them with hookNames())");
  }

  @Override
  public String toString() {
    return glob;
  }
}
