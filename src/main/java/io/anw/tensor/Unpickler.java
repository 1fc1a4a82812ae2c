package io.anw.tensor;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A pickle virtual machine (protocols 0-5) that never runs code from the file.
 *
 * <p>Globals are looked up in a {@link PickleAllowList}; any other global stops the load with
 * an {@link UnsafePickleException} before anything is called. Python values become Java ones:
 * None is null, int is Long or BigInteger, float is Double, str is String, bytes is byte[], list
 * is ArrayList, tuple is {@link PyTuple}, dict is LinkedHashMap, set is LinkedHashSet.
 *
 * <p>Every length field is checked against the bytes left, each opcode consumes at least one
 * byte, and the interpreter does not recurse, so a crafted pickle cannot allocate much more
 * than its own size or run for long.
 */
final class Unpickler {
  /** Longest decimal integer literal accepted (Python itself limits int parsing to 4300 digits). */
  private static final int MAX_DIGITS = 4300;
  /** Deepest tuple nesting accepted as a dict key or set item. */
  private static final int MAX_KEY_DEPTH = 32;

  private final ByteBuffer in;
  private final String source;
  private final PickleAllowList allowList;
  private final Function<Object, Object> persistentLoad;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();

  /**
   * An unpickler reading from {@code in}'s position.
   *
   * @param source file (and entry) name for messages
   * @param persistentLoad resolves persistent ids (torch storages); null to refuse them
   */
  Unpickler(ByteBuffer in, String source, PickleAllowList allowList, Function<Object, Object> persistentLoad) {
    this.in = in.order(ByteOrder.LITTLE_ENDIAN);
    this.source = source;
    this.allowList = allowList;
    this.persistentLoad = persistentLoad;
  }

  /** Reads one pickle up to its STOP opcode and returns its value; the buffer is left after it. */
  Object load() {
    stack.clear();
    marks.clear();
    memo.clear();
    int opAt = in.position();
    try {
      while (true) {
        opAt = in.position();
        int op = in.get() & 0xff;
        if (op == '.') {
          return pop();
        }
        step(op);
      }
    } catch (BufferUnderflowException e) {
      throw new TensorFileException(source, "truncated pickle (ends inside the opcode at byte " + opAt + ")");
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException | IndexOutOfBoundsException
        | ArithmeticException | NullPointerException | UnsupportedOperationException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new TensorFileException(source, "malformed pickle at byte " + opAt + ": " + why, e);
    }
  }

