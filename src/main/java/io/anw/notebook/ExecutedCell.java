package io.anw.notebook;

import java.util.List;

/**
 * A cell after the run.
 *
 * @param cell the cell
 * @param executionCount 1-based order of execution among code cells (0 for markdown and cells
 *     not run)
 * @param outputs outputs in the order produced
 * @param failed whether the cell stopped with an error
 * @param seconds wall time of the cell
 */
public record ExecutedCell(Cell cell, int executionCount, List<CellOutput> outputs,
    boolean failed, double seconds) {}
