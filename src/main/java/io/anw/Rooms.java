package io.anw;

import java.util.List;

/**
 * The workbench's packages ("rooms"), one per pipeline step, in the order in which a room may
 * use the rooms before it and never one after it: the root package and {@code report} first
 * (shared by all), then the pipeline. The REPL imports these; {@code ArchitectureTest} fails on
 * a compiled class outside them or a room that uses a later one.
 */
public final class Rooms {
  /** Room names in order ({@code ""} is the root package {@code io.anw}). */
  public static final List<String> ORDER = List.of("", "report", "audio", "tensor", "model",
      "activation", "neuron", "intervention", "sae", "pipeline", "cluster", "listen", "train", "repl", "notebook", "kernel", "cli");

  private Rooms() {}

  /** The Java package of a room, e.g. {@code io.anw.model}. */
  public static String packageOf(String room) {
    return room.isEmpty() ? "io.anw" : "io.anw." + room;
  }
}
