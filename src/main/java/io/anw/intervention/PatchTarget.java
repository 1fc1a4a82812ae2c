package io.anw.intervention;

import io.anw.WorkbenchException;
import io.anw.model.HookContext;
import io.anw.model.HookNames;
import io.anw.model.HookPattern;
import io.anw.neuron.Neuron;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where activations are patched: hook points (a name or glob), optionally only some token
 * positions and/or some units of the last axis (neurons of {@code blocks.L.mlp.hook_post}).
 *
 * <p>Positions are token indices within a chunk: 0 = CLS, then patches frequency-major,
 * {@code 1 + f * timePatches + t} (see {@link TokenLayout#token}); for {@code hook_embed}, which
 * has no CLS, the same numbering is used (token 0 cannot be patched there). The token axis is
 * axis 1, or the query axis 2 of {@code attn.hook_pattern}. A target patches every chunk of the
 * input unless restricted to one with {@link #inChunk}.
 */
public final class PatchTarget {
  private final String hook;
  private final HookPattern pattern;
  private final int chunk; // -1: every chunk
  private final int[] positions; // null: all
  private final int[] units; // null: all

  private PatchTarget(String hook, int chunk, int[] positions, int[] units) {
    this.hook = hook;
    this.pattern = HookPattern.of(hook);
    this.chunk = chunk;
    this.positions = positions == null ? null : positions.clone();
    this.units = units == null ? null : units.clone();
    if (this.positions != null && this.positions.length == 0
        || this.units != null && this.units.length == 0) {
      throw new WorkbenchException(hook + ": empty position or unit list (omit it to patch all)");
    }
  }

  /** The whole activation at the hook points a name or glob selects. */
  public static PatchTarget hook(String hook) {
    return new PatchTarget(hook, -1, null, null);
  }

  /** Some token positions (all units) at the hook points a name or glob selects. */
  public static PatchTarget positions(String hook, int... tokens) {
    return new PatchTarget(hook, -1, tokens, null);
  }

  /** Some units of the last axis (all positions) at the hook points a name or glob selects. */
  public static PatchTarget units(String hook, int... units) {
    return new PatchTarget(hook, -1, null, units);
  }

  /** Neurons of one layer: units of {@code blocks.{layer}.mlp.hook_post}, all positions. */
  public static PatchTarget neurons(int layer, int... neurons) {
    return units(HookNames.neurons(layer), neurons);
  }

  /** A neuron set as one target per layer (all positions). */
  public static List<PatchTarget> neurons(Collection<Neuron> neurons) {
    Map<Integer, List<Integer>> byLayer = new TreeMap<>();
    for (Neuron n : neurons) {
      byLayer.computeIfAbsent(n.layer(), k -> new ArrayList<>()).add(n.index());
    }
    List<PatchTarget> out = new ArrayList<>();
    byLayer.forEach((l, idx) -> out.add(neurons(l, idx.stream().mapToInt(i -> i).toArray())));
    return out;
  }

  /** This target restricted to some token positions. */
  public PatchTarget atPositions(int... tokens) {
    return new PatchTarget(hook, chunk, tokens, units);
  }

  /** This target restricted to some units of the last axis. */
  public PatchTarget atUnits(int... unitIndices) {
    return new PatchTarget(hook, chunk, positions, unitIndices);
  }

  /** This target restricted to one chunk (forward pass) of the input. */
  public PatchTarget inChunk(int chunkIndex) {
    return new PatchTarget(hook, chunkIndex, positions, units);
  }

  /** The hook name or glob. */
  public String hook() {
    return hook;
  }

  /** Whether this target applies at a hook point. */
  public boolean matches(String name) {
    return pattern.matches(name);
  }

  /**
   * The patch mask of one chunk along the reduced axes: null when the target does not touch
   * this chunk, else a flat {@code [tokens or 1, units or 1]} array.
   *
   * @param ctx the hook point and chunk
   * @param tokens the activation's size on the token axis
   * @param width the activation's size on the last axis
   * @param byToken whether the mask varies along the token axis ({@code tokens} entries)
   * @param byUnit whether the mask varies along the last axis ({@code width} entries)
   */
  boolean[] mask(HookContext ctx, int tokens, int width, boolean byToken, boolean byUnit) {
    if (chunk >= 0 && ctx.chunk().index() != chunk) {
      return null;
    }
    int nt = byToken ? tokens : 1;
    int nu = byUnit ? width : 1;
    boolean[] tokenOn = new boolean[nt];
    boolean[] unitOn = new boolean[nu];
    if (positions == null) {
      Arrays.fill(tokenOn, true);
    } else {
      int offset = ctx.name().equals(HookNames.EMBED) ? 1 : 0;
      for (int p : positions) {
        int i = p - offset;
        if (i < 0 || i >= tokens) {
          throw new WorkbenchException(ctx.name() + ": token " + p + " is outside chunk "
              + ctx.chunk().index() + " (tokens " + offset + ".." + (tokens + offset - 1) + ")");
        }
        tokenOn[i] = true;
      }
    }
    if (units == null) {
      Arrays.fill(unitOn, true);
    } else {
      for (int u : units) {
        if (u < 0 || u >= width) {
          throw new WorkbenchException(ctx.name() + ": unit " + u + " out of range [0, " + width
              + ")");
        }
        unitOn[u] = true;
      }
    }
    boolean[] m = new boolean[nt * nu];
    for (int t = 0; t < nt; t++) {
      for (int u = 0; u < nu; u++) {
        m[t * nu + u] = tokenOn[t] && unitOn[u];
      }
    }
    return m;
  }

  /** Whether the target selects positions (its mask varies along the token axis). */
  boolean byToken() {
    return positions != null;
  }

  /** Whether the target selects units (its mask varies along the last axis). */
  boolean byUnit() {
    return units != null;
  }

  /** The token axis of a hook point's activation: 2 for attention patterns, else 1. */
  static int tokenAxis(String name) {
    return name.endsWith(HookNames.PATTERN) ? 2 : 1;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(hook);
    if (chunk >= 0) {
      sb.append(" chunk ").append(chunk);
    }
    if (positions != null) {
      sb.append(" tokens ").append(compact(positions));
    }
    if (units != null) {
      sb.append(" units ").append(compact(units));
    }
    return sb.toString();
  }

  private static String compact(int[] a) {
    if (a.length <= 8) {
      return Arrays.toString(a);
    }
    return "[" + a[0] + ", " + a[1] + ", ... " + a[a.length - 1] + "] (" + a.length + ")";
  }
}
