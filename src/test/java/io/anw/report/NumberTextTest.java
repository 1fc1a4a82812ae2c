package io.anw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumberTextTest {
  @Test
  void decimalsAreRoundedAndNoiseAroundZeroIsZero() {
    assertEquals("0.8000", NumberText.decimal(0.8000000000000002));
    assertEquals("0.6000", NumberText.decimal(0.5999999999999999));
    assertEquals("0", NumberText.decimal(1.1390647892519134e-16));
    assertEquals("0", NumberText.decimal(-1.1102230246251565e-16));
    assertEquals("1.4997", NumberText.decimal(1.4996560183210264));
    assertEquals("-0.0300", NumberText.decimal(-0.030000000000000054));
    assertEquals("12345.7", NumberText.decimal(12345.678));
    assertEquals("1.235e+09", NumberText.decimal(1.2345e9));
    assertEquals("NaN", NumberText.decimal(Double.NaN));
  }

  @Test
  void pValuesZScoresAndCounts() {
    assertEquals("0.048", NumberText.p(0.047619047619047616));
    assertEquals("< 0.001", NumberText.p(0.0001));
    assertEquals("1.000", NumberText.p(1.0));
    assertEquals("-0.67", NumberText.z(-0.6712));
    assertEquals("0.00", NumberText.z(-0.001));
    assertEquals("inf", NumberText.z(Double.POSITIVE_INFINITY));
    assertEquals("3", NumberText.format(2.9999999, NumberText.Kind.INTEGER));
    assertEquals("1 clip", NumberText.count(1, "clip"));
    assertEquals("2 classes", NumberText.count(2, "class"));
  }

  @Test
  void columnNamesSayTheKind() {
    assertEquals(NumberText.Kind.P_VALUE, NumberText.kindOf("p"));
    assertEquals(NumberText.Kind.P_VALUE, NumberText.kindOf("p_prob"));
    assertEquals(NumberText.Kind.P_VALUE, NumberText.kindOf("empirical_p"));
    assertEquals(NumberText.Kind.Z, NumberText.kindOf("z"));
    assertEquals(NumberText.Kind.DECIMAL, NumberText.kindOf("probability"));
    assertEquals(NumberText.Kind.DECIMAL, NumberText.kindOf("jaccard"));
  }
}
