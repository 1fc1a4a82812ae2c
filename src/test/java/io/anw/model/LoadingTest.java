package io.anw.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.WorkbenchException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkpoint key normalisation, size inference, config from names, and loading errors. */
class LoadingTest {
  /** A tiny encoder: width 64, depth 2, MLP 128, 80 mels, 16x16 patches, unit 48 frames. */
  private static final VitDims TINY = new VitDims(2, 64, 1, 128, 80, 16, 16, 48, 3);

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Map<String, NDArray> encoder(String prefix) {
    Map<String, NDArray> sd = new LinkedHashMap<>();
    TINY.expectedShapes().forEach((k, s) -> sd.put(prefix + k, manager.zeros(s)));
    return sd;
  }

  @Test
  void bareStateDictLoadsWithSizesFromShapes() {
    try (M2dViT m = M2dViT.fromStateDict(encoder(""), ModelConfig.defaults(), manager)) {
      assertEquals(TINY, m.dims());
      assertEquals(48, m.dims().unitFrames());
      assertEquals(NormStats.DEFAULT, m.normStats());
      assertTrue(m.notes().get(0).contains("default [-7.1, 4.2]"), m.notes().toString());
      assertEquals(2 + 2 * 11, m.hookNames().size());
    }
  }

  @Test
  void theModelKeepsCopiesSoTheCallerMayCloseTheCheckpoint() {
    M2dViT m;
    try (NDManager checkpoint = manager.newSubManager()) {
      Map<String, NDArray> sd = new LinkedHashMap<>();
      TINY.expectedShapes().forEach((k, s) -> sd.put(k, checkpoint.ones(s).toType(
          DataType.FLOAT16, false)));
      m = M2dViT.fromStateDict(sd, ModelConfig.defaults(), manager);
    }
    try (m; ModelOutput out = m.run(manager.ones(new Shape(80, 48)))) {
      assertEquals(new Shape(1, 3, 5 * 64), out.features().getShape());
      assertEquals(DataType.FLOAT32, out.features().getDataType());
    }
  }

  @Test
  void evarBackbonePrefixesAndHeadAreHandled() {
    Map<String, NDArray> sd = encoder("module.ar.runtime.backbone.");
    sd.put("module.head.mlp.mlp.0.weight", manager.zeros(new Shape(10, 320)));
    sd.put("module.head.norm.running_mean", manager.zeros(new Shape(320)));
    sd.put("module.ar.runtime.to_spec.mel_basis", manager.zeros(new Shape(80, 201)));
    M2dStateDict n = M2dStateDict.normalise(sd);
    assertEquals(TINY.expectedShapes().keySet(), n.params().keySet());
    assertTrue(n.notes().stream().anyMatch(s -> s.contains("2 head.")), n.notes().toString());
    assertTrue(n.notes().stream().anyMatch(s -> s.contains("to_spec.")), n.notes().toString());
  }

  @Test
  void nestedModelDictBackbonePrefixAndM2dExtrasAreHandled() {
    Map<String, NDArray> sd = encoder("model.backbone.");
    sd.put("model.norm_stats", manager.create(new float[] {-6f, 5f}));
    sd.put("model.target_blocks.0.norm1.weight", manager.zeros(new Shape(64)));
    sd.put("model.target_norm.weight", manager.zeros(new Shape(64)));
    sd.put("model.decoder_embed.weight", manager.zeros(new Shape(32, 64)));
    sd.put("model.mask_token", manager.zeros(new Shape(1, 1, 32)));
    sd.put("model.audio_proj.0.weight", manager.zeros(new Shape(8, 64)));
    sd.put("model.text_proj.weight", manager.zeros(new Shape(8, 8)));
    sd.put("optimizer.state.0.exp_avg", manager.zeros(new Shape(3)));
    M2dStateDict n = M2dStateDict.normalise(sd);
    assertEquals(TINY.expectedShapes().keySet(), n.params().keySet());
    assertEquals(new NormStats(-6f, 5f), n.normStats());
    String notes = String.join("\n", n.notes());
    for (String group : List.of("target_", "decoder", "mask_token", "audio_proj", "text_proj",
        "outside 'model'")) {
      assertTrue(notes.contains(group), group + " in " + notes);
    }
    try (M2dViT m = M2dViT.fromStateDict(sd, ModelConfig.defaults(), manager)) {
      assertEquals(new NormStats(-6f, 5f), m.normStats());
      NDArray x = manager.create(new float[] {-6f, 4f}).reshape(1, 2);
      assertArrayEquals(new float[] {0f, 2f}, m.normalize(x).toFloatArray(), 1e-6f);
    }
  }

  @Test
  void givenNormStatsAndHeadsWin() {
    ModelConfig c = ModelConfig.defaults().withNormStats(1f, 2f).withHeads(4);
    try (M2dViT m = M2dViT.fromStateDict(encoder(""), c, manager)) {
      assertEquals(new NormStats(1f, 2f), m.normStats());
      assertEquals(4, m.dims().heads());
      assertEquals(16, m.dims().headWidth());
    }
  }

