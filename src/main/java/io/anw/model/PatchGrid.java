package io.anw.model;

/**
 * The grid of an AST-style patch embedding over a spectrogram of {@code bins × frames}: patch
 * {@code (f, t)} covers bins {@code [f · freqStride, f · freqStride + patchBins)} and frames
 * {@code [t · timeStride, t · timeStride + patchFrames)}; patches overlap when a stride is
 * smaller than the patch. Patches are numbered frequency-major ({@code f · timePatches + t}).
 *
 * @param freqPatches patches along frequency
 * @param timePatches patches along time
 * @param patchBins spectrogram bins per patch
 * @param patchFrames spectrogram frames per patch
 * @param freqStride bins between consecutive frequency patches
 * @param timeStride frames between consecutive time patches
 */
public record PatchGrid(int freqPatches, int timePatches, int patchBins, int patchFrames,
    int freqStride, int timeStride) {}
