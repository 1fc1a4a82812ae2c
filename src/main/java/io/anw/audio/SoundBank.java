package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Soundbank;

/**
 * A General MIDI soundfont the sample generator renders notes with, named explicitly so that
 * the rendered audio does not depend on which bank the JDK happens to find: Debian's
 * recorded-instrument banks (FluidR3 GM from {@code fluid-soundfont-gm}, TimGM6mb from
 * {@code timgm6mb-soundfont}) or any {@code .sf2}/{@code .dls} file.
 *
 * @param name short name ({@code fluid}, {@code timgm}, or the file's name)
 * @param file the bank file
 * @param debianPackage the Debian package that ships it, or {@code null}
 */
public record SoundBank(String name, Path file, String debianPackage) {
  /** FluidR3 GM: 145 MB of recorded instruments (Debian {@code fluid-soundfont-gm}). */
  public static final SoundBank FLUID = new SoundBank("fluid",
      Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2"), "fluid-soundfont-gm");

  /** TimGM6mb: a small recorded GM bank (Debian {@code timgm6mb-soundfont}). */
  public static final SoundBank TIMGM = new SoundBank("timgm",
      Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2"), "timgm6mb-soundfont");

  private static Path lastFile;
  private static java.lang.ref.SoftReference<Soundbank> lastLoaded;

  /** The named banks, in the order tasks use them. */
  public static final List<SoundBank> KNOWN = List.of(FLUID, TIMGM);

  /** A known bank by name ({@code fluid}, {@code timgm}) or a bank file by path. */
  public static SoundBank of(String nameOrFile) {
    String key = nameOrFile.strip().toLowerCase(Locale.ROOT);
    for (SoundBank b : KNOWN) {
      if (b.name().equals(key)) {
        return b;
      }
    }
    Path p = Path.of(nameOrFile.strip());
    if (!key.endsWith(".sf2") && !key.endsWith(".dls")) {
      throw new WorkbenchException("sound bank '" + nameOrFile + "': expected fluid, timgm or"
          + " a .sf2/.dls file");
    }
    return new SoundBank(p.getFileName().toString(), p, null);
  }

  /** Whether the bank's file is there. */
  public boolean available() {
    return Files.isRegularFile(file);
  }

  /** One line saying how to get the bank, for a skip message or an error. */
  public String missing() {
    return file + " is missing" + (debianPackage == null ? ""
        : " (apt-get install " + debianPackage + ")");
  }

  /** The bank's instruments, read from its file (the last bank read is kept while memory allows). */
  public Soundbank load() {
    if (!available()) {
      throw new WorkbenchException("sound bank " + name + ": " + missing());
    }
    synchronized (SoundBank.class) {
      Soundbank cached = lastLoaded == null ? null : lastLoaded.get();
      if (cached != null && file.equals(lastFile)) {
        return cached;
      }
    }
    try {
      Soundbank sb = MidiSystem.getSoundbank(file.toFile());
      synchronized (SoundBank.class) {
        lastFile = file;
        lastLoaded = new java.lang.ref.SoftReference<>(sb);
      }
      return sb;
    } catch (InvalidMidiDataException | IOException e) {
      throw new WorkbenchException(file + ": not a readable sound bank (" + e.getMessage() + ")",
          e);
    }
  }
}