  private void step(int op) {
    switch (op) {
      case 0x80 -> { // PROTO
        int proto = in.get() & 0xff;
        if (proto > 5) {
          throw new IllegalArgumentException("unsupported pickle protocol " + proto);
        }
      }
      case 0x95 -> in.getLong(); // FRAME: framing is only a read-ahead hint
      case '(' -> marks.add(stack.size());
      case '0' -> pop();
      case '1' -> popMark();
      case '2' -> push(peek());
      case 'N' -> push(null);
      case 0x88 -> push(Boolean.TRUE);
      case 0x89 -> push(Boolean.FALSE);
      case 'I' -> push(parseIntLine(readLine()));
      case 'J' -> push((long) in.getInt());
      case 'K' -> push((long) (in.get() & 0xff));
      case 'M' -> push((long) (in.getShort() & 0xffff));
      case 'L' -> push(parseLongLine(readLine()));
      case 0x8a -> push(readLittleEndianInt(in.get() & 0xff));
      case 0x8b -> push(readLittleEndianInt(length(in.getInt() & 0xffffffffL)));
      case 'F' -> push(Double.parseDouble(readLine()));
      case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
      case 'S' -> push(unquote(readLine()));
      case 'T' -> push(text(length(in.getInt() & 0xffffffffL), StandardCharsets.UTF_8));
      case 'U' -> push(text(in.get() & 0xff, StandardCharsets.UTF_8));
      case 'V' -> push(unescapeRawUnicode(readLine()));
      case 'X' -> push(text(length(in.getInt() & 0xffffffffL), StandardCharsets.UTF_8));
      case 0x8c -> push(text(in.get() & 0xff, StandardCharsets.UTF_8));
      case 0x8d -> push(text(length(in.getLong()), StandardCharsets.UTF_8));
      case 'B' -> push(bytes(length(in.getInt() & 0xffffffffL)));
      case 'C' -> push(bytes(in.get() & 0xff));
      case 0x8e, 0x96 -> push(bytes(length(in.getLong()))); // BINBYTES8, BYTEARRAY8
      case ']' -> push(new ArrayList<>());
      case 'l' -> push(new ArrayList<>(popMark()));
      case 'a' -> {
        Object item = pop();
        list(peek()).add(item);
      }
      case 'e' -> {
        List<Object> items = popMark();
        list(peek()).addAll(items);
      }
      case ')' -> push(new PyTuple());
      case 't' -> push(new PyTuple(popMark()));
      case 0x85 -> push(new PyTuple(pop()));
      case 0x86 -> {
        Object b = pop();
        push(new PyTuple(pop(), b));
      }
      case 0x87 -> {
        Object c = pop();
        Object b = pop();
        push(new PyTuple(pop(), b, c));
      }
      case '}' -> push(new LinkedHashMap<>());
      case 'd' -> {
        Map<Object, Object> d = new LinkedHashMap<>();
        putPairs(d, popMark());
        push(d);
      }
      case 's' -> {
        Object value = pop();
        Object key = pop();
        map(peek()).put(hashable(key), value);
      }
      case 'u' -> {
        List<Object> items = popMark();
        putPairs(map(peek()), items);
      }
      case 0x8f -> push(new LinkedHashSet<>());
      case 0x90 -> {
        List<Object> items = popMark();
        Set<Object> set = set(peek());
        for (Object item : items) {
          set.add(hashable(item));
        }
      }
      case 0x91 -> {
        Set<Object> set = new LinkedHashSet<>();
        for (Object item : popMark()) {
          set.add(hashable(item));
        }
        push(Collections.unmodifiableSet(set));
      }
      case 'c' -> push(resolve(readLine(), readLine()));
      case 0x93 -> {
        String name = string(pop());
        push(resolve(string(pop()), name));
      }
      case 'i' -> { // INST: module/name lines, args from the mark
        PyGlobal cls = resolve(readLine(), readLine());
        push(cls.call(popMark()));
      }
      case 'o' -> { // OBJ: class and args from the mark
        List<Object> items = popMark();
        if (items.isEmpty()) {
          throw new IllegalArgumentException("OBJ without a class");
        }
        push(global(items.get(0)).call(items.subList(1, items.size())));
      }
      case 'R', 0x81 -> { // REDUCE, NEWOBJ
        List<Object> args = tuple(pop());
        push(global(pop()).call(args));
      }
      case 0x92 -> { // NEWOBJ_EX
        Object kwargs = pop();
        List<Object> args = tuple(pop());
        Object made = global(pop()).call(args);
        if (made instanceof PyObject obj) {
          obj.attributes().putAll(map(kwargs));
        } else if (!map(kwargs).isEmpty()) {
          throw new IllegalArgumentException("keyword arguments for " + PyRepr.typeName(made));
        }
        push(made);
      }
      case 'b' -> {
        Object state = pop();
        build(peek(), state);
      }
      case 'P' -> push(persistent(readLine()));
      case 'Q' -> push(persistent(pop()));
      case 'p' -> memo.put(parseMemoKey(readLine()), peek());
      case 'q' -> memo.put((long) (in.get() & 0xff), peek());
      case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
      case 0x94 -> memo.put((long) memo.size(), peek());
      case 'g' -> push(memoGet(parseMemoKey(readLine())));
      case 'h' -> push(memoGet(in.get() & 0xff));
      case 'j' -> push(memoGet(in.getInt() & 0xffffffffL));
      case 0x82, 0x83, 0x84 -> throw new UnsafePickleException(source, "an extension-registry code (EXT opcode)");
      case 0x97, 0x98 -> throw new IllegalArgumentException("out-of-band buffers are not supported");
      default -> throw new IllegalArgumentException(String.format("unknown opcode 0x%02x", op));
    }
  }

  private void build(Object target, Object state) {
    if (target instanceof PickleBuildable b) {
      b.setState(state);
    } else if (target instanceof PyObject obj) {
      if (state instanceof PyTuple t && t.size() == 2) {
        if (t.get(0) != null) {
          obj.attributes().putAll(map(t.get(0)));
        }
        if (t.get(1) != null) {
          obj.attributes().putAll(map(t.get(1)));
        }
      } else if (state != null) {
        obj.attributes().putAll(map(state));
      }
    } else if (!(target instanceof Map)) { // a dict subclass's attributes (state_dict._metadata) are dropped
      throw new IllegalArgumentException("cannot set the state of " + PyRepr.typeName(target));
    }
  }

  private PyGlobal resolve(String module, String name) {
    PyGlobal g = allowList.resolve(module, name);
    if (g == null && module.equals("torch._utils") && name.startsWith("_rebuild_")) {
      throw new TensorFileException(source, "holds a kind of tensor the workbench cannot read (torch._utils."
          + PyRepr.clip(name, 60) + ": quantized, sparse, nested or meta tensors are not supported)");
    }
    if (g == null) {
      throw new UnsafePickleException(source, PyRepr.clip(module + "." + name, 120));
    }
    return g;
  }

