package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anw.audio.Clip;
import io.anw.audio.WavFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WBAudioTest {
  @TempDir Path tmp;

  @Test
  void audioLogmelAndDatasetFromTheFacade() {
    float[] x = new float[44100];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.2 * Math.sin(2 * Math.PI * 300 * i / 44100.0));
    }
    WavFile.write(tmp.resolve("low/a.wav"), new Clip(x, 44100));
    WavFile.write(tmp.resolve("high/b.wav"), new Clip(x, 44100));
    Clip clip = WB.audio(tmp.resolve("low/a.wav").toString());
    assertEquals(16000, clip.sampleRate());
    assertEquals(16000, clip.length());
    float[][] mel = WB.logmel(clip);
    assertEquals(80, mel.length);
    assertEquals(101, mel[0].length);
    assertEquals(101, WB.logmel(clip, "m2d-32k")[0].length); // 32000 samples / hop 320
    assertEquals(List.of("high", "low"), WB.dataset(tmp.toString()).classes());
  }
}
