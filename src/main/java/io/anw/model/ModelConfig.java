package io.anw.model;

import io.anw.WorkbenchException;
import io.anw.audio.LogMelPreset;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a checkpoint's tensors do not say about an M2D model: the log-mel input height, the unit
 * length of one forward pass, the patch size, the number of attention heads and the
 * normalisation statistics.
 *
 * <p>M2D encodes the first three in its checkpoint folder name, {@code NAME-FxTpPFxPT-...}, e.g.
 * {@code m2d_vit_base-80x608p16x16-220930-mr7} is 80 mel bins, 608-frame units, 16×16 patches.
 *
 * @param name model name shown to the user (the folder name when known)
 * @param melBins input height F in mel bins (80 for all released M2D models)
 * @param unitFrames frames per forward pass (208/608/1001); 0 = infer from {@code pos_embed}
 * @param patchFreq patch height in mel bins; 0 = from {@code patch_embed.proj.weight}
 * @param patchTime patch width in frames; 0 = from {@code patch_embed.proj.weight}
 * @param heads attention heads; 0 = width / 64
 * @param normStats the log-mel normalisation; null = from the checkpoint, else
 *     {@link NormStats#DEFAULT}
 * @param preset the log-mel front end the model reads; null = from the checkpoint's metadata
 *     ({@value #PRESET_KEY}), else from the folder name ({@code p32k}: {@code m2d-32k}), else
 *     {@code m2d-16k}
 */
public record ModelConfig(String name, int melBins, int unitFrames, int patchFreq, int patchTime,
    int heads, NormStats normStats, LogMelPreset preset) {

  /** The checkpoint metadata key naming the front end, e.g. {@code m2d-16k}. */
  public static final String PRESET_KEY = "preset";

  /** A config whose front end comes from the checkpoint (see {@link #preset()}). */
  public ModelConfig(String name, int melBins, int unitFrames, int patchFreq, int patchTime,
      int heads, NormStats normStats) {
    this(name, melBins, unitFrames, patchFreq, patchTime, heads, normStats, null);
  }

  /** The unit length of short (2.08 s) M2D models, used when nothing else says. */
  public static final int DEFAULT_UNIT_FRAMES = 208;

  /** M2D names its 32 kHz models {@code ...p16x16p32k-...}. */
  private static final Pattern THIRTY_TWO_K = Pattern.compile("(?:^|[-_p])32k(?:$|[-_])");

  private static final Pattern SIZES = Pattern.compile("-(\\d+)x(\\d+)p(\\d+)x(\\d+)(?:p|-|$)");

  /** Validates the fields. */
  public ModelConfig {
    if (name == null || name.isBlank()) {
      name = "m2d";
    }
    if (melBins <= 0 || unitFrames < 0 || patchFreq < 0 || patchTime < 0 || heads < 0) {
      throw new WorkbenchException("model config " + name + ": sizes must be positive (melBins="
          + melBins + ", unitFrames=" + unitFrames + ", patch=" + patchFreq + "x" + patchTime
          + ", heads=" + heads + ")");
    }
  }

  /** 80 mel bins; unit length, patch size, heads and norm stats from the checkpoint. */
  public static ModelConfig defaults() {
    return new ModelConfig("m2d", 80, 0, 0, 0, 0, null);
  }

  /**
   * The config encoded in an M2D folder name {@code NAME-FxTpPFxPT...}; a name without sizes
   * gives {@link #defaults()} under that name (the unit length is then inferred from the
   * checkpoint's {@code pos_embed}, which is 208 frames for the short models).
   */
  public static ModelConfig fromName(String folderName) {
    LogMelPreset preset = THIRTY_TWO_K.matcher(folderName).find() ? LogMelPreset.M2D_32K : null;
    Matcher m = SIZES.matcher(folderName);
    if (!m.find()) {
      return defaults().withName(folderName).withPreset(preset);
    }
    return new ModelConfig(folderName, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), 0, null, preset);
  }

  /**
   * The config of a checkpoint file: from its folder when the folder is named as M2D names its
   * runs ({@code m2d_vit_base-80x608p16x16-.../checkpoint-300.pth}, sizes and {@code p32k}
   * read from it), else from the file name without its extension
   * ({@code models/m2d-tiny.safetensors} is {@code m2d-tiny}, not {@code models}). A
   * checkpoint's {@code name} metadata, when present, wins over both (see {@link ModelFiles}).
   */
  public static ModelConfig fromCheckpointPath(Path weightFile) {
    Path parent = weightFile.toAbsolutePath().getParent();
    String folder = parent == null || parent.getFileName() == null ? ""
        : parent.getFileName().toString();
    if (SIZES.matcher(folder).find() || THIRTY_TWO_K.matcher(folder).find()) {
      return fromName(folder);
    }
    String file = weightFile.getFileName().toString();
    int dot = file.indexOf('.');
    return fromName(dot > 0 ? file.substring(0, dot) : file);
  }

  /** This config under another name. */
  public ModelConfig withName(String newName) {
    return new ModelConfig(newName, melBins, unitFrames, patchFreq, patchTime, heads, normStats,
        preset);
  }

  /** This config with a given unit length in frames (0 = infer). */
  public ModelConfig withUnitFrames(int frames) {
    return new ModelConfig(name, melBins, frames, patchFreq, patchTime, heads, normStats, preset);
  }

  /** This config with a given number of attention heads (0 = width / 64). */
  public ModelConfig withHeads(int n) {
    return new ModelConfig(name, melBins, unitFrames, patchFreq, patchTime, n, normStats, preset);
  }

  /** This config with given log-mel normalisation statistics. */
  public ModelConfig withNormStats(float mean, float std) {
    return new ModelConfig(name, melBins, unitFrames, patchFreq, patchTime, heads,
        new NormStats(mean, std), preset);
  }

  /** This config with a given front end (null: from the checkpoint or the default). */
  public ModelConfig withPreset(LogMelPreset p) {
    return new ModelConfig(name, melBins, unitFrames, patchFreq, patchTime, heads, normStats, p);
  }
}
