/**
 * Each experiment once, with its options as small immutable records with documented defaults:
 * probes, deactivation (zero or mean), grounding coefficients and patching between two files.
 * The REPL facade ({@code WB}) and the CLI verbs are both a few lines over these, so the same
 * inputs and options give the same numbers from either. (Counting is {@code
 * activation.CountRun}, selection {@code neuron.EntropySelector}: already one each.)
 */
package io.anw.pipeline;
