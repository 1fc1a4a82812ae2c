package io.anw.listen;

import java.nio.file.Path;

/**
 * One clip that drives a unit: its maximum activation over the clip and the token where it is.
 *
 * @param unit the unit
 * @param quantile 0 for a top entry, else the activation quantile bin it was drawn from (1 =
 *     lowest)
 * @param rank 1 = highest among the unit's top clips (within its bin for quantile examples)
 * @param row the clip's row in the dataset ranked (-1 when read back from a file)
 * @param file the audio file
 * @param fileName the file as written in tables (relative to the dataset's folder)
 * @param label the clip's class
 * @param activation the unit's highest value over the clip's chosen tokens
 * @param place chunk, token, time span and mel band of that token
 */
public record TopEntry(TopUnit unit, int quantile, int rank, int row, Path file,
    String fileName, String label, double activation, TokenPlace place) {
  @Override
  public String toString() {
    return unit + " #" + rank + (quantile > 0 ? " (q" + quantile + ")" : "") + " "
        + io.anw.report.NumberText.decimal(activation) + " " + fileName + " [" + label + "] "
        + place;
  }
}
