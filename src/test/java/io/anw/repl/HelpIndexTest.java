package io.anw.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** :help is generated from the facade's annotations and covers every public method. */
class HelpIndexTest {
  @Test
  void everyPublicFacadeMethodIsDocumented() {
    for (Method m : WB.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())) {
        assertTrue(m.isAnnotationPresent(Help.class), "WB." + m.getName() + " lacks @Help");
      }
    }
  }

  @Test
  void overviewListsMethodsWithDescriptions() {
    String text = new HelpIndex(WB.class).overview();
    assertTrue(text.contains("WB.versions()"), text);
    assertTrue(text.contains("Save an XChart chart as a PNG file"), text);
  }

  @Test
  void describeShowsSignatureAndExample() {
    String text = new HelpIndex(WB.class).describe("savePlot");
    assertTrue(text.contains("WB.savePlot(Chart<?, ?> chart, String path)"), text);
    assertTrue(text.contains("e.g. WB.savePlot("), text);
    assertEquals("", new HelpIndex(WB.class).describe("noSuchThing"));
  }
}
