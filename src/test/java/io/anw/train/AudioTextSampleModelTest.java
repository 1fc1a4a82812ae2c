package io.anw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.anw.GradMode;
import io.anw.activation.ActivationCounts;
import io.anw.activation.CountRun;
import io.anw.activation.DatasetInputs;
import io.anw.audio.Dataset;
import io.anw.intervention.ClassGrounding;
import io.anw.intervention.ClassGroundingResult;
import io.anw.intervention.GroundingStat;
import io.anw.intervention.LinearProbe;
import io.anw.intervention.ProbeOptions;
import io.anw.model.M2dViT;
import io.anw.model.TokenGroup;
import io.anw.neuron.EntropySelector;
import io.anw.neuron.NeuronSelection;
import io.anw.neuron.SelectionMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped two-pathway sample model does what it is for: it reads the caption (it names the
 * source, which the audio cannot tell) and its class-specific neurons include audio-grounded
 * and text-grounded ones (the grounding histogram has both ends).
 */
class AudioTextSampleModelTest {
  @Test
  void itReadsBothPartsAndHasAudioAndTextGroundedNeurons() {
    GradMode.disableOnCurrentThread();
    Dataset data = SampleModels.task(SampleModels.CAPTION_TASK);
    Dataset train = data.split("train");
    Dataset test = data.split("test");
    try (M2dViT model = SampleModels.load(SampleModels.AUDIO_TEXT);
        M2dViT audioOnly = SampleModels.load(SampleModels.M2D)) {
      assertEquals(List.of("audio", "text"), model.inputParts());
      assertEquals(SampleModels.vocabulary(), model.textPathway().orElseThrow().vocabulary());
      assertEquals(SampleModels.TEXT_LENGTH, model.textPathway().orElseThrow().length());

      double withText = accuracy(model, train, test.where("condition", "text"));
      double blind = accuracy(audioOnly, train, test.where("condition", "text"));
      assertTrue(withText >= 0.8, "noise + caption clips: " + withText);
      assertTrue(blind <= 0.5, "the audio-only model cannot read captions: " + blind);

      ActivationCounts counts = CountRun.run(model, train, CountRun.Options.defaults(),
          Map.of("model", model.name()), n -> { });
      NeuronSelection sel = EntropySelector.select(counts,
          SelectionMethod.AAPE.defaults().withTopRate(0.10));
      ClassGroundingResult gc;
      try (NDManager m = NDManager.newBaseManager()) {
        Dataset both = data.where("condition", "both");
        gc = ClassGrounding.compute(model, sel.byClass(), both.classes(),
            DatasetInputs.inputs(model, both, m), DatasetInputs.labels(both),
            GroundingStat.PROBABILITY, TokenGroup.ALL, 64, 0);
      }
      var labels = gc.labels();
      int audio = labels.intColumn("neurons").get(0);
      int text = labels.intColumn("neurons").get(2);
      assertTrue(audio >= 5 && text >= 5, gc.toString());
      assertEquals(6, gc.byClass().size(), "every class has neurons: " + gc);
    }
  }

  private static double accuracy(M2dViT model, Dataset train, Dataset test) {
    LinearProbe probe = io.anw.pipeline.Probing.train(model, train, ProbeOptions.defaults(), 8);
    return io.anw.pipeline.Probing.evaluate(probe, model, test, 8).accuracy();
  }
}
