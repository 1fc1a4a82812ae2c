package io.anw.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The stable hook point names shared by all models, in execution order.
 *
 * <p>Shapes (B = batch, N = tokens of one chunk, token 0 = CLS then frequency-major patches
 * {@code f * timePatches + t}; D = width, H = heads, M = MLP units):
 * <ul>
 *   <li>{@code hook_embed}: patches + position embedding, {@code [B, P, D]} (no CLS yet)</li>
 *   <li>{@code hook_text_embed} (audio-text models only): caption tokens + text positions,
 *       {@code [B, T, D]}; they follow the P patches, so N = 1 + P + T</li>
 *   <li>{@code blocks.i.hook_resid_pre}, {@code hook_resid_mid}, {@code hook_resid_post},
 *       {@code hook_attn_out}, {@code hook_mlp_out}, {@code hook_final}: {@code [B, N, D]}</li>
 *   <li>{@code blocks.i.attn.hook_q|k|v}: {@code [B, N, H, D/H]}</li>
 *   <li>{@code blocks.i.attn.hook_pattern}: softmax attention {@code [B, H, N_query, N_key]}</li>
 *   <li>{@code blocks.i.mlp.hook_pre} (fc1 out) and {@code blocks.i.mlp.hook_post} (GELU out,
 *       the neurons): {@code [B, N, M]}</li>
 * </ul>
 */
public final class HookNames {
  private HookNames() {}

  /** After patch embedding and position embedding, before the CLS token is prepended. */
  public static final String EMBED = "hook_embed";
  /** Caption token embeddings plus text positions (models with a text pathway). */
  public static final String TEXT_EMBED = "hook_text_embed";
  /** After the final LayerNorm. */
  public static final String FINAL = "hook_final";

  /**
   * Front-end features before positions are added: the convolutional features of wav2vec 2.0,
   * HuBERT and Whisper, {@code [batch, frames, channels]}.
   */
  public static final String CONV_FEATURES = "hook_conv_features";
  /** Block input (residual stream). */
  public static final String RESID_PRE = "hook_resid_pre";
  /** Queries, before scaling. */
  public static final String Q = "attn.hook_q";
  /** Keys. */
  public static final String K = "attn.hook_k";
  /** Values. */
  public static final String V = "attn.hook_v";
  /** Attention probabilities. */
  public static final String PATTERN = "attn.hook_pattern";
  /** Attention output after the output projection. */
  public static final String ATTN_OUT = "hook_attn_out";
  /** Residual stream after the attention sublayer. */
  public static final String RESID_MID = "hook_resid_mid";
  /** MLP pre-activations (fc1 output). */
  public static final String MLP_PRE = "mlp.hook_pre";
  /** MLP post-activations (GELU output): the neurons. */
  public static final String MLP_POST = "mlp.hook_post";
  /** MLP output after fc2. */
  public static final String MLP_OUT = "hook_mlp_out";
  /** Block output (residual stream). */
  public static final String RESID_POST = "hook_resid_post";

  /** The per-block suffixes in execution order. */
  public static final List<String> BLOCK_SUFFIXES = List.of(RESID_PRE, Q, K, V, PATTERN,
      ATTN_OUT, RESID_MID, MLP_PRE, MLP_POST, MLP_OUT, RESID_POST);

  /**
   * The name of a per-block hook point: {@code block(5, MLP_POST)} is
   * {@code blocks.5.mlp.hook_post}.
   */
  public static String block(int layer, String suffix) {
    return "blocks." + layer + "." + suffix;
  }

  /** The neurons of every block: {@code blocks.*.mlp.hook_post}. */
  public static final String NEURONS = "blocks.*." + MLP_POST;

  /**
   * The block a hook point name is in ({@code blocks.3.mlp.hook_post.hook_sae_acts_post} is in
   * block 3), or -1 for points outside the blocks.
   */
  public static int blockOf(String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("blocks\\.(\\d+)\\..*")
        .matcher(name);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The neurons of a layer: {@code blocks.{layer}.mlp.hook_post}. */
  public static String neurons(int layer) {
    return block(layer, MLP_POST);
  }

  /** All hook point names of a ViT with {@code depth} blocks, in execution order. */
  public static List<String> vit(int depth) {
    List<String> names = new ArrayList<>(2 + depth * BLOCK_SUFFIXES.size());
    names.add(EMBED);
    for (int i = 0; i < depth; i++) {
      for (String s : BLOCK_SUFFIXES) {
        names.add(block(i, s));
      }
    }
    names.add(FINAL);
    return List.copyOf(names);
  }

  /**
   * All hook point names of an audio-text ViT with {@code depth} blocks: as {@link #vit} with
   * {@link #TEXT_EMBED} after {@link #EMBED}.
   */
  public static List<String> audioText(int depth) {
    List<String> names = new ArrayList<>(vit(depth));
    names.add(1, TEXT_EMBED);
    return List.copyOf(names);
  }

  /**
   * The block index of a hook name, or -1 for {@code hook_embed}, {@code hook_final} and names
   * outside blocks.
   */
  public static int layerOf(String name) {
    if (!name.startsWith("blocks.")) {
      return -1;
    }
    int end = name.indexOf('.', 7);
    try {
      return Integer.parseInt(name.substring(7, end < 0 ? name.length() : end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
