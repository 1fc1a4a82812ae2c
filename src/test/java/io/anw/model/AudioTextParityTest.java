package io.anw.model;

import static io.anw.model.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.anw.WorkbenchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The text pathway against the PyTorch reference (src/test/python/make_audio_text_fixtures.py):
 * the tiny random M2D ViT of {@link M2dParityTest} plus token embeddings and positions, caption
 * tokens appended after the patches of every chunk; a 50-frame batch of two with 4-token
 * captions (two chunks run stacked in one pass) and a 20-frame batch of three with 2 tokens.
 */
class AudioTextParityTest {
  private static final double REL = 1e-4;
  private static final TextVocabulary VOCAB = TextVocabulary.of("low", "high", "a", "note",
      "sound", "piano", "voice");
  private static NDManager manager;
  private static Map<String, NDArray> golden;
  private static M2dViT model;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    golden = Fixtures.npz("/model/audio_text_tiny.npz", manager);
    model = M2dViT.fromStateDict(Fixtures.under(golden, "w/"), config(), VOCAB, manager);
  }

  private static ModelConfig config() {
    return ModelConfig.fromName("audio_text_tiny-80x32p16x16-test").withHeads(Fixtures.TINY_HEADS);
  }

  @AfterAll
  static void close() {
    model.close();
    manager.close();
  }

  private static PartedInput input(String c) {
    return PartedInput.of(golden.get(c + "/input"), golden.get(c + "/ids"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"full", "short"})
  void featuresAndEveryRecordedHookMatchPyTorch(String c) {
    try (ActivationCache cache = model.run(input(c), Hooks.none(), "**")) {
      assertClose(golden.get(c + "/features"), cache.output().features(), REL, c + " features");
      assertClose(golden.get(c + "/cls"), cache.output().cls(), REL, c + " cls");
      int chunks = c.equals("full") ? 2 : 1;
      int compared = 0;
      for (int i = 0; i < chunks; i++) {
        for (Map.Entry<String, NDArray> e : Fixtures.under(golden, c + "/c" + i + "/").entrySet()) {
          assertClose(e.getValue(), cache.get(e.getKey(), i), REL, c + " chunk " + i + " "
              + e.getKey());
          compared++;
        }
      }
      assertEquals(chunks * 7, compared, "embed, text embed, 2 x (neurons, resid), final");
    }
  }

  @Test
  void theModelReadsTwoPartsAndNamesTheTextHook() {
    assertEquals(List.of("audio", "text"), model.inputParts());
    assertEquals(List.of(HookNames.EMBED, HookNames.TEXT_EMBED), model.hookNames().subList(0, 2));
    assertEquals(4, model.textPathway().orElseThrow().length());
    assertTrue(model.toString().contains("text 4 of 9 words"), model.toString());
  }

  @Test
  void theCaptionChangesTheNeuronsAndNoCaptionMeansPadding() {
    NDArray audio = golden.get("short/input");
    NDArray ids = golden.get("short/ids");
    NDArray pads = manager.zeros(new ai.djl.ndarray.types.Shape(3, 4), ai.djl.ndarray.types.DataType.INT64);
    String hook = HookNames.neurons(1);
    try (ActivationCache with = model.run(PartedInput.of(audio, ids), Hooks.none(), hook);
        ActivationCache none = model.run(audio, Hooks.none(), hook);
        ActivationCache audioPart = model.run(PartedInput.audio(audio), Hooks.none(), hook);
        ActivationCache padded = model.run(PartedInput.of(audio, pads), Hooks.none(), hook)) {
      assertFalse(with.output().features().allClose(none.output().features(), 1e-4, 1e-4, false),
          "the caption reaches the audio tokens through attention");
      assertClose(padded.output().features(), none.output().features(), 1e-6, "no caption = pads");
      assertClose(audioPart.output().features(), none.output().features(), 0, "the audio part alone");
      assertEquals(1 + 5 * 2 + 2, with.get(hook, 0).getShape().get(1), "CLS, 10 patches, 2 words");
      assertEquals(1 + 5 * 2 + 4, none.get(hook, 0).getShape().get(1));
    }
  }

  @Test
  void badTextInputsGetOneLineErrors() {
    NDArray audio = golden.get("short/input");
    WorkbenchException batch = assertThrows(WorkbenchException.class, () -> model.run(
        PartedInput.of(audio, manager.zeros(new ai.djl.ndarray.types.Shape(2, 2),
            ai.djl.ndarray.types.DataType.INT64)), Hooks.none()));
    assertTrue(batch.getMessage().contains("expected [3, tokens]"), batch.getMessage());
    WorkbenchException range = assertThrows(WorkbenchException.class, () -> model.run(
        PartedInput.of(audio, manager.create(new long[] {0, 1, 2, 3, 4, 9},
            new ai.djl.ndarray.types.Shape(3, 2))),
        Hooks.none()));
    assertTrue(range.getMessage().contains("[0, 9)"), range.getMessage());
    WorkbenchException other = assertThrows(WorkbenchException.class, () -> model.run(
        new PartedInput(java.util.Map.of("text", golden.get("short/ids"))), Hooks.none()));
    assertTrue(other.getMessage().contains("[audio, text]"), other.getMessage());
  }

  @Test
  void vocabularyAndTextWeightsRoundTripThroughSafetensors(@TempDir Path dir) {
    Path f = ModelFiles.saveM2d(model, dir.resolve("at.safetensors"));
    try (M2dViT back = ModelFiles.loadM2d(f, config());
        ActivationCache a = model.run(input("full"), Hooks.none());
        ActivationCache b = back.run(input("full"), Hooks.none())) {
      assertEquals(VOCAB, back.textPathway().orElseThrow().vocabulary());
      assertClose(a.output().features(), b.output().features(), 1e-6, "reloaded");
    }
  }

  @Test
  void aCheckpointWithoutVocabularyGetsNumberedTokens() {
    try (M2dViT numbered = M2dViT.fromStateDict(Fixtures.under(golden, "w/"), config(),
        manager)) {
      assertEquals("t8", numbered.textPathway().orElseThrow().vocabulary().words().get(8));
      assertTrue(numbered.notes().stream().anyMatch(n -> n.contains("without a vocabulary")));
    }
    WorkbenchException wrong = assertThrows(WorkbenchException.class, () -> M2dViT.fromStateDict(
        Fixtures.under(golden, "w/"), config(), TextVocabulary.of("only"), manager));
    assertTrue(wrong.getMessage().contains("3 tokens but text_embed.weight has 9 rows"),
        wrong.getMessage());
  }

  @Test
  void vocabularySplitsLowerCasesAndPads() {
    assertEquals(List.of("a", "high", "note"), TextVocabulary.split("A high  note!"));
    long[] ids = VOCAB.encode("A HIGH violin", 4);
    assertEquals(List.of(4L, 3L, 1L, 0L), java.util.Arrays.stream(ids).boxed().toList());
    assertEquals("a high <unk>", VOCAB.decode(ids));
    assertEquals(VOCAB, TextVocabulary.parse(VOCAB.stored()));
    assertThrows(WorkbenchException.class, () -> VOCAB.encode("one two three four five", 4));
    assertThrows(WorkbenchException.class, () -> new TextVocabulary(List.of("a", "b")));
    assertThrows(WorkbenchException.class, () -> TextVocabulary.of("low", "low"));
    assertThrows(WorkbenchException.class, () -> TextVocabulary.of("two words"));
  }
}