  private Object persistent(Object pid) {
    if (persistentLoad == null) {
      throw new IllegalArgumentException("persistent id in a file that has none");
    }
    return persistentLoad.apply(pid);
  }

  private void putPairs(Map<Object, Object> d, List<Object> items) {
    if (items.size() % 2 != 0) {
      throw new IllegalArgumentException("odd number of dict items");
    }
    for (int i = 0; i < items.size(); i += 2) {
      d.put(hashable(items.get(i)), items.get(i + 1));
    }
  }

  /** Checks that {@code key} is hashable the way Python requires (and cheap to hash in Java). */
  static Object hashable(Object key) {
    checkHashable(key, 0);
    return key;
  }

  private static void checkHashable(Object key, int depth) {
    if (depth > MAX_KEY_DEPTH) {
      throw new IllegalArgumentException("dict key nested too deeply");
    }
    if (key instanceof PyTuple t) {
      for (Object item : t) {
        checkHashable(item, depth + 1);
      }
    } else if (!(key == null || key instanceof String || key instanceof Number || key instanceof Boolean
        || key instanceof PyGlobal)) {
      throw new IllegalArgumentException("unhashable dict key or set item: " + PyRepr.typeName(key));
    }
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw new IllegalStateException("stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw new IllegalStateException("stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popMark() {
    if (marks.isEmpty()) {
      throw new IllegalStateException("no mark on the stack");
    }
    int at = marks.remove(marks.size() - 1);
    List<Object> tail = stack.subList(at, stack.size());
    List<Object> items = new ArrayList<>(tail);
    tail.clear();
    return items;
  }

  private Object memoGet(long key) {
    if (!memo.containsKey(key)) {
      throw new IllegalArgumentException("memo key " + key + " not set");
    }
    return memo.get(key);
  }

  private int length(long n) {
    if (n < 0 || n > in.remaining()) {
      throw new BufferUnderflowException();
    }
    return (int) n;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[length(n)];
    in.get(b);
    return b;
  }

  private String text(int n, java.nio.charset.Charset cs) {
    return new String(bytes(n), cs);
  }

  private String readLine() {
    int start = in.position();
    int end = start;
    while (true) {
      if (end >= in.limit()) {
        throw new BufferUnderflowException();
      }
      if (in.get(end) == '\n') {
        break;
      }
      end++;
    }
    byte[] b = new byte[end - start];
    in.get(b);
    in.get();
    String s = new String(b, StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private Object readLittleEndianInt(int n) {
    byte[] le = bytes(n);
    if (n == 0) {
      return 0L;
    }
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = le[n - 1 - i];
    }
    return normalise(new BigInteger(be));
  }

  private static Object normalise(BigInteger v) {
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private static Object parseIntLine(String s) {
    if (s.equals("01")) {
      return Boolean.TRUE;
    }
    if (s.equals("00")) {
      return Boolean.FALSE;
    }
    return parseLongLine(s);
  }

  private static Object parseLongLine(String s) {
    String digits = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
    if (digits.length() > MAX_DIGITS) {
      throw new IllegalArgumentException("integer literal of " + digits.length() + " digits");
    }
    return normalise(new BigInteger(digits.trim()));
  }

  private static long parseMemoKey(String s) {
    if (s.length() > 12) {
      throw new IllegalArgumentException("memo key too long");
    }
    return Long.parseLong(s.trim());
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
      return s.substring(1, s.length() - 1);
    }
    throw new IllegalArgumentException("STRING argument is not quoted");
  }

  private static String unescapeRawUnicode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u') {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String string(Object o) {
    if (o instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("expected a str, got " + PyRepr.typeName(o));
  }

  private static PyGlobal global(Object o) {
    if (o instanceof PyGlobal g) {
      return g;
    }
    throw new IllegalArgumentException("cannot call " + PyRepr.typeName(o));
  }

  private static List<Object> tuple(Object o) {
    if (o instanceof PyTuple t) {
      return t;
    }
    throw new IllegalArgumentException("expected an argument tuple, got " + PyRepr.typeName(o));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    if (o instanceof ArrayList<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException("cannot append to " + PyRepr.typeName(o));
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw new IllegalArgumentException("expected a dict, got " + PyRepr.typeName(o));
  }

  @SuppressWarnings("unchecked")
  private static Set<Object> set(Object o) {
    if (o instanceof LinkedHashSet<?> s) {
      return (Set<Object>) s;
    }
    throw new IllegalArgumentException("cannot add items to " + PyRepr.typeName(o));
  }
}
