package io.anw.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malicious and hostile pickles are refused before anything runs, within bounded time and memory. */
class UnsafePickleTest {
  /** Where the fixtures' os.system payload would leave its mark. */
  static final Path PWNED = Path.of("/tmp/anw-tensor-pwned");

  @TempDir Path tmp;

  @BeforeEach
  void noMark() throws Exception {
    Files.deleteIfExists(PWNED);
  }

  @ParameterizedTest
  @CsvSource({"evil_zip.pt, posix.system", "evil_legacy.pt, posix.system", "evil_eval.pkl, builtins.eval"})
  void maliciousFileIsRefusedAndRunsNothing(String name, String global) {
    UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> TensorFiles.read(Fixtures.file(name)));
    assertTrue(e.getMessage().startsWith(name), e.getMessage());
    assertTrue(e.getMessage().contains(global), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    assertFalse(Files.exists(PWNED), "the payload ran");
  }

  @Test
  void stackGlobalOutsideTheAllowListIsRefused() throws Exception {
    Pickle p = new Pickle().proto().unicode("subprocess").unicode("Popen").op(0x93)
        .unicode("ls").op(0x85).op('R').stop();
    UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> read(p));
    assertTrue(e.getMessage().contains("subprocess.Popen"), e.getMessage());
  }

  @Test
  void hugeLengthFieldsAreTruncationNotAllocation() {
    Pickle p = new Pickle().proto().op(0x8d).longLe(1L << 62).stop(); // BINUNICODE8 of 4 EiB
    TensorFileException e = assertThrows(TensorFileException.class, () -> read(p));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Pickle q = new Pickle().proto().op(0x8b).intLe(0x7fffffff).stop(); // LONG4 of 2 GiB
    assertThrows(TensorFileException.class, () -> read(q));
  }

  @Test
  void deepNestingIsBounded() {
    Pickle p = new Pickle().proto().op('}');
    for (int i = 0; i < 100_000; i++) {
      p.op(']');
    }
    for (int i = 0; i < 100_000; i++) {
      p.op('a');
    }
    p.op('0').stop(); // leaves the dict; the deep list is popped
    Pickle deep = new Pickle().proto();
    for (int i = 0; i < 100_000; i++) {
      deep.op(']');
    }
    for (int i = 0; i < 99_999; i++) {
      deep.op('a');
    }
    deep.stop();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      TensorFileException e = assertThrows(TensorFileException.class, () -> read(deep));
      assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    });
  }

  @Test
  void selfContainingListEndsInALeaf() throws Exception {
    Pickle p = new Pickle().proto().op(']').op('q').b(0).op('h').b(0).op('a').stop(); // l = []; l.append(l)
    TensorTree tree = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> read(p));
    assertEquals("[...]", tree.meta("0"));
  }

  @Test
  void exponentialSharingIsBounded() {
    Pickle p = new Pickle().proto().op('N').op(0x85); // (None,)
    for (int i = 0; i < 60; i++) {
      p.op('2').op(0x86); // t = (t, t)
    }
    p.stop();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      TensorFileException e = assertThrows(TensorFileException.class, () -> read(p));
      assertTrue(e.getMessage().contains("entries"), e.getMessage());
    });
  }

  @Test
  void longKeysAreBounded() {
    Pickle p = new Pickle().proto().op('}').op(0x8d).longLe(100_000);
    for (int i = 0; i < 100_000; i++) {
      p.b('k');
    }
    p.op('N').op('s').stop(); // {'kkk...': None}
    TensorFileException e = assertThrows(TensorFileException.class, () -> read(p));
    assertTrue(e.getMessage().contains("keys too long"), e.getMessage());
  }

  @Test
  void unhashableKeysAndStrayOpcodesAreErrors() {
    Pickle listKey = new Pickle().proto().op('}').op(']').op('N').op('s').stop();
    assertTrue(assertThrows(TensorFileException.class, () -> read(listKey)).getMessage().contains("unhashable"));
    Pickle unknown = new Pickle().proto().op(0xff).stop();
    assertTrue(assertThrows(TensorFileException.class, () -> read(unknown)).getMessage().contains("opcode"));
    Pickle ext = new Pickle().proto().op(0x82).b(1).stop();
    assertThrows(UnsafePickleException.class, () -> read(ext));
    Pickle pid = new Pickle().proto().op('N').op('Q').stop();
    assertThrows(TensorFileException.class, () -> read(pid));
  }

  @Test
  void allowListHoldsNoCodeRunners() {
    for (String name : PickleAllowList.STANDARD.names()) {
      assertFalse(name.matches(".*(system|eval|exec|popen|Popen|getattr|__import__|load|apply|open).*"), name);
    }
  }

  private TensorTree read(Pickle p) throws Exception {
    Path f = tmp.resolve("evil.pkl");
    Files.write(f, p.bytes());
    return TensorFiles.read(f);
  }

  /** A tiny pickle assembler. */
  static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle op(int code) {
      out.write(code);
      return this;
    }

    Pickle b(int value) {
      out.write(value);
      return this;
    }

    Pickle proto() {
      return op(0x80).b(4);
    }

    Pickle stop() {
      return op('.');
    }

    Pickle intLe(int v) {
      out.writeBytes(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array());
      return this;
    }

    Pickle longLe(long v) {
      out.writeBytes(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array());
      return this;
    }

    Pickle unicode(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      op(0x8c).b(b.length);
      out.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
