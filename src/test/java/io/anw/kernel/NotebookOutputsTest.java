package io.anw.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The output comparison masks what legitimately differs between runs, and nothing else. */
class NotebookOutputsTest {
  @Test
  void timingsRatesAndIdentityHashesAreMaskedValuesAreNot() {
    assertEquals(NotebookOutputs.mask("trained on 299,008 tokens in 2m18s (2,174 tokens/s)"),
        NotebookOutputs.mask("trained on 299,008 tokens in 2m21s (2,114 tokens/s)"));
    assertEquals(NotebookOutputs.mask("ran in 3.2 s; Foo@1a2b3c"),
        NotebookOutputs.mask("ran in 12.5 s; Foo@99ffee"));
    assertNotEquals(NotebookOutputs.mask("explained variance 0.845, 0.96-1.00 s"),
        NotebookOutputs.mask("explained variance 0.846, 0.96-1.00 s"));
    assertNotEquals(NotebookOutputs.mask("299,008 tokens"), NotebookOutputs.mask("299,009 tokens"));
    assertEquals("0.80-0.96 s 1281-2344 Hz", NotebookOutputs.mask("0.80-0.96 s 1281-2344 Hz"));
  }
}
