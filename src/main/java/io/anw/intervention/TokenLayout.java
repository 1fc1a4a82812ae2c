package io.anw.intervention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import io.anw.model.PartedInput;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Token positions and the shared layout that patching needs: a clean and a corrupted input
 * must give the same chunks and tokens, i.e. have the same shape. Within a chunk, token 0 is
 * CLS and patches follow frequency-major, {@code 1 + f * timePatches + t}; an audio-text
 * model's caption tokens come last ({@code w0, w1, ...}).
 */
public final class TokenLayout {
  private TokenLayout() {}

  /** The token index of frequency patch {@code f}, time patch {@code t} in a chunk. */
  public static int token(int f, int t, int timePatches) {
    return 1 + f * timePatches + t;
  }

  /** A token's label: {@code CLS} or {@code f2.t7}. */
  public static String label(int token, int timePatches) {
    if (token == 0) {
      return "CLS";
    }
    return "f" + (token - 1) / timePatches + ".t" + (token - 1) % timePatches;
  }

  /**
   * A token's label in a chunk whose caption tokens start at {@code textFrom} (audio-text
   * models): {@code CLS}, {@code f2.t7}, or {@code w0}, {@code w1}, ... for the caption words.
   */
  public static String label(int token, int timePatches, int textFrom) {
    return token >= textFrom ? "w" + (token - textFrom) : label(token, timePatches);
  }

  /**
   * A log-mel cut or zero-padded on the right (0 is the mean of a normalised log-mel) to
   * {@code frames} frames along its last axis; a new array in the input's manager.
   */
  public static NDArray cropOrPad(NDArray logMel, int frames) {
    if (frames <= 0) {
      throw new WorkbenchException("cannot crop a log-mel to " + frames + " frames");
    }
    Shape s = logMel.getShape();
    int axis = s.dimension() - 1;
    long have = s.get(axis);
    if (have >= frames) {
      return logMel.get("..., :" + frames).duplicate();
    }
    return logMel.pad(new Shape(0, frames - have), 0); // (left, right) of the last axis
  }

  /** Both log-mels cut to the shorter one's frames (new arrays). */
  public static NDArray[] cropToShorter(NDArray a, NDArray b) {
    Shape sa = a.getShape();
    Shape sb = b.getShape();
    int frames = (int) Math.min(sa.get(sa.dimension() - 1), sb.get(sb.dimension() - 1));
    return new NDArray[] {cropOrPad(a, frames), cropOrPad(b, frames)};
  }

  /**
   * Checks that clean and corrupted inputs share the token layout (same parts, same shapes).
   *
   * @throws WorkbenchException naming the part and both shapes, pointing at the helpers
   */
  public static void requireSame(PartedInput clean, PartedInput corrupted) {
    if (!clean.names().equals(corrupted.names())) {
      throw new WorkbenchException("clean input has parts " + clean.names() + ", corrupted "
          + corrupted.names());
    }
    for (String p : clean.names()) {
      Shape a = clean.part(p).getShape();
      Shape b = corrupted.part(p).getShape();
      if (!a.equals(b)) {
        throw new WorkbenchException("clean " + p + " " + a + " and corrupted " + b
            + " differ in token layout; crop or pad them to the same frames"
            + " (TokenLayout.cropOrPad / cropToShorter)");
      }
    }
  }

  /**
   * Single examples (audio {@code [mel, frames]}, other parts e.g. text ids {@code [T]}) as one
   * batch: audio cut or zero-padded to the shortest example's frames, then every part stacked
   * along a new axis 0, in {@code manager}.
   */
  public static PartedInput stackCropped(List<PartedInput> singles, NDManager manager) {
    return stackCropped(singles, shortestFrames(singles), manager);
  }

  /**
   * The frames of the shortest single example's audio.
   *
   * @throws WorkbenchException when an audio part is not one log-mel {@code [mel, frames]}
   */
  public static int shortestFrames(List<PartedInput> singles) {
    int frames = Integer.MAX_VALUE;
    for (PartedInput in : singles) {
      Shape s = in.part(PartedInput.AUDIO).getShape();
      if (s.dimension() != 2) {
        throw new WorkbenchException("stacking takes single examples (audio [mel, frames]); got"
            + " audio " + s);
      }
      frames = (int) Math.min(frames, s.get(1));
    }
    return frames;
  }

  /** {@link #stackCropped(List, NDManager)} with the audio cut or padded to {@code frames}. */
  public static PartedInput stackCropped(List<PartedInput> singles, int frames,
      NDManager manager) {
    List<PartedInput> same = new ArrayList<>();
    for (PartedInput in : singles) {
      NDArray audio = in.part(PartedInput.AUDIO);
      if (audio.getShape().get(1) != frames) {
        NDArray cropped = cropOrPad(audio, frames);
        cropped.attach(manager);
        in = in.with(PartedInput.AUDIO, cropped);
      }
      same.add(in);
    }
    return PartedInput.stack(same, manager);
  }

  /** Examples in an input: the audio part's batch (1 for a single {@code [mel, frames]}). */
  static int batch(PartedInput input) {
    String first = input.names().contains(PartedInput.AUDIO) ? PartedInput.AUDIO
        : input.names().get(0);
    Shape s = input.part(first).getShape();
    return first.equals(PartedInput.AUDIO) && s.dimension() == 2 ? 1 : (int) s.get(0);
  }
}
