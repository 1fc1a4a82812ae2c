package io.anw.model;

import io.anw.WorkbenchException;

/**
 * The units an experiment names by {@code (layer, index)}: the MLP neurons of every block
 * ({@code blocks.*.mlp.hook_post}, {@code layers × neuronsPerLayer}), or the features of a sparse
 * autoencoder spliced in at one hook point ({@code HOOK.hook_sae_acts_post}, one layer of
 * {@code d_sae} units). Counting, ablation and patching read and edit units through
 * {@link #point(int)} and run with {@link #base()} (the splice that makes features exist).
 *
 * @param kind what a unit is, {@code neuron} or {@code feature} (for messages and tables)
 * @param hook the hook point family, a glob with {@code *} for the layer, or one point
 * @param layers the layers of units (1 for one point)
 * @param units units per layer
 * @param block the block a single-point unit space sits in (-1 when it spans blocks)
 * @param base hooks every run of these units needs (e.g. an SAE splice; none for neurons)
 */
public record UnitSpace(String kind, String hook, int layers, int units, int block,
    Hooks base) {
  /** Checks the sizes. */
  public UnitSpace {
    if (layers < 1 || units < 1) {
      throw new WorkbenchException("a unit space needs at least one layer and unit, got "
          + layers + " x " + units);
    }
    if (hook.contains("*") != (layers > 1 || block < 0)) {
      throw new WorkbenchException("unit space " + hook + ": a glob spans blocks, one point is"
          + " one layer");
    }
  }

  /** The MLP neurons of every block of {@code model}: {@code blocks.*.mlp.hook_post}. */
  public static UnitSpace neurons(Model model) {
    return new UnitSpace("neuron", HookNames.NEURONS, model.layers(), model.neuronsPerLayer(),
        -1, Hooks.none());
  }

  /**
   * One layer of {@code units} units at a single hook point of block {@code block}, run with
   * {@code base} (e.g. the features of an SAE: {@code blocks.3.mlp.hook_post.hook_sae_acts_post}).
   */
  public static UnitSpace at(String kind, String point, int block, int units, Hooks base) {
    return new UnitSpace(kind, point, 1, units, block, base);
  }

  /** The hook point of layer {@code layer} (0-based index into {@link #layers()}). */
  public String point(int layer) {
    if (layer < 0 || layer >= layers) {
      throw new WorkbenchException("layer " + layer + " is outside the " + layers
          + " layer(s) of " + hook);
    }
    return hook.contains("*") ? hook.replace("*", Integer.toString(layer)) : hook;
  }

  /** The layer index of a hook call on one of these points. */
  public int layerOf(HookContext ctx) {
    return hook.contains("*") ? ctx.layer() : 0;
  }

  @Override
  public String toString() {
    return layers + " x " + units + " " + kind + "s at " + hook;
  }
}
