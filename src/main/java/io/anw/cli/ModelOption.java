package io.anw.cli;

/** What the verbs' {@code --model} takes, said once for every verb's help. */
final class ModelOption {
  private ModelOption() {}

  /** The help text of {@code --model}. */
  static final String DESCRIPTION = "Model: an M2D checkpoint (.pth, .safetensors), a Hugging "
      + "Face folder (HuBERT, wav2vec 2.0, Whisper, AST: config.json + model.safetensors or "
      + "pytorch_model.bin) or an OpenAI Whisper .pt.";
}
