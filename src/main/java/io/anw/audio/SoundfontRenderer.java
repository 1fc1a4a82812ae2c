package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Synthesizer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;

/**
 * Renders single notes with an explicitly chosen soundfont ({@link SoundBank}), offline and so
 * deterministically: the JDK's software synthesizer (Gervill) is opened as an audio stream
 * rather than on a sound card, the bank's instruments replace the default ones, and each note
 * gets its own time slot (program, reverb send, note on, note off, all sound off at the clip's
 * end), cut from the stream, mixed to mono and resampled.
 *
 * <p>Gervill's stream interface lives in a JDK-internal package: the JVM needs
 * {@value #JVM_OPTION} (the workbench launcher and the test build set it).
 */
public final class SoundfontRenderer {
  /** The JVM option that opens Gervill's stream interface to the workbench. */
  public static final String JVM_OPTION = "--add-exports java.desktop/com.sun.media.sound="
      + "ALL-UNNAMED";

  private static final float SYNTH_RATE = 44_100f;
  private static final double GAP_SECONDS = 0.25;

  private SoundfontRenderer() {}

  /**
   * One note.
   *
   * @param program General MIDI program 0–127
   * @param key MIDI key 0–127 (60 = C4)
   * @param velocity 1–127
   * @param holdSeconds how long the key is held
   * @param reverb reverb send 0–127 (CC 91)
   */
  public record Note(int program, int key, int velocity, double holdSeconds, int reverb) {}

  /** Whether this JVM can open Gervill as a stream (the JVM option is set). */
  public static boolean supported() {
    try {
      openStreamMethod();
      return true;
    } catch (WorkbenchException e) {
      return false;
    }
  }

  /**
   * Renders each note with {@code bank} into its own clip of {@code clipSeconds} at
   * {@code rate} Hz (mono, the tail after the key is released included up to the clip's end).
   */
  public static List<float[]> render(SoundBank bank, List<Note> notes, double clipSeconds,
      int rate) {
    Soundbank sb = bank.load();
    Method open = openStreamMethod();
    Synthesizer synth;
    try {
      synth = MidiSystem.getSynthesizer();
    } catch (MidiUnavailableException e) {
      throw new WorkbenchException("no software synthesizer: " + e.getMessage(), e);
    }
    AudioFormat format = new AudioFormat(SYNTH_RATE, 16, 2, true, false);
    int slotFrames = (int) Math.round((clipSeconds + GAP_SECONDS) * SYNTH_RATE);
    int clipFrames = (int) Math.round(clipSeconds * SYNTH_RATE);
    int want = (int) Math.round(clipSeconds * rate);
    List<float[]> out = new ArrayList<>(notes.size());
    try (AudioInputStream in = (AudioInputStream) open.invoke(synth, format,
        Map.of("load default soundbank", false))) {
      if (!synth.loadAllInstruments(sb)) {
        throw new WorkbenchException(bank.file() + ": the synthesizer refused its instruments");
      }
      Receiver r = synth.getReceiver();
      long slotMicros = Math.round((clipSeconds + GAP_SECONDS) * 1e6);
      for (int i = 0; i < notes.size(); i++) {
        Note n = notes.get(i);
        long t = i * slotMicros;
        send(r, ShortMessage.CONTROL_CHANGE, 121, 0, t); // reset controllers
        send(r, ShortMessage.CONTROL_CHANGE, 91, n.reverb(), t);
        send(r, ShortMessage.CONTROL_CHANGE, 93, 0, t); // no chorus
        send(r, ShortMessage.PROGRAM_CHANGE, n.program(), 0, t);
        send(r, ShortMessage.NOTE_ON, n.key(), n.velocity(), t + 1000);
        send(r, ShortMessage.NOTE_OFF, n.key(), 0, t + 1000 + Math.round(n.holdSeconds() * 1e6));
        send(r, ShortMessage.CONTROL_CHANGE, 120, 0, t + Math.round(clipSeconds * 1e6));
      }
      byte[] slot = new byte[slotFrames * 4];
      for (int i = 0; i < notes.size(); i++) {
        int got = in.readNBytes(slot, 0, slot.length);
        Arrays.fill(slot, got, slot.length, (byte) 0);
        float[] mono = new float[clipFrames];
        for (int k = 0; k < clipFrames; k++) {
          int b = 4 * k;
          int left = (short) ((slot[b] & 0xFF) | (slot[b + 1] << 8));
          int right = (short) ((slot[b + 2] & 0xFF) | (slot[b + 3] << 8));
          mono[k] = (left + right) / 65536f;
        }
        out.add(Arrays.copyOf(Resampler.resample(mono, (int) SYNTH_RATE, rate), want));
      }
    } catch (IOException | IllegalAccessException | InvalidMidiDataException
        | MidiUnavailableException e) {
      throw new WorkbenchException("soundfont renderer (" + bank.name() + "): " + e.getMessage(),
          e);
    } catch (InvocationTargetException e) {
      throw new WorkbenchException("soundfont renderer (" + bank.name() + "): "
          + e.getCause().getMessage(), e.getCause());
    } finally {
      synth.close();
    }
    return out;
  }

  private static void send(Receiver r, int command, int d1, int d2, long micros)
      throws InvalidMidiDataException {
    r.send(new ShortMessage(command, 0, d1, d2), micros);
  }

  /** Gervill's {@code AudioSynthesizer.openStream(AudioFormat, Map)}, when accessible. */
  private static Method openStreamMethod() {
    try {
      Class<?> audioSynth = Class.forName("com.sun.media.sound.AudioSynthesizer");
      if (!audioSynth.getModule().isExported("com.sun.media.sound",
          SoundfontRenderer.class.getModule())) {
        throw new WorkbenchException("rendering with a soundfont needs the JVM option "
            + JVM_OPTION + " (the workbench launcher sets it)");
      }
      return audioSynth.getMethod("openStream", AudioFormat.class, Map.class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new WorkbenchException("this JDK has no Gervill stream synthesizer ("
          + e.getMessage() + ")", e);
    }
  }
}
