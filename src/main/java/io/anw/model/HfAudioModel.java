package io.anw.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.anw.WorkbenchException;
import io.anw.tensor.Tensor;
import io.anw.tensor.TensorFiles;
import io.anw.tensor.TensorTree;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face audio model folder loaded as its encoder ({@link Wav2vec2Encoder},
 * {@link WhisperEncoder} or {@link AstEncoder}): the architecture from {@code config.json}
 * ({@link HfAudioConfig}), the weights from {@code model.safetensors} or
 * {@code pytorch_model.bin}, a wrapper's prefix stripped ({@code hubert.}, {@code wav2vec2.},
 * {@code model.}, {@code audio_spectrogram_transformer.}) and its heads and decoder left out,
 * copied into PyTorch-owned float32 arrays that live until {@link #close}.
 */
public final class HfAudioModel implements AutoCloseable {
  private static final List<String> PREFIXES = List.of("", "hubert.", "wav2vec2.", "model.",
      "audio_spectrogram_transformer.");

  private final HfAudioConfig config;
  private final NDManager weights;
  private final Wav2vec2Encoder wav2vec2;
  private final WhisperEncoder whisper;
  private final AstEncoder ast;

  private HfAudioModel(HfAudioConfig config, NDManager weights, Wav2vec2Encoder wav2vec2,
      WhisperEncoder whisper, AstEncoder ast) {
    this.config = config;
    this.weights = weights;
    this.wav2vec2 = wav2vec2;
    this.whisper = whisper;
    this.ast = ast;
  }

  /**
   * Loads the folder {@code dir}.
   *
   * @throws WorkbenchException naming the folder or file and what is wrong
   */
  public static HfAudioModel load(Path dir) {
    HfAudioConfig cfg = HfAudioConfig.read(dir);
    TensorTree tree = TensorFiles.read(cfg.weights());
    String anchor = switch (cfg.family()) {
      case HUBERT, WAV2VEC2 -> "feature_extractor.conv_layers.0.conv.weight";
      case WHISPER -> "encoder.conv1.weight";
      case AST -> "embeddings.patch_embeddings.projection.weight";
    };
    String prefix = null;
    for (String p : PREFIXES) {
      if (prefix == null && tree.tensors().containsKey(p + anchor)) {
        prefix = p;
      }
    }
    if (prefix == null) {
      throw new WorkbenchException(cfg.weights() + ": no " + anchor + " (under any of the "
          + "prefixes " + String.join(", ", PREFIXES.subList(1, PREFIXES.size())) + ")");
    }
    NDManager owned = NDManager.newBaseManager();
    try (NDManager staging = NDManager.newBaseManager()) {
      Map<String, NDArray> p = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : tree.tensors().entrySet()) {
        String key = e.getKey();
        if (!key.startsWith(prefix) || cfg.family() == HfAudioConfig.Family.WHISPER
            && !key.startsWith(prefix + "encoder.")) {
          continue; // a wrapper's head, Whisper's decoder
        }
        NDArray a = e.getValue().toNDArray(staging);
        if (a.getDataType() != DataType.FLOAT32) {
          a = a.toType(DataType.FLOAT32, false);
        }
        p.put(key.substring(prefix.length()), io.anw.TorchArrays.copy(a, owned));
      }
      float eps = (float) cfg.layerNormEps();
      return switch (cfg.family()) {
        case HUBERT, WAV2VEC2 -> new HfAudioModel(cfg, owned, Wav2vec2Encoder.of(p, cfg.heads(),
            cfg.convStrides(), cfg.featureNorm(), cfg.preNorm(), eps, cfg.positionGroups()),
            null, null);
        case WHISPER -> new HfAudioModel(cfg, owned, null, WhisperEncoder.of(p, cfg.heads()),
            null);
        case AST -> new HfAudioModel(cfg, owned, null, null, AstEncoder.of(p, cfg.heads(), eps,
            cfg.patchStrides()[0], cfg.patchStrides()[1]));
      };
    } catch (RuntimeException e) {
      owned.close();
      throw e instanceof WorkbenchException ? e
          : new WorkbenchException(dir + ": " + e.getMessage(), e);
    }
  }

  /** The architecture read from config.json. */
  public HfAudioConfig config() {
    return config;
  }

  /**
   * The encoder's last hidden state {@code [batch, tokens, width]} of its input: a waveform
   * {@code [batch, samples]} (wav2vec 2.0, HuBERT), a Whisper log-mel {@code [batch, mels,
   * frames]} or a normalised Kaldi fbank {@code [batch, frames, bins]} (AST); in the input's
   * manager.
   */
  public NDArray lastHiddenState(NDArray input) {
    io.anw.GradMode.disableOnCurrentThread();
    if (wav2vec2 != null) {
      return wav2vec2.forward(input, HookRun.IDLE);
    }
    return whisper != null ? whisper.forward(input, HookRun.IDLE)
        : ast.forward(input, HookRun.IDLE);
  }

  @Override
  public void close() {
    weights.close();
  }
}
