package io.anw.model;

import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes of an M2D audio ViT, inferred from its parameter shapes and a {@link ModelConfig}.
 *
 * @param depth transformer blocks
 * @param width embedding width D
 * @param heads attention heads H (head width D / H)
 * @param mlpDim hidden units of each block's MLP (the neurons per layer)
 * @param melBins input height F in mel bins
 * @param patchFreq patch height in mel bins
 * @param patchTime patch width in frames
 * @param unitFrames frames per forward pass (one chunk)
 * @param unitPatches time patches of {@code pos_embed}'s grid
 */
public record VitDims(int depth, int width, int heads, int mlpDim, int melBins, int patchFreq,
    int patchTime, int unitFrames, int unitPatches) {

  private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");

  /** Frequency patches per time step, F / patchFreq. */
  public int freqPatches() {
    return melBins / patchFreq;
  }

  /** Width of one head, D / H. */
  public int headWidth() {
    return width / heads;
  }

  /** Width of the stacked per-time-step features, {@code freqPatches * width}. */
  public int featureWidth() {
    return freqPatches() * width;
  }

  /** Mel bins of every M2D model's input. */
  public static final int M2D_MEL_BINS = 80;

  /** Patch height and width of the M2D models (16×16). */
  public static final int M2D_PATCH = 16;

  /**
   * The sizes of an M2D-shaped encoder: {@value #M2D_MEL_BINS} mel bins, {@value #M2D_PATCH}×
   * {@value #M2D_PATCH} patches, a unit of {@code unitFrames} (a multiple of the patch width).
   */
  public static VitDims m2d(int depth, int width, int heads, int mlpDim, int unitFrames) {
    return new VitDims(depth, width, heads, mlpDim, M2D_MEL_BINS, M2D_PATCH, M2D_PATCH,
        unitFrames, unitFrames / M2D_PATCH);
  }

  /** Every parameter the encoder needs, by timm name, with its shape. */
  public Map<String, Shape> expectedShapes() {
    long d = width;
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put("cls_token", new Shape(1, 1, d));
    s.put("pos_embed", new Shape(1, 1 + (long) freqPatches() * unitPatches, d));
    s.put("patch_embed.proj.weight", new Shape(d, 1, patchFreq, patchTime));
    s.put("patch_embed.proj.bias", new Shape(d));
    for (int i = 0; i < depth; i++) {
      String b = "blocks." + i + ".";
      s.put(b + "norm1.weight", new Shape(d));
      s.put(b + "norm1.bias", new Shape(d));
      s.put(b + "attn.qkv.weight", new Shape(3 * d, d));
      s.put(b + "attn.qkv.bias", new Shape(3 * d));
      s.put(b + "attn.proj.weight", new Shape(d, d));
      s.put(b + "attn.proj.bias", new Shape(d));
      s.put(b + "norm2.weight", new Shape(d));
      s.put(b + "norm2.bias", new Shape(d));
      s.put(b + "mlp.fc1.weight", new Shape(mlpDim, d));
      s.put(b + "mlp.fc1.bias", new Shape(mlpDim));
      s.put(b + "mlp.fc2.weight", new Shape(d, mlpDim));
      s.put(b + "mlp.fc2.bias", new Shape(d));
    }
    s.put("norm.weight", new Shape(d));
    s.put("norm.bias", new Shape(d));
    return s;
  }

  /**
   * Infers the sizes from parameter shapes and checks that exactly the expected parameters are
   * there with the expected shapes.
   *
   * @param shapes parameter shapes by timm name (wrappers already removed)
   * @throws WorkbenchException listing missing and unknown keys, or the first wrong shape
   */
  public static VitDims infer(Map<String, Shape> shapes, ModelConfig config) {
    Shape proj = shapes.get("patch_embed.proj.weight");
    Shape pos = shapes.get("pos_embed");
    Shape fc1 = shapes.get("blocks.0.mlp.fc1.weight");
    if (proj == null || pos == null || fc1 == null) {
      throw keyError(shapes, null, config);
    }
    if (proj.dimension() != 4 || proj.get(1) != 1 || proj.get(0) < 1 || proj.get(2) < 1
        || proj.get(3) < 1) {
      throw new WorkbenchException(config.name() + ": patch_embed.proj.weight has shape " + proj
          + ", expected (width, 1, patchF, patchT): a one-channel audio ViT");
    }
    int width = (int) proj.get(0);
    int pf = (int) proj.get(2);
    int pt = (int) proj.get(3);
    if (config.patchFreq() != 0 && (config.patchFreq() != pf || config.patchTime() != pt)) {
      throw new WorkbenchException(config.name() + ": name says " + config.patchFreq() + "x"
          + config.patchTime() + " patches, checkpoint has " + pf + "x" + pt);
    }
    if (config.melBins() % pf != 0) {
      throw new WorkbenchException(config.name() + ": " + config.melBins()
          + " mel bins are not a multiple of the patch height " + pf);
    }
    int fp = config.melBins() / pf;
    long posTokens = pos.dimension() == 3 ? pos.get(1) - 1 : -1;
    if (posTokens <= 0 || posTokens % fp != 0) {
      throw new WorkbenchException(config.name() + ": pos_embed has shape " + pos + ", not 1 + "
          + fp + " x time patches for " + config.melBins() + " mel bins");
    }
    int unitPatches = (int) (posTokens / fp);
    int unitFrames = config.unitFrames() == 0 ? unitPatches * pt : config.unitFrames();
    if (unitFrames / pt != unitPatches) {
      throw new WorkbenchException(config.name() + ": a unit of " + unitFrames + " frames gives "
          + unitFrames / pt + " time patches, but pos_embed has " + unitPatches);
    }
    int depth = depthOf(shapes, config);
    int heads = config.heads();
    if (heads == 0) {
      if (width % 64 != 0) {
        throw new WorkbenchException(config.name() + ": width " + width
            + " is not a multiple of 64; give the number of heads");
      }
      heads = width / 64;
    }
    if (width % heads != 0) {
      throw new WorkbenchException(config.name() + ": width " + width + " is not divisible by "
          + heads + " heads");
    }
    if (fc1.dimension() != 2 || fc1.get(0) < 1 || fc1.get(0) > Integer.MAX_VALUE) {
      throw new WorkbenchException(config.name() + ": blocks.0.mlp.fc1.weight has shape " + fc1
          + ", expected (mlp, width)");
    }
    VitDims dims = new VitDims(depth, width, heads, (int) fc1.get(0), config.melBins(), pf, pt,
        unitFrames, unitPatches);
    dims.check(shapes, config);
    return dims;
  }

  private static int depthOf(Map<String, Shape> shapes, ModelConfig config) {
    TreeSet<Integer> ids = new TreeSet<>();
    for (String k : shapes.keySet()) {
      Matcher m = BLOCK.matcher(k);
      if (m.find()) {
        if (m.group(1).length() > 6) {
          throw new WorkbenchException(config.name() + ": key " + k + " names block "
              + m.group(1) + "; not an M2D ViT");
        }
        ids.add(Integer.parseInt(m.group(1)));
      }
    }
    if (!ids.isEmpty() && ids.last() + 1 != ids.size()) {
      throw new WorkbenchException(config.name() + ": blocks are numbered up to " + ids.last()
          + " but " + (ids.last() + 1 - ids.size()) + " of them are missing");
    }
    return ids.isEmpty() ? 0 : ids.last() + 1;
  }

  private void check(Map<String, Shape> shapes, ModelConfig config) {
    Map<String, Shape> expected = expectedShapes();
    if (!expected.keySet().equals(shapes.keySet())) {
      throw keyError(shapes, expected, config);
    }
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      Shape got = shapes.get(e.getKey());
      if (!got.equals(e.getValue())) {
        throw new WorkbenchException(config.name() + ": " + e.getKey() + " has shape " + got
            + ", expected " + e.getValue());
      }
    }
  }

  private static WorkbenchException keyError(Map<String, Shape> shapes,
      Map<String, Shape> expected, ModelConfig config) {
    List<String> missing = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    if (expected == null) {
      for (String k : List.of("patch_embed.proj.weight", "pos_embed",
          "blocks.0.mlp.fc1.weight")) {
        if (!shapes.containsKey(k)) {
          missing.add(k);
        }
      }
    } else {
      expected.keySet().stream().filter(k -> !shapes.containsKey(k)).forEach(missing::add);
      shapes.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(unknown::add);
    }
    StringBuilder msg = new StringBuilder(config.name()).append(": not an M2D ViT state dict;");
    if (!missing.isEmpty()) {
      msg.append(" missing ").append(missing.size()).append(' ').append(abbreviate(missing));
    }
    if (!unknown.isEmpty()) {
      msg.append(missing.isEmpty() ? "" : ";").append(" unknown ").append(unknown.size())
          .append(' ').append(abbreviate(unknown));
    }
    return new WorkbenchException(msg.toString());
  }

  private static String abbreviate(List<String> keys) {
    int shown = Math.min(keys.size(), 8);
    return "[" + String.join(", ", keys.subList(0, shown))
        + (keys.size() > shown ? ", ... " + (keys.size() - shown) + " more" : "") + "]";
  }
}
