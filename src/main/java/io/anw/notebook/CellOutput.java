package io.anw.notebook;

import java.util.Map;

/**
 * One output of an executed cell, in Jupyter's output model.
 *
 * @param type {@code stream}, {@code execute_result}, {@code display_data} or {@code error}
 * @param name for streams: {@code stdout} or {@code stderr}
 * @param data for results and displays: MIME type to data (base64 for images); for streams and
 *     errors: {@code text/plain} only
 */
public record CellOutput(String type, String name, Map<String, String> data) {
  /** Captured standard output or error text. */
  public static CellOutput stream(String name, String text) {
    return new CellOutput("stream", name, Map.of("text/plain", text));
  }

  /** The value of the cell's last expression. */
  public static CellOutput result(Map<String, String> bundle) {
    return new CellOutput("execute_result", null, Map.copyOf(bundle));
  }

  /** A value shown with {@code WB.show(...)}. */
  public static CellOutput display(Map<String, String> bundle) {
    return new CellOutput("display_data", null, Map.copyOf(bundle));
  }

  /** The error that stopped the cell: {@code FILE.jsh:LINE: message}. */
  public static CellOutput error(String message) {
    return new CellOutput("error", null, Map.of("text/plain", message));
  }

  /** The plain-text form. */
  public String text() {
    return data.getOrDefault("text/plain", "");
  }
}
