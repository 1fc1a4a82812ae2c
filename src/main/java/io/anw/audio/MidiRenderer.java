package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Renders single notes of General MIDI programs with the JDK's software synthesizer (Gervill),
 * offline and therefore deterministically: the notes go into one MIDI sequence, one time slot
 * each, which the JDK's MIDI-file audio reader renders faster than real time; the slots are then
 * cut apart, mixed to mono and resampled.
 */
public final class MidiRenderer {
  private static final int TICKS_PER_SECOND = 1000; // PPQ 500 at the default 120 bpm
  private static final double GAP_SECONDS = 0.2;

  private MidiRenderer() {}

  /**
   * One note.
   *
   * @param program General MIDI program 0–127 (e.g. 0 acoustic grand piano, 40 violin)
   * @param key MIDI key 0–127 (60 = C4)
   * @param velocity 1–127
   */
  public record Note(int program, int key, int velocity) {}

  /**
   * Renders each note into its own clip.
   *
   * @param holdSeconds how long each key is held before its note-off
   * @param clipSeconds length of each clip (≥ hold; the rest holds the release), multiple of 10 ms
   * @param rate output sample rate (Hz)
   * @return one mono clip of {@code round(clipSeconds * rate)} samples per note, in order
   */
  public static List<float[]> render(List<Note> notes, double holdSeconds, double clipSeconds, int rate) {
    long slotTicks = Math.round((clipSeconds + GAP_SECONDS) * TICKS_PER_SECOND);
    long clipTicks = Math.round(clipSeconds * TICKS_PER_SECOND);
    long holdTicks = Math.round(holdSeconds * TICKS_PER_SECOND);
    byte[] midi = sequence(notes, slotTicks, clipTicks, holdTicks);
    List<float[]> out = new ArrayList<>(notes.size());
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(midi))) {
      AudioFormat f = in.getFormat();
      if (f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED || f.getSampleSizeInBits() != 16
          || f.isBigEndian()) {
        throw new WorkbenchException("MIDI renderer: unexpected output format " + f);
      }
      int channels = f.getChannels();
      int srcRate = Math.round(f.getSampleRate());
      int slotFrames = Math.toIntExact(slotTicks * srcRate / TICKS_PER_SECOND);
      int clipFrames = Math.toIntExact(clipTicks * srcRate / TICKS_PER_SECOND);
      byte[] slot = new byte[slotFrames * 2 * channels];
      int want = (int) Math.round(clipSeconds * rate);
      for (int i = 0; i < notes.size(); i++) {
        readFully(in, slot);
        float[] mono = new float[clipFrames];
        for (int k = 0; k < clipFrames; k++) {
          int sum = 0;
          for (int c = 0; c < channels; c++) {
            int b = 2 * (k * channels + c);
            sum += (short) ((slot[b] & 0xFF) | (slot[b + 1] << 8));
          }
          mono[k] = sum / (32768f * channels);
        }
        out.add(Arrays.copyOf(Resampler.resample(mono, srcRate, rate), want));
      }
    } catch (IOException | UnsupportedAudioFileException e) {
      throw new WorkbenchException("MIDI renderer: " + e.getMessage(), e);
    }
    return out;
  }

  private static byte[] sequence(List<Note> notes, long slotTicks, long clipTicks, long holdTicks) {
    try {
      Sequence seq = new Sequence(Sequence.PPQ, TICKS_PER_SECOND / 2);
      Track t = seq.createTrack();
      for (int i = 0; i < notes.size(); i++) {
        Note n = notes.get(i);
        long start = i * slotTicks;
        t.add(event(ShortMessage.CONTROL_CHANGE, 91, 0, start)); // no reverb send
        t.add(event(ShortMessage.CONTROL_CHANGE, 93, 0, start)); // no chorus send
        t.add(event(ShortMessage.PROGRAM_CHANGE, n.program(), 0, start));
        t.add(event(ShortMessage.NOTE_ON, n.key(), n.velocity(), start + 1));
        t.add(event(ShortMessage.NOTE_OFF, n.key(), 0, start + holdTicks));
        t.add(event(ShortMessage.CONTROL_CHANGE, 120, 0, start + clipTicks)); // all sound off
      }
      // A final event one slot after the last note keeps the last slot's audio in the stream.
      t.add(event(ShortMessage.CONTROL_CHANGE, 121, 0, notes.size() * slotTicks + slotTicks));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      MidiSystem.write(seq, 0, bytes);
      return bytes.toByteArray();
    } catch (InvalidMidiDataException | IOException e) {
      throw new WorkbenchException("MIDI renderer: " + e.getMessage(), e);
    }
  }

  private static MidiEvent event(int command, int data1, int data2, long tick)
      throws InvalidMidiDataException {
    return new MidiEvent(new ShortMessage(command, 0, data1, data2), tick);
  }

  private static void readFully(InputStream in, byte[] buf) throws IOException {
    int n = 0;
    while (n < buf.length) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        Arrays.fill(buf, n, buf.length, (byte) 0);
        return;
      }
      n += r;
    }
  }
}
