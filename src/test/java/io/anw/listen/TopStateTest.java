package io.anw.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounded heaps and the shared sample: exact top k, bounded memory, order-independent. */
class TopStateTest {
  static ClipBest clip(Random rnd, int units, float[] values) {
    ClipBest b = new ClipBest(units);
    for (int u = 0; u < units; u++) {
      float v = rnd.nextInt(50) / 10f; // many ties on purpose
      values[u] = v;
      b.offer(u, v, rnd.nextInt(3), 1 + rnd.nextInt(20), 4);
    }
    return b;
  }

  @Test
  void heapsKeepTheExactTopKWithinABound() {
    int units = 6;
    int k = 7;
    Random rnd = new Random(1);
    TopState s = new TopState(units, k, 10, 42);
    float[][] all = new float[500][units];
    for (int row = 0; row < 500; row++) {
      s.add(row, clip(rnd, units, all[row]));
    }
    assertEquals((long) units * (k + 10), s.capacity(), "units x (k + sample)");
    for (int u = 0; u < units; u++) {
      List<int[]> expected = new ArrayList<>();
      for (int row = 0; row < 500; row++) {
        expected.add(new int[] {row});
      }
      int uu = u;
      expected.sort(Comparator.comparing((int[] r) -> -all[r[0]][uu]).thenComparing(r -> r[0]));
      List<TopState.Hit> top = s.top(u);
      assertEquals(k, top.size());
      for (int i = 0; i < k; i++) {
        assertEquals(expected.get(i)[0], top.get(i).row(), "unit " + u + " rank " + (i + 1));
      }
      assertEquals(10, s.sampled(u).size());
    }
  }

  @Test
  void theStateDependsOnTheClipsNotTheirOrder() {
    int units = 3;
    Random rnd = new Random(5);
    List<ClipBest> clips = new ArrayList<>();
    for (int row = 0; row < 200; row++) {
      clips.add(clip(rnd, units, new float[units]));
    }
    TopState inOrder = new TopState(units, 5, 20, 9);
    for (int row = 0; row < 200; row++) {
      inOrder.add(row, clips.get(row));
    }
    List<Integer> rows = new ArrayList<>();
    for (int row = 0; row < 200; row++) {
      rows.add(row);
    }
    Collections.shuffle(rows, new Random(2));
    TopState shuffled = new TopState(units, 5, 20, 9);
    for (int row : rows) {
      shuffled.add(row, clips.get(row));
    }
    assertEquals(inOrder, shuffled);
    // the sample is the 20 rows with the smallest seeded keys: a uniform choice
    List<Integer> byKey = new ArrayList<>(rows);
    byKey.sort(Comparator.comparingLong(inOrder::key));
    List<Integer> sampled = inOrder.sampled(0).stream().map(TopState.Hit::row).sorted().toList();
    assertEquals(byKey.subList(0, 20).stream().sorted().toList(), sampled);
    assertTrue(sampled.get(19) > 100, "spread over the data, not the first rows");
  }
}
