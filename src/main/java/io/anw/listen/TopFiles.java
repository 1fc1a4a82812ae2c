package io.anw.listen;

import com.google.gson.GsonBuilder;
import io.anw.AtomicFile;
import io.anw.report.CsvFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a top-activation run: {@code top.csv}
 * ({@code layer,neuron,rank,file_name,label,activation,chunk,token,start_s,end_s,freq_lo_hz,freq_hi_hz},
 * rank 1 = highest; {@code neuron} is the feature index for an SAE), {@code quantiles.csv} (the
 * same with a {@code quantile} column after {@code neuron}, 1 = lowest bin) and {@code top.json}
 * (provenance and warnings). Seconds to 3 decimals, Hz to 1, activations to 6.
 */
public final class TopFiles {
  private TopFiles() {}

  /** Writes the three files under {@code dir} (each atomically); returns them. */
  public static List<Path> write(TopResult r, Path dir) {
    List<Path> out = new ArrayList<>();
    out.add(CsvFiles.write(r.table(), dir.resolve("top.csv")));
    out.add(CsvFiles.write(r.quantileTable(), dir.resolve("quantiles.csv")));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("provenance", r.provenance());
    meta.put("warnings", r.warnings());
    meta.put("units", r.units().stream().map(TopUnit::toString).toList());
    out.add(AtomicFile.write(dir.resolve("top.json"), new GsonBuilder().setPrettyPrinting()
        .disableHtmlEscaping().create().toJson(meta).getBytes(StandardCharsets.UTF_8)));
    return out;
  }
}
