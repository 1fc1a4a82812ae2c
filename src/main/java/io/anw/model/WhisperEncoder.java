package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whisper's audio encoder on a log-mel ({@code audio.WhisperLogMel}): two 1-D convolutions
 * (kernel 3; the second with stride 2, halving the frames) each with the exact GELU
 * ({@code hook_conv_features}), plus the checkpoint's sinusoidal positions ({@code hook_embed}),
 * pre-norm blocks with split q/k/v and no key bias (the one {@link VitBlock} code), and the
 * final layer norm ({@code hook_final}). Reads the Hugging Face layout ({@code encoder.conv1},
 * {@code encoder.embed_positions.weight}, {@code encoder.layers.{i}.self_attn.*},
 * {@code encoder.layer_norm}) or OpenAI's ({@code encoder.conv1},
 * {@code encoder.positional_embedding}, {@code encoder.blocks.{i}.attn.*}, {@code encoder.ln_post}).
 */
public final class WhisperEncoder {
  private final NDArray conv1Weight;
  private final NDArray conv1Bias;
  private final NDArray conv2Weight;
  private final NDArray conv2Bias;
  private final NDArray positions; // [n_ctx, d]
  private final List<VitBlock> blocks;
  private final Norm finalNorm;

  private WhisperEncoder(Map<String, NDArray> p, List<VitBlock> blocks, Norm finalNorm,
      NDArray positions) {
    this.conv1Weight = p.get("encoder.conv1.weight");
    this.conv1Bias = p.get("encoder.conv1.bias");
    this.conv2Weight = p.get("encoder.conv2.weight");
    this.conv2Bias = p.get("encoder.conv2.bias");
    this.positions = positions;
    this.blocks = List.copyOf(blocks);
    this.finalNorm = finalNorm;
  }

  /**
   * The encoder on a checkpoint's parameters (either layout, keys starting with
   * {@code encoder.}).
   *
   * @throws WorkbenchException when neither layout's parameters are there
   */
  public static WhisperEncoder of(Map<String, NDArray> p, int heads) {
    boolean openai = p.containsKey("encoder.blocks.0.attn.query.weight");
    boolean hf = p.containsKey("encoder.layers.0.self_attn.q_proj.weight");
    if (!openai && !hf || !p.containsKey("encoder.conv1.weight")
        || !p.containsKey("encoder.conv2.weight")) {
      throw new WorkbenchException("not a Whisper encoder: no encoder.conv1/conv2 and "
          + "encoder.layers.0.self_attn.q_proj (Hugging Face) or encoder.blocks.0.attn.query "
          + "(OpenAI) parameters");
    }
    List<VitBlock> blocks = new ArrayList<>();
    String stem = openai ? "encoder.blocks." : "encoder.layers.";
    for (int i = 0; p.containsKey(stem + i + (openai ? ".attn.query.weight"
        : ".self_attn.q_proj.weight")); i++) {
      blocks.add(VitBlock.whisper(i, heads, openai, p, stem + i + "."));
    }
    NDArray positions = p.get(openai ? "encoder.positional_embedding"
        : "encoder.embed_positions.weight");
    if (positions == null) {
      throw new WorkbenchException("not a Whisper encoder: no positional embedding");
    }
    return new WhisperEncoder(p, blocks, Norm.of(p, openai ? "encoder.ln_post"
        : "encoder.layer_norm", 1e-5f), positions);
  }

  /** Encoder blocks. */
  public int depth() {
    return blocks.size();
  }

  /** Positions the encoder takes: {@code n_audio_ctx}, half the input frames. */
  public long contextFrames() {
    return positions.getShape().get(0);
  }

  /**
   * The encoder's output {@code [batch, frames / 2, d]} of log-mels {@code [batch, mels,
   * frames]} (at most {@code 2 · n_ctx} frames; Whisper itself always reads 3000), with hooks.
   */
  NDArray forward(NDArray mel, HookRun run) {
    long frames = mel.getShape().get(2);
    if (frames > 2 * contextFrames()) {
      throw new WorkbenchException("Whisper encoder: " + frames + " frames is more than "
          + 2 * contextFrames());
    }
    NDArray x = mel.getNDArrayInternal().convolution(mel, conv1Weight, conv1Bias, new Shape(1),
        new Shape(1), new Shape(1), 1).singletonOrThrow().getNDArrayInternal().gelu();
    x = x.getNDArrayInternal().convolution(x, conv2Weight, conv2Bias, new Shape(2),
        new Shape(1), new Shape(1), 1).singletonOrThrow().getNDArrayInternal().gelu();
    x = run.at(HookNames.CONV_FEATURES, x.transpose(0, 2, 1));
    long t = x.getShape().get(1);
    NDManager m = x.getManager();
    x = run.at(HookNames.EMBED, x.add(positions.get(m, new NDIndex("0:{}, :", t))));
    x = VitBlock.forwardAll(blocks, x, run);
    return run.at(HookNames.FINAL, finalNorm.apply(x));
  }
}
