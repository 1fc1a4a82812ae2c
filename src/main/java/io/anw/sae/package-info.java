/**
 * Sparse autoencoders at hook points: the model (encode, decode, the architectures SAELens
 * saves), its files in SAELens's layout ({@code cfg.json} + {@code sae_weights.safetensors}),
 * and what uses an SAE on a hooked model. Comes after {@code intervention} and before
 * {@code pipeline}: it reads the hooked model and its activations, and the pipeline's verbs
 * count, ablate and patch its features.
 */
package io.anw.sae;
