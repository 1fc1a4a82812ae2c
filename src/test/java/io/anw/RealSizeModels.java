package io.anw;

import ai.djl.ndarray.types.Shape;
import io.anw.model.TextPathway;
import io.anw.model.VitDims;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import io.anw.tensor.TorchWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Real-size checkpoints for tests, written at test time with the workbench's own writers (nothing
 * committed): a float32 M2D ViT-B (12 blocks, width 768, 12 heads, MLP 3072, 80×208 input, 16×16
 * patches; 86 M parameters, 344 MB) with seeded random weights, as {@code torch.save} writes a
 * released M2D checkpoint ({@code {'model': state_dict, 'args': Namespace}}, zip layout), in
 * the legacy torch layout, as float32 safetensors, and an audio-text ViT-B of the same width.
 * Files go under {@code target/test-models/} and are reused by later tests of the same build.
 */
public final class RealSizeModels {
  /** M2D ViT-B sizes. */
  public static final VitDims VIT_B = new VitDims(12, 768, 12, 3072, 80, 16, 16, 208, 13);

  private static final Path DIR = Path.of("target", "test-models");
  private static final long SEED = 20261202L;

  private RealSizeModels() {}

  /** The ViT-B as a torch zip {@code .pth}: {@code {'model': state_dict, 'args': Namespace}}. */
  public static synchronized Path m2dPth() {
    Path file = DIR.resolve("m2d_vit_base-80x208p16x16-random/checkpoint-1.pth");
    if (!Files.isRegularFile(file)) {
      TorchWriter.write(mkdirs(file), checkpoint());
    }
    return file;
  }

  /** The same weights in the legacy torch layout ({@code _use_new_zipfile_serialization=False}). */
  public static synchronized Path m2dLegacyPth() {
    Path file = DIR.resolve("m2d_vit_base-80x208p16x16-legacy/checkpoint-1.pth");
    if (!Files.isRegularFile(file)) {
      TorchWriter.writeLegacy(mkdirs(file), checkpoint());
    }
    return file;
  }

  /** The same weights as float32 safetensors (timm key names). */
  public static synchronized Path m2dSafetensors() {
    Path file = DIR.resolve("m2d-vit-b-random.safetensors");
    if (!Files.isRegularFile(file)) {
      TensorTree.Builder b = TensorTree.builder(file.toString(), "safetensors");
      weights(VIT_B, SEED).forEach(b::tensor);
      TensorFiles.write(mkdirs(file), b.build());
    }
    return file;
  }

  /**
   * An audio-text ViT-B: the encoder above plus a caption pathway ({@code text_embed.weight},
   * {@code text_pos_embed}) with the vocabulary and caption length of the sample model
   * {@code audio-text-tiny}, so it reads the sample task {@code pitch_caption}.
   */
  public static synchronized Path audioTextSafetensors() {
    Path file = DIR.resolve("audio-text-vit-b-random.safetensors");
    if (!Files.isRegularFile(file)) {
      TensorTree tiny = TensorFiles.read(Path.of("samples/models/audio-text-tiny.safetensors"));
      String vocabulary = tiny.meta("vocabulary").toString();
      int words = vocabulary.split(" ").length;
      int length = (int) tiny.tensor(TextPathway.POSITIONS).shape()[1];
      TensorTree.Builder b = TensorTree.builder(file.toString(), "safetensors");
      weights(VIT_B, SEED + 1).forEach(b::tensor);
      SplittableRandom rnd = new SplittableRandom(SEED + 2);
      TextPathway.expectedShapes(words, length, VIT_B.width())
          .forEach((k, s) -> b.tensor(k, random(s, rnd)));
      b.meta("vocabulary", vocabulary);
      b.meta("name", "audio-text-vit-b-random");
      TensorFiles.write(mkdirs(file), b.build());
    }
    return file;
  }

  private static Map<String, Object> checkpoint() {
    Map<String, Object> model = new LinkedHashMap<>();
    weights(VIT_B, SEED).forEach((k, t) -> model.put(k, t));
    // parts of the M2D training model that are not the encoder, as in released checkpoints
    SplittableRandom rnd = new SplittableRandom(SEED + 3);
    model.put("mask_token", random(new Shape(1, 1, 512), rnd));
    model.put("decoder_embed.weight", random(new Shape(512, 768), rnd));
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("model", "m2d_vit_base");
    args.put("input_size", List.of(80L, 208L));
    args.put("patch_size", List.of(16L, 16L));
    args.put("epochs", 300L);
    args.put("norm_pix_loss", true);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("model", model);
    root.put("args", new TorchWriter.Namespace(args));
    return root;
  }

  /** Encoder weights of {@code dims}: LayerNorms 1/0, biases 0, the rest uniform with std 0.02. */
  public static Map<String, Tensor> weights(VitDims dims, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    dims.expectedShapes().forEach((k, s) -> {
      float[] v = new float[Math.toIntExact(s.size())];
      if (k.contains("norm") && k.endsWith("weight")) {
        java.util.Arrays.fill(v, 1f);
      } else if (!k.endsWith("bias")) {
        fill(v, rnd);
      }
      out.put(k, Tensor.ofFloats(v, s.getShape()));
    });
    return out;
  }

  private static Tensor random(Shape s, SplittableRandom rnd) {
    float[] v = new float[Math.toIntExact(s.size())];
    fill(v, rnd);
    return Tensor.ofFloats(v, s.getShape());
  }

  private static void fill(float[] v, SplittableRandom rnd) {
    double a = 0.02 * Math.sqrt(3); // uniform on [-a, a] has std 0.02
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
    }
  }

  private static Path mkdirs(Path file) {
    try {
      Files.createDirectories(file.getParent());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
