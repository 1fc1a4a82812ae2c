package io.anw.audio;

import io.anw.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Labelled audio clips from a CSV file ({@code file_name,label[,split]}, EVAR's convention) or
 * from a folder with one subfolder per class.
 *
 * <p>Items keep the source order (CSV rows; for folders sorted classes, then sorted files), the
 * class list is sorted, and every item carries a split: the CSV's {@code split} column, else a
 * stratified, seeded {@code train}/{@code test} assignment. Headers are checked when the
 * dataset is opened (every file probed); samples are decoded on loading, in parallel through a
 * bounded queue ({@link #stream()}).
 */
public final class Dataset {
  private static final String FILE = "file_name";
  private static final String LABEL = "label";
  private static final String SPLIT = "split";
  /**
   * The optional caption column: the text an audio-text model reads with each clip (see
   * {@code io.anw.model.TextPathway}); audio-only models ignore it.
   */
  public static final String CAPTION = "text";

  /**
   * One clip of the dataset.
   *
   * @param file the audio file
   * @param label its class
   * @param split its split, e.g. {@code train} or {@code test}
   * @param seconds duration from the file header
   * @param metadata the extra CSV columns (empty for folder datasets)
   * @param where where the item was listed, for messages: the CSV and its row
   *     ({@code labels.csv row 7}), or the file under the class folders
   */
  public record Item(Path file, String label, String split, double seconds,
      Map<String, String> metadata, String where) {}

  /**
   * A clip as prepared by the loading threads, with its position in the dataset.
   *
   * @param row the item's index in {@link #items()}
   * @param value what the clip was made into
   * @param <T> the prepared type
   */
  public record Loaded<T>(int row, T value) {}

  /**
   * A row or file that was skipped.
   *
   * @param where the CSV and row, or the folder, it came from
   * @param file the file named
   * @param problem what is wrong
   */
  public record Problem(String where, String file, String problem) {
    @Override
    public String toString() {
      return where + " (" + file + "): " + problem;
    }
  }

  private final String name;
  private final List<Item> items;
  private final List<String> classes;
  private final DatasetOptions options;
  /** Skipped rows and files, shared by this dataset and every one made from it (split, shard). */
  private final java.util.Set<Problem> problems;

  private Dataset(String name, List<Item> items, List<String> classes, DatasetOptions options,
      List<Problem> problems) {
    this(name, items, classes, options,
        Collections.synchronizedSet(new java.util.LinkedHashSet<>(problems)));
  }

  private Dataset(String name, List<Item> items, List<String> classes, DatasetOptions options,
      java.util.Set<Problem> shared) {
    this.name = name;
    this.items = List.copyOf(items);
    this.classes = List.copyOf(classes);
    this.options = options;
    this.problems = shared;
  }

  /** Opens a CSV file or a class-folder directory with default options. */
  public static Dataset open(Path path) {
    return open(path, DatasetOptions.defaults());
  }

  /** Opens a CSV file ({@link #fromCsv}) or a class-folder directory ({@link #fromFolder}). */
  public static Dataset open(Path path, DatasetOptions options) {
    if (Files.isDirectory(path)) {
      return fromFolder(path, options);
    }
    if (Files.isRegularFile(path)) {
      return fromCsv(path, options);
    }
    throw new WorkbenchException(path + ": no such file or folder");
  }

  /**
   * Reads a CSV with a header naming at least {@code file_name} and {@code label} (optionally
   * {@code split}); file names are relative to the CSV's folder, other columns become metadata.
   */
  public static Dataset fromCsv(Path csv, DatasetOptions options) {
    List<io.anw.report.CsvFiles.Row> rows = io.anw.report.CsvFiles.read(csv);
    if (rows.isEmpty()) {
      throw new WorkbenchException(csv + ": empty CSV");
    }
    List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
    int fileCol = header.indexOf(FILE);
    int labelCol = header.indexOf(LABEL);
    int splitCol = header.indexOf(SPLIT);
    if (fileCol < 0 || labelCol < 0) {
      throw new WorkbenchException(csv + ": header must name the columns file_name and label, has "
          + String.join(",", header));
    }
    Path dir = csv.toAbsolutePath().getParent();
    List<Item> items = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (io.anw.report.CsvFiles.Row row : rows.subList(1, rows.size())) {
      List<String> f = row.fields();
      String where = csv.getFileName() + " row " + row.line();
      String file = fileCol < f.size() ? f.get(fileCol).strip() : "";
      try {
        if (f.size() != header.size()) {
          throw new WorkbenchException(f.size() + " fields, header has " + header.size());
        }
        String label = f.get(labelCol).strip();
        if (file.isEmpty() || label.isEmpty()) {
          throw new WorkbenchException(file.isEmpty() ? "empty file_name" : "empty label");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
          if (c != fileCol && c != labelCol && c != splitCol) {
            meta.put(header.get(c), f.get(c));
          }
        }
        String split = splitCol < 0 ? null : f.get(splitCol).strip();
        if (split != null && split.isEmpty()) {
          throw new WorkbenchException("empty split");
        }
        items.add(probe(dir.resolve(file).normalize(), label, split, meta, where));
      } catch (WorkbenchException e) {
        reject(problems, options, new Problem(where, file, e.getMessage()));
      }
    }
    Path folder = csv.toAbsolutePath().getParent().getFileName();
    String name = (folder == null ? "" : folder + "/") + csv.getFileName();
    return build(name, items, splitCol >= 0, options, problems);
  }

  /** Reads a folder whose subfolders are the classes; their WAV/FLAC files (recursively) the clips. */
  public static Dataset fromFolder(Path dir, DatasetOptions options) {
    List<Item> items = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    int found = 0;
    try (Stream<Path> subdirs = Files.list(dir)) {
      List<Path> classDirs = subdirs.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
      for (Path classDir : classDirs) {
        String label = classDir.getFileName().toString();
        try (Stream<Path> files = Files.walk(classDir)) {
          for (Path f : files.filter(Files::isRegularFile).filter(Dataset::isAudioName).sorted().toList()) {
            found++;
            try {
              items.add(probe(f, label, null, Map.of(),
                  dir.getFileName() + "/" + dir.relativize(f)));
            } catch (WorkbenchException e) {
              reject(problems, options, new Problem(dir.getFileName().toString(),
                  dir.relativize(f).toString(), e.getMessage()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new WorkbenchException(dir + ": cannot list (" + e.getMessage() + ")", e);
    }
    if (found == 0) {
      throw new WorkbenchException(dir + ": no class subfolders with .wav or .flac files");
    }
    return build(dir.getFileName().toString(), items, false, options, problems);
  }

  private static boolean isAudioName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".wav") || n.endsWith(".flac");
  }

  /** Reads the header of {@code file}; the error message is stripped of the path. */
  private static Item probe(Path file, String label, String split, Map<String, String> meta,
      String where) {
    try {
      return new Item(file, label, split, AudioFiles.probe(file).seconds(), meta, where);
    } catch (WorkbenchException e) {
      throw new WorkbenchException(withoutPath(e, file), e);
    }
  }

  private static Dataset build(String name, List<Item> items, boolean hasSplit,
      DatasetOptions options, List<Problem> problems) {
    if (items.isEmpty()) {
      throw new WorkbenchException(name + ": no usable clips"
          + (problems.isEmpty() ? "" : " (" + problems.size() + " bad rows, first: " + problems.get(0) + ")"));
    }
    if (!hasSplit) {
      items = stratifiedSplit(items, options);
    }
    List<String> classes = new ArrayList<>(new TreeSet<>(items.stream().map(Item::label).toList()));
    return new Dataset(name, items, classes, options, problems);
  }

  private static void reject(List<Problem> problems, DatasetOptions options, Problem p) {
    if (!options.skipBad()) {
      throw new WorkbenchException(p.toString());
    }
    problems.add(p);
  }

  private static String withoutPath(WorkbenchException ex, Path file) {
    String m = ex.getMessage();
    String prefix = file + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  /** Assigns {@code test} to a seeded random {@code testFraction} of each class, {@code train} to the rest. */
  private static List<Item> stratifiedSplit(List<Item> items, DatasetOptions options) {
    Map<String, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < items.size(); i++) {
      byClass.computeIfAbsent(items.get(i).label(), k -> new ArrayList<>()).add(i);
    }
    boolean[] test = new boolean[items.size()];
    for (Map.Entry<String, List<Integer>> e : byClass.entrySet()) {
      List<Integer> idx = new ArrayList<>(e.getValue());
      Collections.shuffle(idx, new Random(options.seed() * 1_000_003L + e.getKey().hashCode()));
      int n = idx.size();
      int nTest = (int) Math.round(n * options.testFraction());
      if (options.testFraction() > 0 && n >= 2) {
        nTest = Math.max(1, Math.min(n - 1, nTest));
      }
      for (int k = 0; k < nTest; k++) {
        test[idx.get(k)] = true;
      }
    }
    List<Item> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      out.add(new Item(it.file(), it.label(), test[i] ? "test" : "train", it.seconds(),
          it.metadata(), it.where()));
    }
    return out;
  }

  /** The dataset's name: {@code folder/file.csv} or the class-folder directory's name. */
  public String name() {
    return name;
  }

  /** The items, in dataset order. */
  public List<Item> items() {
    return items;
  }

  /** Number of items. */
  public int size() {
    return items.size();
  }

  /** The sorted class labels. */
  public List<String> classes() {
    return classes;
  }

  /** The options the dataset was opened with. */
  public DatasetOptions options() {
    return options;
  }

  /** Rows and files skipped so far (with {@code skipBad}), at opening and while loading. */
  public List<Problem> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /** The split names present, sorted. */
  public List<String> splits() {
    return items.stream().map(Item::split).distinct().sorted().toList();
  }

  /** The items of one split as a dataset (same class list and options). */
  public Dataset split(String split) {
    List<Item> sub = items.stream().filter(i -> i.split().equals(split)).toList();
    if (sub.isEmpty()) {
      throw new WorkbenchException(name + ": no split '" + split + "' (has " + String.join(", ", splits()) + ")");
    }
    return new Dataset(name + "[" + split + "]", sub, classes, options, problems);
  }

  /**
   * Shard {@code index} of {@code count} (1-based): the items whose position p has
   * {@code p % count == index - 1}, so shards interleave classes and sum to the whole.
   */
  public Dataset shard(int index, int count) {
    if (count < 1 || index < 1 || index > count) {
      throw new WorkbenchException("shard " + index + "/" + count + " is not i/n with 1 <= i <= n");
    }
    List<Item> sub = new ArrayList<>();
    for (int p = index - 1; p < items.size(); p += count) {
      sub.add(items.get(p));
    }
    return new Dataset(count == 1 ? name : name + "[shard " + index + "/" + count + "]", sub,
        classes, options, problems);
  }

  /**
   * The items whose {@code column} ({@code label}, {@code split} or a metadata column such as
   * {@code condition}) equals {@code value}, as a dataset (same class list and options).
   *
   * @throws WorkbenchException when no item has that column, or none has that value
   */
  public Dataset where(String column, String value) {
    java.util.function.Function<Item, String> get = switch (column) {
      case LABEL -> Item::label;
      case SPLIT -> Item::split;
      default -> it -> it.metadata().get(column);
    };
    if (items.stream().map(get).allMatch(java.util.Objects::isNull)) {
      java.util.Set<String> columns = new TreeSet<>(List.of(LABEL, SPLIT));
      items.forEach(it -> columns.addAll(it.metadata().keySet()));
      throw new WorkbenchException(name + ": no column '" + column + "' (has "
          + String.join(", ", columns) + ")");
    }
    List<Item> sub = items.stream().filter(it -> value.equals(get.apply(it))).toList();
    if (sub.isEmpty()) {
      throw new WorkbenchException(name + ": no item has " + column + " = '" + value + "' (values: "
          + String.join(", ", items.stream().map(get).filter(java.util.Objects::nonNull)
              .distinct().sorted().toList()) + ")");
    }
    return new Dataset(name + "[" + column + "=" + value + "]", sub, classes, options,
        problems);
  }

  /** The caption of every item ({@value #CAPTION} column; empty where there is none). */
  public List<String> captions() {
    return items.stream().map(it -> it.metadata().getOrDefault(CAPTION, "")).toList();
  }

  /**
   * The items at {@code rows} (positions in this dataset, in that order, repeats allowed), as a
   * dataset of the same name, classes and options: e.g. one epoch's shuffled order.
   */
  public Dataset select(int[] rows) {
    List<Item> sub = new ArrayList<>(rows.length);
    for (int r : rows) {
      if (r < 0 || r >= items.size()) {
        throw new WorkbenchException(name + ": row " + r + " is outside [0, " + items.size() + ")");
      }
      sub.add(items.get(r));
    }
    return new Dataset(name, sub, classes, options, problems);
  }

  /** The dataset without its first {@code k} items (to resume an interrupted pass). */
  public Dataset skip(int k) {
    return new Dataset(name, items.subList(Math.min(k, items.size()), items.size()), classes,
        options, problems);
  }

  /**
   * A fingerprint of the item list (file names, labels, splits and captions where there are
   * any, in order): SHA-256 hex, for provenance.
   */
  public String listHash() {
    StringBuilder sb = new StringBuilder();
    for (Item it : items) {
      sb.append(it.file().getFileName()).append(',').append(it.label()).append(',')
          .append(it.split());
      String caption = it.metadata().get(CAPTION);
      if (caption != null) {
        sb.append(',').append(caption);
      }
      sb.append('\n');
    }
    return io.anw.report.Provenance.sha256(sb.toString());
  }

  /** The index of a label in {@link #classes()}, or -1. */
  public int classIndex(String label) {
    return Collections.binarySearch(classes, label);
  }

  /**
   * Per class: clips, total seconds (from the file headers) and clips per split, with a final
   * {@code all} row.
   */
  public Table summary() {
    List<String> splits = splits();
    Map<String, int[]> counts = new LinkedHashMap<>();
    Map<String, Double> seconds = new HashMap<>();
    for (String c : classes) {
      counts.put(c, new int[splits.size() + 1]);
    }
    for (Item it : items) {
      int[] c = counts.get(it.label());
      c[0]++;
      c[1 + splits.indexOf(it.split())]++;
      seconds.merge(it.label(), it.seconds(), Double::sum);
    }
    StringColumn cls = StringColumn.create("class");
    IntColumn clips = IntColumn.create("clips");
    DoubleColumn secs = DoubleColumn.create("seconds");
    List<IntColumn> perSplit = splits.stream().map(IntColumn::create).toList();
    int[] total = new int[splits.size() + 1];
    for (String c : classes) {
      int[] n = counts.get(c);
      cls.append(c);
      clips.append(n[0]);
      secs.append(Math.round(seconds.get(c) * 100) / 100.0);
      for (int s = 0; s < splits.size(); s++) {
        perSplit.get(s).append(n[s + 1]);
      }
      for (int k = 0; k < total.length; k++) {
        total[k] += n[k];
      }
    }
    cls.append("all");
    clips.append(total[0]);
    secs.append(Math.round(items.stream().mapToDouble(Item::seconds).sum() * 100) / 100.0);
    for (int s = 0; s < splits.size(); s++) {
      perSplit.get(s).append(total[s + 1]);
    }
    Table t = Table.create(name, cls, clips, secs);
    perSplit.forEach(t::addColumns);
    return t;
  }

  /**
   * Decodes item {@code i}: mono, resampled to the options' rate, cropped/padded to the fixed
   * length if one is set, labelled, with metadata plus {@code split}.
   */
  public Clip load(int i) {
    return load(items.get(i));
  }

  private Clip load(Item it) {
    try (AudioStream in = openAudio(it)) {
      if (in.length() > Integer.MAX_VALUE - 8) {
        throw new WorkbenchException(it.file() + ": too long to decode in memory at once ("
            + Math.round(in.seconds()) + " s); it is streamed where the pipeline allows");
      }
      return in.readClip().withLabel(it.label(), metadataOf(it));
    }
  }

  /**
   * The audio of an item as a stream: decoded block by block, resampled to the options' rate,
   * cut or zero-padded to the fixed length if one is set (nothing beyond it is read). Memory
   * does not grow with the file's length.
   */
  public AudioStream openAudio(Item it) {
    return openAudio(it, options.sampleRate());
  }

  /** {@link #openAudio(Item)} at another sample rate (e.g. a model front end's). */
  public AudioStream openAudio(Item it, int rate) {
    AudioStream in = AudioFiles.open(it.file(), rate);
    return options.clipSeconds() > 0
        ? AudioStream.fixedLength(in, Math.round(options.clipSeconds() * rate))
        : in;
  }

  /** Samples of an item once decoded at the options' rate (fixed length applied), from its header. */
  public long samplesOf(Item it) {
    return options.clipSeconds() > 0 ? Math.round(options.clipSeconds() * options.sampleRate())
        : Math.round(it.seconds() * options.sampleRate());
  }

  /** An item's metadata as its clip carries it: the extra columns plus {@code split}. */
  public Map<String, String> metadataOf(Item it) {
    Map<String, String> meta = new LinkedHashMap<>(it.metadata());
    meta.put(SPLIT, it.split());
    return meta;
  }

  /**
   * Records that an item could not be read (a failure found while streaming it), or throws the
   * failure when the options do not skip bad files.
   */
  public void skipped(Item it, WorkbenchException failure) {
    if (!options.skipBad()) {
      throw failure;
    }
    problems.add(new Problem(it.where(), it.file().getFileName().toString(),
        withoutPath(failure, it.file())));
  }

  /**
   * All clips in dataset order, decoded ahead in parallel ({@code threads}) through a bounded
   * queue ({@code prefetch} clips). With {@code skipBad}, undecodable files are skipped and
   * added to {@link #problems()}; otherwise the first one throws. Close the stream (or consume
   * it fully) to release the threads.
   */
  public Stream<Clip> stream() {
    return stream(Function.identity());
  }

  /**
   * Like {@link #stream()}, but {@code prepare} (e.g. the log-mel front end) also runs on the
   * loading threads, so it overlaps whatever consumes the stream.
   *
   * @param <T> what each clip becomes
   */
  public <T> Stream<T> stream(Function<Clip, T> prepare) {
    return streamRows(prepare).map(Loaded::value);
  }

  /**
   * Like {@link #stream(Function)}, with each clip's row (its index in {@link #items()}), so a
   * pass that skips unreadable files knows exactly which rows it has done.
   *
   * @param <T> what each clip becomes
   */
  public <T> Stream<Loaded<T>> streamRows(Function<Clip, T> prepare) {
    return streamItems(it -> prepare.apply(load(it)));
  }

  /**
   * Like {@link #streamRows(Function)}, with the item itself handed to {@code prepare} on the
   * loading threads: it may read the audio as it likes ({@link #openAudio}), e.g. streamed.
   * Failures ({@link WorkbenchException}) are skipped or thrown as for clips.
   *
   * @param <T> what each item becomes
   */
  public <T> Stream<Loaded<T>> streamItems(Function<Item, T> prepare) {
    Prefetcher<Item, T> pf = new Prefetcher<>(items, prepare, options.threads(),
        options.prefetch());
    Iterator<Loaded<T>> it = new Iterator<>() {
      private int taken; // items consumed from the prefetcher, which keeps dataset order
      private Loaded<T> next;

      private boolean advance() {
        while (next == null && pf.hasNext()) {
          int row = taken++;
          Item item = items.get(row);
          try {
            next = new Loaded<>(row, pf.next());
          } catch (WorkbenchException e) {
            if (!options.skipBad()) {
              pf.close();
              throw e;
            }
            problems.add(new Problem(item.where(), item.file().getFileName().toString(),
                withoutPath(e, item.file())));
          }
        }
        return next != null;
      }

      @Override
      public boolean hasNext() {
        return advance();
      }

      @Override
      public Loaded<T> next() {
        if (!advance()) {
          throw new NoSuchElementException();
        }
        Loaded<T> t = next;
        next = null;
        return t;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
        Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(pf::close);
  }

  /** All clips decoded, in dataset order (see {@link #stream()}). */
  public List<Clip> loadAll() {
    try (Stream<Clip> s = stream()) {
      return s.collect(Collectors.toList());
    }
  }

  /** Items per class, in class order. */
  public Map<String, Long> counts() {
    return items.stream().collect(Collectors.groupingBy(Item::label, TreeMap::new, Collectors.counting()));
  }

  @Override
  public String toString() {
    return String.format("Dataset[%s: %d clips, %d classes %s, splits %s%s]", name, size(),
        classes.size(), classes.size() <= 8 ? classes : classes.subList(0, 8) + "...", splits(),
        problems.isEmpty() ? "" : ", " + problems.size() + " skipped");
  }
}
