package io.anw.tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The only Python globals a pickle may name, each with a Java stand-in that builds data and
 * runs nothing: torch tensor rebuilders, storage classes and dtypes, NumPy arrays/dtypes/scalars,
 * {@code collections.OrderedDict}/{@code defaultdict}, {@code argparse.Namespace} and a few
 * builtins. Every other global (e.g. {@code posix.system}, {@code builtins.eval}) is refused.
 */
final class PickleAllowList {
  /** The allow-list shared by all readers (immutable). */
  static final PickleAllowList STANDARD = new PickleAllowList();

  private final Map<String, PyGlobal> globals = new LinkedHashMap<>();

  private PickleAllowList() {
    // collections, argparse, copyreg
    add("collections.OrderedDict", PickleAllowList::orderedDict);
    add("collections.defaultdict", args -> new LinkedHashMap<>());
    add("argparse.Namespace", args -> new PyObject("argparse.Namespace", args));
    add("copyreg._reconstructor", PickleAllowList::reconstructor);
    add("builtins.object", null);
    for (String path : List.of("PurePosixPath", "PosixPath")) {
      add("pathlib." + path, args -> joinPath(args, "/"));
    }
    for (String path : List.of("PureWindowsPath", "WindowsPath")) {
      add("pathlib." + path, args -> joinPath(args, "\\"));
    }
    // builtins
    add("builtins.set", args -> collect(args, new LinkedHashSet<>()));
    add("builtins.frozenset", args -> collect(args, new LinkedHashSet<>()));
    add("builtins.list", args -> collect(args, new ArrayList<>()));
    add("builtins.tuple", args -> new PyTuple(collect(args, new ArrayList<>())));
    add("builtins.dict", args -> noArgs(args, "dict", new LinkedHashMap<>()));
    add("builtins.slice", args -> new PyObject("builtins.slice", args));
    add("builtins.complex", args -> new PyObject("builtins.complex", args));
    add("builtins.range", args -> new PyObject("builtins.range", args));
    add("builtins.bytearray", PickleAllowList::bytearray);
    // as defaultdict factories: called without arguments they give the empty value
    add("builtins.int", args -> noArgs(args, "int", 0L));
    add("builtins.float", args -> noArgs(args, "float", 0.0));
    add("builtins.str", args -> noArgs(args, "str", ""));
    add("builtins.bool", args -> noArgs(args, "bool", Boolean.FALSE));
    add("_codecs.encode", PickleAllowList::encode);
    // numpy (numpy 2 moved numpy.core to numpy._core)
    for (String core : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
      add(core + "._reconstruct", NumpyPickled::reconstruct);
      add(core + ".scalar", NumpyPickled::scalar);
    }
    for (String numeric : List.of("numpy.core.numeric", "numpy._core.numeric")) {
      add(numeric + "._frombuffer", NumpyPickled::fromBuffer);
    }
    add("numpy.ndarray", null);
    add("numpy.dtype", NumpyPickled.DTypeObject::new);
    // torch
    add("torch._utils._rebuild_tensor_v2", TorchPickled::rebuildTensor);
    add("torch._utils._rebuild_tensor", TorchPickled::rebuildTensor);
    add("torch._utils._rebuild_parameter", TorchPickled::rebuildParameter);
    add("torch._utils._rebuild_parameter_with_state", TorchPickled::rebuildParameter);
    add("torch._tensor._rebuild_from_type_v2", TorchPickled::rebuildFromTypeV2);
    add("torch.Tensor", null);
    add("torch.nn.parameter.Parameter", null);
    add("torch.Size", args -> new PyTuple(collect(args, new ArrayList<>())));
    add("torch.device", TorchPickled::device);
    add("torch.torch_version.TorchVersion", args -> PyRepr.str(PickleArgs.arg(args, 0, "TorchVersion")));
    for (String storage : List.of("Half", "BFloat16", "Float", "Double", "Char", "Byte", "Short", "Int", "Long",
        "Bool", "Untyped")) {
      add("torch." + storage + "Storage", null);
    }
    for (DType t : DType.values()) {
      add(t.torchName(), null);
    }
    for (String alias : List.of("half", "float", "double", "short", "int", "long")) {
      add("torch." + alias, null);
    }
  }

  private void add(String name, PyCallable function) {
    globals.put(name, new PyGlobal(name, function));
  }

  /** The stand-in for {@code module.name}, or null if the global is not allowed. */
  PyGlobal resolve(String module, String name) {
    String m = switch (module) {
      case "__builtin__" -> "builtins";
      case "copy_reg" -> "copyreg";
      default -> module;
    };
    return globals.get(m + "." + name);
  }

  /** The allowed global names, sorted (for documentation and tests). */
  Set<String> names() {
    return new TreeSet<>(globals.keySet());
  }

  private static Object orderedDict(List<Object> args) {
    Map<Object, Object> d = new LinkedHashMap<>();
    if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) {
      for (Object p : pairs) {
        if (!(p instanceof List<?> kv) || kv.size() != 2) {
          throw new IllegalArgumentException("OrderedDict items are not pairs");
        }
        d.put(Unpickler.hashable(kv.get(0)), kv.get(1));
      }
    }
    return d;
  }

  private static <C extends Collection<Object>> C collect(List<Object> args, C into) {
    if (args.isEmpty()) {
      return into;
    }
    if (!(args.get(0) instanceof Collection<?> items)) {
      throw new IllegalArgumentException("expected an iterable, got " + PyRepr.typeName(args.get(0)));
    }
    boolean hashed = into instanceof Set;
    for (Object item : items) {
      into.add(hashed ? Unpickler.hashable(item) : item);
    }
    return into;
  }

  private static Object noArgs(List<Object> args, String type, Object empty) {
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("only " + type + "() without arguments is supported");
    }
    return empty;
  }

  private static String joinPath(List<Object> args, String sep) {
    StringBuilder out = new StringBuilder();
    for (Object part : args) {
      String p = PyRepr.str(part);
      if (out.length() > 0 && !out.toString().endsWith(sep)) {
        out.append(sep);
      }
      out.append(p);
    }
    return out.toString();
  }

  private static Object reconstructor(List<Object> args) {
    if (args.size() < 2 || !(args.get(0) instanceof PyGlobal cls) || !(args.get(1) instanceof PyGlobal base)
        || !base.name().equals("builtins.object")) {
      throw new IllegalArgumentException("unsupported copyreg._reconstructor arguments");
    }
    return cls.call(List.of());
  }

  private static Object bytearray(List<Object> args) {
    if (args.isEmpty()) {
      return new byte[0];
    }
    if (args.get(0) instanceof byte[] b) {
      return b.clone();
    }
    return encode(args);
  }

  private static Object encode(List<Object> args) {
    if (args.isEmpty() || !(args.get(0) instanceof String s)) {
      throw new IllegalArgumentException("_codecs.encode expects a str");
    }
    String codec = args.size() > 1 ? String.valueOf(args.get(1)) : "utf-8";
    return switch (codec.toLowerCase(java.util.Locale.ROOT)) {
      case "latin1", "latin-1", "iso-8859-1" -> s.getBytes(StandardCharsets.ISO_8859_1);
      case "utf-8", "utf8" -> s.getBytes(StandardCharsets.UTF_8);
      default -> throw new IllegalArgumentException("unsupported codec " + PyRepr.clip(codec, 40));
    };
  }
}
