package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The front of wav2vec 2.0 and HuBERT: a stack of 1-D convolutions over the raw 16 kHz
 * waveform, each followed by the exact GELU, with a per-channel group norm after the first
 * ({@code feat_extract_norm = "group"}: base models) or a layer norm over channels after every
 * one ({@code "layer"}: the "stable" large models); then the feature projection (layer norm,
 * linear) to the transformer's width. Parameters under the Hugging Face names
 * ({@code feature_extractor.conv_layers.{i}.conv.weight|bias},
 * {@code feature_extractor.conv_layers.{i}.layer_norm.weight|bias},
 * {@code feature_projection.layer_norm.*}, {@code feature_projection.projection.*}).
 */
public final class ConvFeatureEncoder {
  /** Epsilon of the convolutions' group and layer norms (PyTorch's default). */
  static final float CONV_NORM_EPS = 1e-5f;
  /** Inputs up to this many values take libtorch's small-convolution path (see convolve). */
  static final long SMALL_CONV = 20480;

  private record Layer(NDArray weight, NDArray bias, NDArray normWeight, NDArray normBias,
      int stride) {}

  private final List<Layer> layers;
  private final boolean layerNorm;
  private final NDArray projNormWeight;
  private final NDArray projNormBias;
  private final Linear projection;
  private final float projectionEps;

  private ConvFeatureEncoder(List<Layer> layers, boolean layerNorm, NDArray projNormWeight,
      NDArray projNormBias, Linear projection, float projectionEps) {
    this.layers = List.copyOf(layers);
    this.layerNorm = layerNorm;
    this.projNormWeight = projNormWeight;
    this.projNormBias = projNormBias;
    this.projection = projection;
    this.projectionEps = projectionEps;
  }

  /**
   * The encoder on {@code params} (Hugging Face names, without a wrapper's prefix).
   *
   * @param strides each convolution's stride ({@code conv_stride})
   * @param norm {@code group} or {@code layer} ({@code feat_extract_norm})
   * @param projectionEps the feature projection's layer-norm epsilon ({@code layer_norm_eps})
   * @throws WorkbenchException naming a missing parameter or an unknown norm
   */
  public static ConvFeatureEncoder of(Map<String, NDArray> params, int[] strides, String norm,
      double projectionEps) {
    if (!norm.equals("group") && !norm.equals("layer")) {
      throw new WorkbenchException("feat_extract_norm '" + norm + "': group or layer");
    }
    boolean layer = norm.equals("layer");
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < strides.length; i++) {
      String p = "feature_extractor.conv_layers." + i + ".";
      boolean normed = layer || i == 0;
      layers.add(new Layer(required(params, p + "conv.weight"), params.get(p + "conv.bias"),
          normed ? required(params, p + "layer_norm.weight") : null,
          normed ? required(params, p + "layer_norm.bias") : null, strides[i]));
    }
    // HuBERT checkpoints with feat_proj_layer_norm = false have no projection norm
    return new ConvFeatureEncoder(layers, layer,
        params.get("feature_projection.layer_norm.weight"),
        params.get("feature_projection.layer_norm.bias"),
        new Linear(required(params, "feature_projection.projection.weight"),
            required(params, "feature_projection.projection.bias")), (float) projectionEps);
  }

  private static NDArray required(Map<String, NDArray> params, String key) {
    NDArray a = params.get(key);
    if (a == null) {
      throw new WorkbenchException("no parameter " + key);
    }
    return a;
  }

  /**
   * The convolutional features {@code [batch, frames, channels]} ({@code hook_conv_features})
   * of waveforms {@code [batch, samples]}; in the waveform's manager.
   */
  public NDArray features(NDArray waveform) {
    NDArray x = waveform.expandDims(1); // [B, 1, T]
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      x = convolve(x, l);
      if (l.normWeight() != null) {
        x = layerNorm ? channelLayerNorm(x, l) : groupNorm(x, l);
      }
      x = x.getNDArrayInternal().gelu();
    }
    return x.transpose(0, 2, 1);
  }

  /**
   * One layer's convolution. A single small input (one row of at most {@value #SMALL_CONV}
   * values) runs as two equal rows, of which the first is kept: libtorch sends a lone small
   * convolution to NNPACK, which on CPUs it does not support prints "Could not initialize
   * NNPACK" on every call before falling back; two rows take the oneDNN path. The result is
   * the same convolution.
   */
  private static NDArray convolve(NDArray x, Layer l) {
    boolean lone = x.getShape().get(0) == 1 && x.size() <= SMALL_CONV;
    NDArray in = lone ? x.concat(x, 0) : x;
    NDArray y = in.getNDArrayInternal().convolution(in, l.weight(), l.bias(),
        new Shape(l.stride()), new Shape(0), new Shape(1), 1).singletonOrThrow();
    return lone ? y.get("0:1") : y;
  }

  /**
   * The feature projection of {@code features}: layer norm (when the checkpoint has one), then
   * linear to the width.
   */
  public NDArray project(NDArray features) {
    if (projNormWeight == null) {
      return projection.apply(features);
    }
    NDArray normed = features.getNDArrayInternal().layerNorm(features, projNormWeight.getShape(),
        projNormWeight, projNormBias, projectionEps).singletonOrThrow();
    return projection.apply(normed);
  }

  /** GroupNorm with one group per channel: each channel normalised over time. */
  private static NDArray groupNorm(NDArray x, Layer l) {
    NDArray mean = x.mean(new int[] {2}, true);
    NDArray centred = x.sub(mean);
    NDArray var = centred.square().mean(new int[] {2}, true);
    // a PyTorch-owned scalar: training takes gradients through this norm
    NDArray normed = centred.div(var.add(io.anw.TorchArrays.scalar(x.getManager(),
        CONV_NORM_EPS)).sqrt());
    // views in the input's manager: arrays made from the weights would belong to theirs
    ai.djl.ndarray.NDManager m = x.getManager();
    ai.djl.ndarray.index.NDIndex all = new ai.djl.ndarray.index.NDIndex(":");
    return normed.mul(l.normWeight().get(m, all).expandDims(1))
        .add(l.normBias().get(m, all).expandDims(1));
  }

  /** LayerNorm over channels at every time step ({@code [B, C, T]} in and out). */
  private static NDArray channelLayerNorm(NDArray x, Layer l) {
    NDArray t = x.transpose(0, 2, 1);
    NDArray normed = t.getNDArrayInternal().layerNorm(t, l.normWeight().getShape(),
        l.normWeight(), l.normBias(), CONV_NORM_EPS).singletonOrThrow();
    return normed.transpose(0, 2, 1);
  }

  /** Input samples between consecutive output frames: the product of the strides (320). */
  public int hop() {
    int h = 1;
    for (Layer l : layers) {
      h *= l.stride();
    }
    return h;
  }

  /** Input samples one output frame sees: the convolutions' receptive field (400). */
  public int receptiveField() {
    long r = 1;
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer l = layers.get(i);
      r = (r - 1) * l.stride() + l.weight().getShape().get(2);
    }
    return (int) r;
  }

  /** Output frames of {@code samples} input samples. */
  public long frames(long samples) {
    long n = samples;
    for (Layer l : layers) {
      long k = l.weight().getShape().get(2);
      n = (n - k) / l.stride() + 1;
    }
    return n;
  }
}
