package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads models from checkpoint files: an M2D {@code .pth} ({@code {'model': state_dict,
 * 'args': Namespace}}, EVAR prefixes), a bare state dict, or safetensors. Sizes come from the
 * tensors and the checkpoint's folder name ({@link ModelConfig#fromCheckpointPath}); an
 * audio-text model's vocabulary from the safetensors metadata {@value #VOCABULARY}.
 */
public final class ModelFiles {
  /**
   * The metadata key holding an audio-text model's vocabulary: its tokens in id order separated
   * by spaces ({@link TextVocabulary#stored()}).
   */
  public static final String VOCABULARY = "vocabulary";

  private ModelFiles() {}

  /**
   * Loads any model the workbench runs: a Hugging Face folder ({@code config.json}: HuBERT,
   * wav2vec 2.0, Whisper, AST), an OpenAI Whisper {@code .pt} ({@code dims} +
   * {@code model_state_dict}), or else an M2D checkpoint ({@link #loadM2d(Path)}).
   *
   * @throws WorkbenchException naming the file and what is wrong
   */
  public static AudioModel load(Path path) {
    return isM2d(path) ? loadM2d(path) : HfAudioModel.load(path);
  }

  /**
   * Whether {@code path} is (or would be read as) an M2D checkpoint: not a Hugging Face folder
   * with {@code config.json} nor an OpenAI Whisper {@code .pt} with {@code dims}.
   */
  public static boolean isM2d(Path path) {
    if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json"))) {
      return false;
    }
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    return !(Files.isRegularFile(path) && (name.endsWith(".pt") || name.endsWith(".pth"))
        && TensorFiles.read(path).metadataText().containsKey("dims.n_audio_state"));
  }

  /** Loads an M2D ViT from {@code file}; loader notes are printed to stderr. */
  public static M2dViT loadM2d(Path file) {
    return loadM2d(file, ModelConfig.fromCheckpointPath(file));
  }

  /** Loads an M2D ViT from {@code file} with an explicit config (unit length, heads, stats). */
  public static M2dViT loadM2d(Path file, ModelConfig config) {
    if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("config.json"))) {
      HfAudioConfig hf = HfAudioConfig.read(file);
      throw new WorkbenchException(file + ": a " + hf.family().modelType() + " model folder; "
          + "this reads M2D's patch grid and needs an M2D checkpoint (count, aape, ablate, "
          + "patch, embed and sae run on it; `inspect " + file + "` describes it)");
    }
    if (!Files.isRegularFile(file)) {
      throw new WorkbenchException(file + ": no such model file");
    }
    TensorTree tree = TensorFiles.read(file);
    Object heads = tree.meta("heads");
    if (heads != null && config.heads() == 0) {
      try {
        config = config.withHeads(Integer.parseInt(heads.toString().strip()));
      } catch (NumberFormatException e) {
        throw new WorkbenchException(file + ": metadata heads = '" + heads + "' is not a number");
      }
    }
    Object storedName = tree.meta("name");
    if (storedName != null && !storedName.toString().isBlank()) {
      config = config.withName(storedName.toString().strip());
    }
    Object preset = tree.meta(ModelConfig.PRESET_KEY);
    if (preset != null && config.preset() == null) {
      try {
        config = config.withPreset(io.anw.audio.LogMelPreset.of(preset.toString().strip()));
      } catch (WorkbenchException e) {
        throw new WorkbenchException(file + ": metadata " + ModelConfig.PRESET_KEY + ": "
            + e.getMessage(), e);
      }
    }
    Object words = tree.meta(VOCABULARY);
    TextVocabulary vocabulary;
    try {
      vocabulary = words == null ? null : TextVocabulary.parse(words.toString());
    } catch (WorkbenchException e) {
      throw new WorkbenchException(file + ": metadata " + VOCABULARY + ": " + e.getMessage(), e);
    }
    // Keys and shapes from the headers first: a file that is not an M2D encoder (or holds a
    // huge tensor somewhere) is refused before any tensor is read.
    M2dStateDict.Layout layout = M2dStateDict.layout(tree.tensors().keySet());
    Map<String, ai.djl.ndarray.types.Shape> shapes = new LinkedHashMap<>();
    layout.params().forEach((name, key) -> shapes.put(name, tree.tensors().get(key).djlShape()));
    try {
      M2dViT.check(shapes, config, vocabulary);
    } catch (WorkbenchException e) {
      throw new WorkbenchException(named(file, config, e.getMessage()), e);
    }
    if (layout.normStatsKey() != null && tree.tensors().get(layout.normStatsKey()).numel() != 2) {
      throw new WorkbenchException(file + ": norm_stats has "
          + tree.tensors().get(layout.normStatsKey()).numel() + " values, expected [mean, std]");
    }
    try (NDManager staging = NDManager.newBaseManager()) {
      // only the encoder's entries are read (not the optimizer, decoder or target encoder)
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      layout.params().forEach((name, key) -> tensors.put(name,
          tree.tensors().get(key).toNDArray(staging)));
      if (layout.normStatsKey() != null) {
        tensors.put("norm_stats", tree.tensors().get(layout.normStatsKey()).toNDArray(staging));
      }
      M2dViT model = M2dViT.fromStateDict(tensors, config, vocabulary, null, layout.notes());
      model.source(file);
      model.notes().forEach(n -> System.err.println("note: " + n));
      return model;
    }
  }

  /** A loader message that names the file (messages name the model's config, e.g. its folder). */
  private static String named(Path file, ModelConfig config, String message) {
    String prefix = config.name() + ": ";
    String rest = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return file + ": " + rest;
  }

  /**
   * Saves an M2D ViT's weights as safetensors (float32, M2D key names, {@code norm_stats} as a
   * 2-vector) with the config name in {@code __metadata__}; {@link #loadM2d(Path, ModelConfig)}
   * reads it back.
   */
  public static Path saveM2d(M2dViT model, Path file) {
    TensorTree.Builder b = TensorTree.builder(file.toString(), "safetensors");
    for (Map.Entry<String, NDArray> e : model.stateDict().entrySet()) {
      b.tensor(e.getKey(), Tensor.of(e.getValue()));
    }
    b.tensor("norm_stats", Tensor.ofFloats(new float[] {model.normStats().mean(),
        model.normStats().std()}, 2));
    b.meta("name", model.name());
    b.meta("unit_frames", (long) model.dims().unitFrames());
    b.meta("heads", (long) model.dims().heads());
    b.meta(ModelConfig.PRESET_KEY, model.preset().name());
    model.textPathway().ifPresent(t -> b.meta(VOCABULARY, t.vocabulary().stored()));
    TensorFiles.write(file, b.build());
    return file;
  }

  /** SHA-256 (hex) of a model's weights (see {@link M2dViT#weightsSha256()}). */
  public static String weightsSha256(M2dViT model) {
    return model.weightsSha256();
  }
}
