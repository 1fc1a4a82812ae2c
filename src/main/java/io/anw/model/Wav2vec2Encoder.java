package io.anw.model;

import ai.djl.ndarray.NDArray;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The wav2vec 2.0 / HuBERT encoder from the raw 16 kHz waveform (Hugging Face names, a
 * wrapper's prefix stripped): the convolutional feature encoder ({@code hook_conv_features}) and
 * feature projection ({@link ConvFeatureEncoder}), plus the convolutional positions
 * ({@link ConvPositions}); then, post-norm (base models): the encoder's layer norm
 * ({@code hook_embed}) and post-norm blocks; or, "stable layer norm" (large models): pre-norm
 * blocks and the layer norm at the end. Blocks are the one {@link VitBlock} code
 * ({@link VitBlock#wav2vec2}); {@code hook_final} is the last hidden state.
 */
public final class Wav2vec2Encoder {
  private final ConvFeatureEncoder features;
  private final ConvPositions positions;
  private final Norm norm;
  private final List<VitBlock> blocks;
  private final boolean stable;

  private Wav2vec2Encoder(ConvFeatureEncoder features, ConvPositions positions, Norm norm,
      List<VitBlock> blocks, boolean stable) {
    this.features = features;
    this.positions = positions;
    this.norm = norm;
    this.blocks = List.copyOf(blocks);
    this.stable = stable;
  }

  /**
   * The encoder on Hugging Face parameters ({@code feature_extractor.*},
   * {@code feature_projection.*}, {@code encoder.pos_conv_embed.*}, {@code encoder.layer_norm.*},
   * {@code encoder.layers.{i}.*}), with the sizes of {@code config.json}.
   *
   * @param strides {@code conv_stride}
   * @param featureNorm {@code feat_extract_norm}: group or layer
   * @param stable {@code do_stable_layer_norm}
   * @param eps {@code layer_norm_eps}
   * @param positionGroups {@code num_conv_pos_embedding_groups}
   * @throws WorkbenchException naming a missing parameter
   */
  public static Wav2vec2Encoder of(Map<String, NDArray> p, int heads, int[] strides,
      String featureNorm, boolean stable, float eps, int positionGroups) {
    ConvFeatureEncoder fe = ConvFeatureEncoder.of(p, strides, featureNorm, eps);
    ConvPositions pos = ConvPositions.of(p, "encoder.pos_conv_embed.", positionGroups);
    if (!p.containsKey("encoder.layer_norm.weight")) {
      throw new WorkbenchException("no parameter encoder.layer_norm.weight");
    }
    List<VitBlock> blocks = new ArrayList<>();
    for (int i = 0; p.containsKey("encoder.layers." + i + ".attention.q_proj.weight"); i++) {
      blocks.add(VitBlock.wav2vec2(i, heads, stable, p, "encoder.layers." + i + ".", eps));
    }
    return new Wav2vec2Encoder(fe, pos, Norm.of(p, "encoder.layer_norm", eps), blocks, stable);
  }

  /** Encoder blocks. */
  public int depth() {
    return blocks.size();
  }

  /** The convolutional feature encoder (its hop and receptive field place the frames). */
  public ConvFeatureEncoder featureEncoder() {
    return features;
  }

  /** Frames the encoder gives for {@code samples} input samples. */
  public long frames(long samples) {
    return features.frames(samples);
  }

  /** The last hidden state {@code [batch, frames, width]} of waveforms {@code [batch, samples]}. */
  NDArray forward(NDArray waveform, HookRun run) {
    NDArray f = run.at(HookNames.CONV_FEATURES, features.features(waveform));
    NDArray h = features.project(f);
    h = h.add(positions.apply(h));
    h = run.at(HookNames.EMBED, stable ? h : norm.apply(h));
    h = VitBlock.forwardAll(blocks, h, run);
    return run.at(HookNames.FINAL, stable ? norm.apply(h) : h);
  }
}