  @Test
  void unknownAndMissingKeysAreListed() {
    Map<String, NDArray> sd = encoder("");
    sd.remove("blocks.1.attn.qkv.bias");
    sd.remove("norm.weight");
    sd.put("blocks.0.attn.q_norm.weight", manager.zeros(new Shape(64)));
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> M2dViT.fromStateDict(sd, ModelConfig.defaults(), manager));
    String msg = e.getMessage();
    assertTrue(msg.contains("missing 2 [blocks.1.attn.qkv.bias, norm.weight]"), msg);
    assertTrue(msg.contains("unknown 1 [blocks.0.attn.q_norm.weight]"), msg);
    assertTrue(!msg.contains("\n"), "one line");
  }

  @Test
  void somethingElseEntirelyIsRejected() {
    Map<String, NDArray> sd = Map.of("layers.0.weight", manager.zeros(new Shape(4, 4)));
    WorkbenchException e = assertThrows(WorkbenchException.class,
        () -> M2dViT.fromStateDict(sd, ModelConfig.defaults(), manager));
    assertTrue(e.getMessage().contains("missing 3 [patch_embed.proj.weight, pos_embed, "
        + "blocks.0.mlp.fc1.weight]"), e.getMessage());
  }

  @Test
  void wrongShapesAndDisagreeingNamesAreErrors() {
    Map<String, NDArray> sd = encoder("");
    sd.put("blocks.1.mlp.fc2.weight", manager.zeros(new Shape(64, 100)));
    WorkbenchException shape = assertThrows(WorkbenchException.class,
        () -> M2dViT.fromStateDict(sd, ModelConfig.defaults(), manager));
    assertTrue(shape.getMessage().contains("blocks.1.mlp.fc2.weight has shape (64, 100)"),
        shape.getMessage());
    WorkbenchException unit = assertThrows(WorkbenchException.class, () -> M2dViT.fromStateDict(
        encoder(""), ModelConfig.fromName("m2d_vit_base-80x608p16x16-220930"), manager));
    assertTrue(unit.getMessage().contains("608 frames"), unit.getMessage());
    assertThrows(WorkbenchException.class, () -> M2dViT.fromStateDict(encoder(""),
        ModelConfig.defaults().withHeads(3), manager));
  }

  @Test
  void sizesComeFromM2dFolderNames() {
    ModelConfig base = ModelConfig.fromName("m2d_vit_base-80x608p16x16-220930-mr7");
    assertEquals(List.of(80, 608, 16, 16), List.of(base.melBins(), base.unitFrames(),
        base.patchFreq(), base.patchTime()));
    ModelConfig clap = ModelConfig.fromName("m2d_clap_vit_base-80x1001p16x16p16kpBpTI-2025");
    assertEquals(1001, clap.unitFrames());
    ModelConfig path = ModelConfig.fromCheckpointPath(
        Path.of("/models/m2d_as_vit_base-80x1001p16x16-240213_AS-FT_enconly/weights_ep69.pth"));
    assertEquals("m2d_as_vit_base-80x1001p16x16-240213_AS-FT_enconly", path.name());
    assertEquals(1001, path.unitFrames());
    assertNull(clap.preset(), "16 kHz: the default front end");
    ModelConfig k32 = ModelConfig.fromName("m2d_vit_base-80x1001p16x16p32k-240413_AS-FT_enconly");
    assertEquals(io.anw.audio.LogMelPreset.M2D_32K, k32.preset());
    assertEquals(1001, k32.unitFrames());
    ModelConfig unknown = ModelConfig.fromName("my_model");
    assertEquals(0, unknown.unitFrames());
    assertNull(unknown.normStats());
    assertEquals("my_model", unknown.name());
    ModelConfig plain = ModelConfig.fromCheckpointPath(Path.of("samples/models/m2d-tiny.safetensors"));
    assertEquals("m2d-tiny", plain.name(), "a folder without M2D sizes does not name the model");
  }

  @Test
  void wrapperStrippingKeepsInnerNames() {
    assertEquals("blocks.0.norm1.weight",
        M2dStateDict.stripWrappers("module.ar.runtime.backbone.blocks.0.norm1.weight"));
    assertEquals("pos_embed", M2dStateDict.stripWrappers("backbone.pos_embed"));
    assertEquals("norm.weight", M2dStateDict.stripWrappers("module.norm.weight"));
  }

  @Test
  void theFrontEndTravelsWithTheCheckpoint(@org.junit.jupiter.api.io.TempDir Path dir) {
    try (M2dViT m = M2dViT.fromStateDict(encoder(""), ModelConfig.defaults()
        .withPreset(io.anw.audio.LogMelPreset.M2D_32K), manager)) {
      assertEquals(io.anw.audio.LogMelPreset.M2D_32K, m.preset());
      Path file = ModelFiles.saveM2d(m, dir.resolve("k32.safetensors"));
      try (M2dViT back = ModelFiles.loadM2d(file)) {
        assertEquals(io.anw.audio.LogMelPreset.M2D_32K, back.preset(), "from the metadata");
      }
    }
    try (M2dViT m = M2dViT.fromStateDict(encoder(""), ModelConfig.defaults(), manager)) {
      assertEquals(io.anw.audio.LogMelPreset.M2D_16K, m.preset(), "default");
    }
  }
}
