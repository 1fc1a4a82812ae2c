package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anw.WorkbenchException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** M2D's chunking arithmetic (portable_m2d.encode_lms). */
class ChunkPlanTest {

  @Test
  void tenSecondsAtUnit608() {
    // T = 1 + 160000 // 160 = 1001 frames: chunks of 608 and 393 (+7 padding = 400, 25 patches)
    ChunkPlan p = ChunkPlan.of(1001, 608, 16);
    assertEquals(List.of(new ChunkPlan.Chunk(0, 0, 608, 0, 38),
        new ChunkPlan.Chunk(1, 608, 1001, 7, 25)), p.chunks());
    assertEquals(63, p.timeSteps());
  }

  @Test
  void paddingOfTheLastChunkFollowsTheFormulaForUnitsThatAreMultiplesOfThePatch() {
    for (int unit : new int[] {208, 608}) {
      for (int t = 1; t <= 3 * unit; t++) {
        ChunkPlan p = ChunkPlan.of(t, unit, 16);
        assertEquals((t + unit - 1) / unit, p.chunks().size());
        ChunkPlan.Chunk last = p.chunks().get(p.chunks().size() - 1);
        assertEquals((16 - t % unit % 16) % 16, last.padFrames(), "T=" + t);
        assertEquals(0, last.length() % 16);
        assertEquals(t, last.end());
      }
    }
  }

  @Test
  void unitsThatAreNotMultiplesOfThePatchDropTheRestLikeTheConv() {
    // unit 1001 (m2d ...-80x1001p16x16): 1500 frames are padded to 1504, a multiple of the
    // patch (not of the unit); the conv of 1001 and 503 frames gives 62 and 31 patches
    ChunkPlan p = ChunkPlan.of(1500, 1001, 16);
    assertEquals(62, p.chunks().get(0).timePatches());
    assertEquals(new ChunkPlan.Chunk(1, 1001, 1500, 4, 31), p.chunks().get(1));
  }

  @Test
  void groupsAreConsecutiveEqualLengthChunksUpToTheLimit() {
    ChunkPlan p = ChunkPlan.of(5 * 208 + 20, 208, 16);
    List<List<Integer>> groups = p.groups(3).stream()
        .map(g -> g.stream().map(ChunkPlan.Chunk::index).toList()).toList();
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4), List.of(5)), groups);
    assertEquals(6, p.groups(0).size());
  }

  @Test
  void exactUnitsAreNotPadded() {
    ChunkPlan p = ChunkPlan.of(416, 208, 16);
    assertEquals(2, p.chunks().size());
    assertEquals(0, p.chunks().get(1).padFrames());
    assertThrows(WorkbenchException.class, () -> ChunkPlan.of(0, 208, 16));
  }
}
