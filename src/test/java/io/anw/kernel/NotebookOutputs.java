package io.anw.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of an {@code .ipynb}'s code cells in a comparable form: per output its type,
 * stream name and text, and for results and displays the plain text, the HTML and whether there
 * is a PNG; identity hashes ({@code Foo@1a2b3c}) and timing lines are masked.
 */
public final class NotebookOutputs {
  private NotebookOutputs() {}

  private static String text(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return "";
    }
    if (e.isJsonArray()) {
      StringBuilder sb = new StringBuilder();
      e.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
      return sb.toString();
    }
    return e.getAsString();
  }

  /** Masks identity hashes, durations ({@code in 2m18s}, {@code in 3.2 s}) and rates ({@code 2,174 tokens/s}). */
  static String mask(String s) {
    return s.replaceAll("@[0-9a-f]{4,}", "@…")
        .replaceAll("\\bin \\d+m\\d+(\\.\\d+)?s\\b", "in …")
        .replaceAll("\\bin \\d+(\\.\\d+)? ?(ms|s)\\b", "in …")
        .replaceAll("[\\d,.]+ [A-Za-z ]+/s\\b", "… /s");
  }

  /** One line per output of each code cell, cells separated by {@code --- cell N}. */
  public static List<String> of(Path ipynb) throws IOException {
    JsonObject nb = JsonParser.parseString(Files.readString(ipynb)).getAsJsonObject();
    List<String> out = new ArrayList<>();
    int n = 0;
    for (JsonElement c : nb.getAsJsonArray("cells")) {
      JsonObject cell = c.getAsJsonObject();
      if (!cell.get("cell_type").getAsString().equals("code")) {
        continue;
      }
      out.add("--- cell " + ++n);
      JsonArray outputs = cell.getAsJsonArray("outputs");
      for (JsonElement o : outputs) {
        JsonObject output = o.getAsJsonObject();
        String type = output.get("output_type").getAsString();
        switch (type) {
          case "stream" -> out.add("stream " + output.get("name").getAsString() + ": "
              + mask(text(output.get("text"))));
          case "error" -> out.add("error: " + mask(output.get("evalue").getAsString()
              .lines().findFirst().orElse("")));
          default -> {
            JsonObject data = output.getAsJsonObject("data");
            out.add(type + ": " + mask(text(data.get("text/plain"))) + " | html "
                + mask(text(data.get("text/html"))).hashCode() + " | png "
                + data.has("image/png"));
          }
        }
      }
    }
    return out;
  }
}
