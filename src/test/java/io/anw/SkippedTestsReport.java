package io.anw;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Tells, on the console, which tests were skipped and why (a missing tool and the Debian
 * package to install), one line each, at the end of the run: Maven prints only how many were
 * skipped. Registered through {@code META-INF/services}.
 */
public final class SkippedTestsReport implements TestExecutionListener {
  private final List<String> lines = new ArrayList<>();

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    lines.add(name(id) + ": " + reason);
  }

  private static String name(TestIdentifier id) {
    return id.getSource().map(s -> s instanceof MethodSource m
        ? m.getClassName().replaceFirst("^.*\\.", "") + "." + m.getMethodName()
        : s instanceof ClassSource c ? c.getClassName().replaceFirst("^.*\\.", "")
        : id.getDisplayName()).orElse(id.getDisplayName());
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      String why = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
      lines.add(name(id) + ": " + why.replaceFirst("^Assumption failed: ", ""));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (lines.isEmpty()) {
      return;
    }
    // the process's own stderr: test output is redirected to files
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    err.println("skipped tests (" + lines.size() + "):");
    lines.forEach(l -> err.println("  skipped " + l.lines().findFirst().orElse("")));
  }
}
