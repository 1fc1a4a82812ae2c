package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anw.audio.KaldiFbank;
import io.anw.audio.LogMelPreset;
import io.anw.model.ChunkPlan;
import io.anw.model.PatchGrid;
import org.junit.jupiter.api.Test;

/**
 * The places of the other families' tokens in time and frequency, worked out by hand from the
 * published front ends, and the tiling of the picture by tokens agreeing with each token's cell.
 */
class TokenGeometryTest {
  /** wav2vec 2.0 / HuBERT: frames every 320 samples seeing 400, chunks of 30 s. */
  final FrameGeometry wav2vec2 = new FrameGeometry(16000, 480000, 320, 400,
      LogMelPreset.M2D_16K, null);
  /** AST base: 12 x 101 patches of 16 x 16, strides 10, chunks of 1024 frames. */
  final AstGeometry ast = new AstGeometry(16000, 1023 * 160 + 400, 128,
      new PatchGrid(12, 101, 16, 16, 10, 10));

  @Test
  void framesAreTwentyMillisecondStepsOverTheWholeBand() {
    TokenPlace p = wav2vec2.place(0, 10, 0, 5);
    assertEquals(0.2, p.startS(), 1e-12);
    assertEquals(0.225, p.endS(), 1e-12, "400 samples seen");
    assertEquals("t10", p.label());
    assertEquals(LogMelPreset.M2D_16K.fmin(), p.freqLoHz());
    assertEquals(LogMelPreset.M2D_16K.fmax(), p.freqHiHz());
    TokenPlace late = wav2vec2.place(1, 10, 0, 60);
    assertEquals(30.2, late.startS(), 1e-9, "chunk 1 starts at 30 s");
    assertEquals(4.9, wav2vec2.place(0, 245, 0, 4.9).endS(), 1e-12, "cut at the clip's end");
    // token t of chunk c is drawn over picture frames 2t, 2t + 1 (10 ms frames)
    ChunkPlan.Chunk c1 = new ChunkPlan.Chunk(1, 480000, 960000, 0, 480000);
    assertArrayEquals(new int[] {0, 1500 + 7}, wav2vec2.cellOf(c1, 7));
    assertArrayEquals(new int[] {0, 1507}, wav2vec2.cellAt(40, 2 * 1507));
    assertArrayEquals(new int[] {0, 1507}, wav2vec2.cellAt(0, 2 * 1507 + 1));
    assertEquals(0.01, wav2vec2.secondsPerFrame(), 1e-12);
    assertEquals(1, wav2vec2.gridShape(32000)[0]);
    assertTrue(wav2vec2.gridShape(32000)[1] >= 100, "every frame of 2 s has a column");
  }

  @Test
  void astPatchesSpanSixteenFramesAndSixteenBinsEveryTen() {
    TokenPlace cls = ast.place(0, 0, 0, 4);
    assertEquals("CLS", cls.label());
    assertEquals(0, cls.startS());
    assertEquals(4, cls.endS(), "CLS spans the chunk, cut at the clip's end");
    assertTrue(ast.summarises(cls));
    assertEquals("DIST", ast.place(0, 1, 0, 4).label());
    int token = 2 + 101 + 3; // f1.t3
    TokenPlace p = ast.place(0, token, 0, 20);
    assertEquals("f1.t3", p.label());
    assertEquals(0.3, p.startS(), 1e-12, "frame 30 starts at 300 ms");
    assertEquals(0.3 + (15 * 160 + 400) / 16000.0, p.endS(), 1e-12, "16 frames of 25 ms");
    // bins 10..25: from between the centres of bins 9 and 10 to between bins 25 and 26
    double lo = KaldiFbank.mel(20);
    double step = (KaldiFbank.mel(8000) - lo) / 129;
    assertEquals(hz(lo + 10.5 * step), p.freqLoHz(), 1e-6);
    assertEquals(hz(lo + 26.5 * step), p.freqHiHz(), 1e-6);
    assertTrue(!ast.summarises(p));
    // the picture's cell of a patch's first bin and frame is the patch's own cell
    ChunkPlan.Chunk c0 = new ChunkPlan.Chunk(0, 0, 164_080, 0, 164_080);
    for (int f = 0; f < 12; f++) {
      for (int t = 0; t < 101; t++) {
        assertArrayEquals(ast.cellOf(c0, 2 + f * 101 + t), ast.cellAt(f * 10, t * 10));
      }
    }
    assertArrayEquals(new int[] {11, 100}, ast.cellAt(127, 1015), "edges go to the last patch");
    assertNull(ast.cellOf(c0, 1), "DIST has no cell");
    // chunk 1 starts at sample 164 080 (1024 frames of 25 ms every 10 ms): picture frame 1026
    // (from sample 164 160) is its first patch, frame 1025 still chunk 0's last
    ChunkPlan.Chunk c1 = new ChunkPlan.Chunk(1, 164_080, 328_160, 0, 164_080);
    assertArrayEquals(ast.cellOf(c1, 2), ast.cellAt(0, 1026));
    assertArrayEquals(new int[] {0, 100}, ast.cellAt(0, 1025));
    assertEquals(10.255, ast.place(1, 2, 0, 30).startS(), 1e-9);
    assertArrayEquals(new int[] {12, 202}, ast.gridShape(200_000));
  }

  private static double hz(double kaldiMel) {
    return 700 * (Math.exp(kaldiMel / 1127) - 1);
  }
}
