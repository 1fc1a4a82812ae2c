package io.anw.notebook;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.anw.AtomicFile;
import io.anw.Version;
import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jupyter notebooks (nbformat 4): writes an executed notebook with its outputs
 * ({@code stream}, {@code execute_result}, {@code display_data}, {@code error}) and reads the
 * cells of a notebook written elsewhere (e.g. with a Java kernel) back into percent format.
 */
public final class Ipynb {
  /** The kernelspec name notebooks declare: the workbench's Jupyter kernel. */
  public static final String KERNEL_NAME = "workbench";
  /** The kernel's display name in Jupyter's menus. */
  public static final String KERNEL_DISPLAY_NAME = "Audio-neuron workbench (Java 17)";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .serializeNulls()
      .create();

  private Ipynb() {}

  /** Writes {@code nb} as an {@code .ipynb} file (atomically). */
  public static Path write(ExecutedNotebook nb, Path out) {
    return AtomicFile.write(out, GSON.toJson(toJson(nb)).getBytes(StandardCharsets.UTF_8));
  }

  /** The notebook as nbformat 4.4 JSON. */
  public static JsonObject toJson(ExecutedNotebook nb) {
    JsonObject root = new JsonObject();
    JsonObject meta = new JsonObject();
    JsonObject kernel = new JsonObject();
    kernel.addProperty("name", KERNEL_NAME);
    kernel.addProperty("display_name", KERNEL_DISPLAY_NAME);
    kernel.addProperty("language", "java");
    meta.add("kernelspec", kernel);
    JsonObject lang = new JsonObject();
    lang.addProperty("name", "java");
    lang.addProperty("version", Version.java());
    lang.addProperty("mimetype", "text/x-java-source");
    lang.addProperty("file_extension", ".jsh");
    lang.addProperty("codemirror_mode", "java");
    meta.add("language_info", lang);
    JsonObject prov = new JsonObject();
    nb.provenance().forEach(prov::addProperty);
    meta.add("workbench", prov);
    root.add("metadata", meta);
    root.addProperty("nbformat", 4);
    root.addProperty("nbformat_minor", 4);
    JsonArray cells = new JsonArray();
    for (ExecutedCell c : nb.cells()) {
      JsonObject cell = new JsonObject();
      boolean code = c.cell().kind() == Cell.Kind.CODE;
      cell.addProperty("cell_type", code ? "code" : "markdown");
      cell.add("metadata", new JsonObject());
      cell.add("source", lines(c.cell().source()));
      if (code) {
        if (c.executionCount() > 0) {
          cell.addProperty("execution_count", c.executionCount());
        } else {
          cell.add("execution_count", com.google.gson.JsonNull.INSTANCE);
        }
        JsonArray outputs = new JsonArray();
        c.outputs().forEach(o -> outputs.add(output(o, c.executionCount())));
        cell.add("outputs", outputs);
      }
      cells.add(cell);
    }
    root.add("cells", cells);
    return root;
  }

  private static JsonObject output(CellOutput o, int count) {
    JsonObject out = new JsonObject();
    out.addProperty("output_type", o.type());
    switch (o.type()) {
      case "stream" -> {
        out.addProperty("name", o.name());
        out.add("text", lines(o.text()));
      }
      case "error" -> {
        String text = o.text();
        out.addProperty("ename", "Error");
        out.addProperty("evalue", text);
        JsonArray tb = new JsonArray();
        tb.add(text);
        out.add("traceback", tb);
      }
      default -> {
        if (o.type().equals("execute_result")) {
          out.addProperty("execution_count", count);
        }
        JsonObject data = new JsonObject();
        for (Map.Entry<String, String> e : o.data().entrySet()) {
          data.add(e.getKey(), e.getKey().startsWith("text/") ? lines(e.getValue())
              : new com.google.gson.JsonPrimitive(e.getValue()));
        }
        out.add("data", data);
        out.add("metadata", new JsonObject());
      }
    }
    return out;
  }

  /** Jupyter's multi-line string: a list of lines, each but the last ending in a newline. */
  private static JsonArray lines(String text) {
    JsonArray a = new JsonArray();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      a.add(text.substring(start, end));
      start = end;
    }
    return a;
  }

  /** Reads the code and markdown cells of an {@code .ipynb} file (outputs are ignored). */
  public static List<Cell> readCells(Path file) {
    JsonObject root;
    try {
      root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    } catch (JsonParseException | IllegalStateException e) {
      throw new WorkbenchException(file + ": not a JSON notebook (" + e.getMessage() + ")", e);
    }
    if (!root.has("cells") || !root.get("cells").isJsonArray()) {
      throw new WorkbenchException(file + ": no 'cells' list; is this an nbformat 4 notebook?");
    }
    if (root.has("nbformat") && root.get("nbformat").getAsInt() < 4) {
      throw new WorkbenchException(file + ": nbformat " + root.get("nbformat").getAsInt()
          + " is not supported (convert to 4 with `jupyter nbconvert --to notebook`)");
    }
    List<Cell> cells = new ArrayList<>();
    int index = 0;
    for (JsonElement e : root.getAsJsonArray("cells")) {
      index++;
      JsonObject c = e.getAsJsonObject();
      String type = c.has("cell_type") ? c.get("cell_type").getAsString() : "";
      String source = text(c.get("source"));
      switch (type) {
        case "code" -> cells.add(new Cell(Cell.Kind.CODE, source, index));
        case "markdown" -> cells.add(new Cell(Cell.Kind.MARKDOWN, source, index));
        case "raw" -> cells.add(new Cell(Cell.Kind.MARKDOWN, "```\n" + source + "\n```", index));
        default -> throw new WorkbenchException(file + ": cell " + index + " has unknown type '"
            + type + "'");
      }
    }
    return cells;
  }

  private static String text(JsonElement source) {
    if (source == null || source.isJsonNull()) {
      return "";
    }
    if (source.isJsonArray()) {
      StringBuilder sb = new StringBuilder();
      source.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
      return sb.toString();
    }
    return source.getAsString();
  }
}
