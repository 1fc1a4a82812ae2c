package io.anw.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.TorchArrays;
import io.anw.audio.Clip;
import io.anw.audio.Dataset;
import io.anw.model.AudioModel;
import io.anw.model.PartedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A dataset as model inputs: normalised log-mels (decoded and transformed on the loading
 * threads), caption token ids for audio-text models (the dataset's {@value Dataset#CAPTION}
 * column), class labels, and scene embeddings.
 */
public final class DatasetInputs {
  private DatasetInputs() {}

  /**
   * The model's input for a clip ({@link AudioModel#input}): M2D's normalised log-mel
   * {@code [mel][frames]}, or the prepared 16 kHz waveform {@code [1][samples]}. Thread-safe,
   * for the dataset's loading threads.
   */
  public static Function<Clip, float[][]> frontEnd(AudioModel model) {
    return model::input;
  }

  /**
   * The caption token ids of a clip for an audio-text model ({@code [length]}, padded; all
   * padding without a caption), or null for an audio-only model. Thread-safe.
   *
   * @throws io.anw.WorkbenchException naming the clip when its caption is too long
   */
  public static Function<Clip, long[]> captionIds(AudioModel model) {
    return clip -> ids(model, clip.metadata(), clip.source());
  }

  /** The ids of the caption in {@code metadata} (null for an audio-only model), errors naming {@code file}. */
  private static long[] ids(AudioModel model, java.util.Map<String, String> metadata,
      java.nio.file.Path file) {
    if (model.textPathway().isEmpty()) {
      return null;
    }
    try {
      return model.textPathway().get().ids(metadata.get(Dataset.CAPTION));
    } catch (io.anw.WorkbenchException e) {
      throw new io.anw.WorkbenchException(file + ": " + e.getMessage(), e);
    }
  }

  /** A clip prepared for the model: normalised log-mel and (audio-text models) caption ids. */
  public record Prepared(float[][] logMel, long[] captionIds) {
    /** Frames of the log-mel. */
    public int frames() {
      return logMel[0].length;
    }

    /** This example as model input parts in {@code manager} ({@code [mel, frames]}, {@code [T]}). */
    public PartedInput toInput(NDManager manager) {
      NDArray audio = TorchArrays.of(manager, logMel);
      return captionIds == null ? PartedInput.audio(audio)
          : PartedInput.of(audio, TorchArrays.of(manager, captionIds));
    }
  }

  /**
   * The caption token ids of a dataset item for an audio-text model (its {@value Dataset#CAPTION}
   * column), or null for an audio-only model. Thread-safe.
   */
  public static Function<Dataset.Item, long[]> itemCaptionIds(AudioModel model) {
    return it -> ids(model, it.metadata(), it.file());
  }

  /**
   * A dataset item prepared for the model on the loading threads: its audio decoded, resampled
   * and turned into the normalised log-mel in a stream (no whole-file sample array), and its
   * caption ids. Thread-safe.
   */
  public static Function<Dataset.Item, Prepared> prepareItem(AudioModel model, Dataset data) {
    Function<Dataset.Item, long[]> ids = itemCaptionIds(model);
    return it -> {
      try (Frames f = frames(model, data, it)) {
        return new Prepared(f.next(f.total()), ids.apply(it));
      }
    };
  }

  /**
   * The normalised log-mel of a dataset item frame block by frame block, for recordings too long
   * to hold: memory is one block, whatever the file's length.
   */
  public static Frames frames(AudioModel model, Dataset data, Dataset.Item it) {
    return frames(model, data.openAudio(it, model.sampleRate()));
  }

  /** The model's input (its front end) of any audio stream, block by block. */
  public static Frames frames(AudioModel model, io.anw.audio.AudioStream in) {
    return new Frames(model.frames(in));
  }

  /** Model input frames of one stream (see {@link #frames}). */
  public static final class Frames implements AutoCloseable {
    private final io.anw.model.InputFrames frames;

    Frames(io.anw.model.InputFrames frames) {
      this.frames = frames;
    }

    /** The next at most {@code max} frames {@code [rows][k]} of model input; null at the end. */
    public float[][] next(int max) {
      return frames.next(max);
    }

    /** All frames of the recording. */
    public int total() {
      return frames.total();
    }

    /** Frames handed out so far. */
    public int done() {
      return frames.done();
    }

    /** Seconds of audio. */
    public double seconds() {
      return frames.seconds();
    }

    @Override
    public void close() {
      frames.close();
    }
  }

  /** The front end and caption encoder together, for the loading threads. */
  public static Function<Clip, Prepared> prepare(AudioModel model) {
    Function<Clip, float[][]> front = frontEnd(model);
    Function<Clip, long[]> ids = captionIds(model);
    return clip -> new Prepared(front.apply(clip), ids.apply(clip));
  }

  /** Every clip prepared for the model, in dataset order. */
  public static List<Prepared> prepared(AudioModel model, Dataset data) {
    try (Stream<Dataset.Loaded<Prepared>> s = data.streamItems(
        prepareItem(model, data))) {
      return s.map(Dataset.Loaded::value).toList();
    }
  }

  /**
   * A dataset's clips as model inputs with their class indices, from one pass over the data: a
   * clip skipped as unreadable ({@code --skip-bad}) drops its label too.
   *
   * @param inputs audio {@code [mel, frames]} (and caption ids {@code [T]}) per clip
   * @param labels class index per clip
   */
  public record Examples(List<PartedInput> inputs, int[] labels) {
    /** Number of examples. */
    public int size() {
      return labels.length;
    }
  }

  /** Every readable clip of {@code data} as model input in {@code manager}, with its label. */
  public static Examples examples(AudioModel model, Dataset data, NDManager manager) {
    List<PartedInput> inputs = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (Stream<Dataset.Loaded<Prepared>> s = data.streamItems(prepareItem(model, data))) {
      s.forEach(l -> {
        inputs.add(l.value().toInput(manager));
        labels.add(data.classIndex(data.items().get(l.row()).label()));
      });
    }
    if (inputs.isEmpty()) {
      throw new io.anw.WorkbenchException(data.name() + ": no clip could be read");
    }
    return new Examples(inputs, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Scene embeddings of every readable clip with its label, through the {@link
   * io.anw.model.Batcher}.
   *
   * @param x {@code [clips][fbins·D]}
   * @param labels class index per clip
   */
  public record Embeddings(float[][] x, int[] labels) {}

  /** The scene embeddings and labels of {@code data}, {@code batchSize} clips per pass. */
  public static Embeddings embeddings(AudioModel model, Dataset data, int batchSize) {
    GradMode.disableOnCurrentThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      Examples e = examples(model, data, manager);
      return new Embeddings(io.anw.model.Batcher.sceneEmbeddings(model, e.inputs(), batchSize,
          io.anw.model.Hooks.none()), e.labels());
    }
  }

  /** The class index of every clip, in dataset order. */
  public static int[] labels(Dataset data) {
    return data.items().stream().mapToInt(it -> data.classIndex(it.label())).toArray();
  }

  /**
   * Every clip as model input parts in {@code manager} (e.g. for {@code ModelEmbedder}): audio
   * {@code [mel, frames]} and, for audio-text models, caption ids {@code [T]}.
   */
  public static List<PartedInput> inputs(AudioModel model, Dataset data, NDManager manager) {
    List<PartedInput> out = new ArrayList<>();
    for (Prepared p : prepared(model, data)) {
      out.add(p.toInput(manager));
    }
    return out;
  }
}
