package io.anw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rules of the code base checked on the compiled main classes: the rooms' order (a room may use
 * the rooms before it, never after), and arrays made from Java data only through
 * {@link TorchArrays}.
 */
class ArchitectureTest {
  /** The rooms in pipeline order; {@code report} and the root package come first, used by all. */
  private static final List<String> ROOMS = Rooms.ORDER;

  /** DJL's manager types whose {@code create} overloads wrap Java data without copying. */
  private static final Set<String> MANAGERS = Set.of("ai/djl/ndarray/NDManager",
      "ai/djl/ndarray/BaseNDManager", "ai/djl/pytorch/engine/PtNDManager");

  /** Array types whose {@code set} overloads wrap Java data. */
  private static final Set<String> ARRAYS = Set.of("ai/djl/ndarray/NDArray",
      "ai/djl/pytorch/engine/PtNDArray", "ai/djl/ndarray/NDArrayAdapter");

  private static final Pattern ROOM_REF = Pattern.compile("io/anw/([a-z]+)/");

  private static Path mainClasses() throws URISyntaxException {
    return Path.of(TorchArrays.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<Path> classFiles() throws IOException, URISyntaxException {
    try (Stream<Path> s = Files.walk(mainClasses())) {
      return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }

  /** The room of an internal class name {@code io/anw/room/Name} ("" for the root package). */
  private static String roomOf(String internalName) {
    String rest = internalName.substring("io/anw/".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? "" : rest.substring(0, slash);
  }

  @Test
  void roomsUseOnlyTheRoomsBeforeThem() throws Exception {
    List<String> violations = new ArrayList<>();
    for (Path file : classFiles()) {
      ClassReader r = new ClassReader(Files.readAllBytes(file));
      String room = roomOf(r.getClassName());
      int rank = ROOMS.indexOf(room);
      assertTrue(rank >= 0, r.getClassName() + " is in an unknown room '" + room
          + "'; add it to Rooms.ORDER and docs/ARCHITECTURE.md");
      Set<String> used = new TreeSet<>();
      for (int i = 1; i < r.getItemCount(); i++) {
        int offset = r.getItem(i);
        if (offset > 0 && r.b[offset - 1] == 1) { // CONSTANT_Utf8: names, descriptors, signatures
          int length = r.readUnsignedShort(offset);
          String utf = new String(r.b, offset + 2, length, java.nio.charset.StandardCharsets.ISO_8859_1);
          Matcher m = ROOM_REF.matcher(utf);
          while (m.find()) {
            used.add(m.group(1));
          }
        }
      }
      for (String other : used) {
        int otherRank = ROOMS.indexOf(other);
        if (otherRank > rank) {
          violations.add(r.getClassName() + " (" + (room.isEmpty() ? "root" : room)
              + ") uses the later room " + other);
        }
        if (room.equals("report") && otherRank > 1) {
          violations.add(r.getClassName() + " (report) uses the room " + other
              + "; report is used by every room and uses none");
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void arraysFromJavaDataAreMadeOnlyByTorchArrays() throws Exception {
    List<String> violations = new ArrayList<>();
    String factory = Type.getInternalName(TorchArrays.class);
    for (Path file : classFiles()) {
      ClassReader r = new ClassReader(Files.readAllBytes(file));
      if (r.getClassName().equals(factory)) {
        continue;
      }
      String cls = r.getClassName();
      r.accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String sig,
            String[] exceptions) {
          String method = name;
          return new MethodVisitor(Opcodes.ASM9) {
            private int line;

            @Override
            public void visitLineNumber(int l, org.objectweb.asm.Label start) {
              line = l;
            }

            @Override
            public void visitMethodInsn(int op, String owner, String callee, String d,
                boolean itf) {
              Type[] args = Type.getArgumentTypes(d);
              boolean wrapsJavaData = args.length > 0
                  && !args[0].getDescriptor().equals("Lai/djl/ndarray/types/Shape;");
              String where = cls.replace('/', '.') + "." + method + " (line " + line + ")";
              if (MANAGERS.contains(owner) && callee.startsWith("create") && wrapsJavaData) {
                violations.add(where + ": " + owner + "." + callee + d
                    + " wraps Java data; use TorchArrays");
              }
              if (ARRAYS.contains(owner) && callee.equals("set") && args.length == 1
                  && !args[0].getDescriptor().startsWith("Lai/djl/")) {
                violations.add(where + ": NDArray.set" + d
                    + " wraps Java data; build the array with TorchArrays");
              }
            }
          };
        }
      }, ClassReader.SKIP_FRAMES);
    }
    assertEquals(List.of(), violations);
  }
}
