package io.anw.cli;

import io.anw.WorkbenchException;
import io.anw.model.UnitSpace;
import io.anw.neuron.Neuron;
import io.anw.sae.SaeFiles;
import io.anw.sae.SaeSplice;
import io.anw.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code --sae DIR} option of the verbs that take neurons: the SAE's features as the units
 * (loaded once per process; the SAE lives as long as the command).
 */
final class SaeOption {
  private SaeOption() {}

  /** The features of the SAE in {@code dir} as units (the SAE is freed when the process ends). */
  static UnitSpace units(Path dir) {
    return SaeSplice.units(SaeFiles.load(dir));
  }

  /** Provenance entries that identify an SAE: its folder name and weights hash. */
  static Map<String, String> provenance(Path dir, SparseAutoencoder sae) {
    return Map.of(io.anw.activation.CountsProvenance.SAE, dir.toAbsolutePath().normalize()
        .getFileName().toString(), io.anw.activation.CountsProvenance.SAE_SHA256,
        sae.weightsSha256());
  }

  /**
   * Units of a one-layer unit space may be written with the SAE's block as their layer (as
   * tables print them) or with layer 0: both become layer 0.
   */
  static List<Neuron> atLayerZero(Collection<Neuron> units, UnitSpace space) {
    if (space.layers() != 1) {
      return List.copyOf(units);
    }
    return units.stream().map(n -> {
      if (n.layer() != 0 && n.layer() != space.block()) {
        throw new WorkbenchException("unit " + n + ": layer " + n.layer() + " is neither 0 nor "
            + "the SAE's block " + space.block());
      }
      return new Neuron(0, n.index());
    }).toList();
  }
}
