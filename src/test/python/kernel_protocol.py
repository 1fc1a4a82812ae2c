"""Drives the workbench's Jupyter kernel with Debian's jupyter_client, as Jupyter does.

Usage: python3 kernel_protocol.py KERNEL_NAME  (the kernelspec must be on JUPYTER_PATH)
Prints one line per check; exits 1 at the first failed check, naming it.
"""
import sys
import time

from jupyter_client.manager import start_new_kernel

NAME = sys.argv[1]


def check(ok, what):
    if not ok:
        print("FAILED: " + what, flush=True)
        sys.exit(1)
    print("ok: " + what, flush=True)


def run(kc, code, timeout=120):
    """Executes code, returns (reply content, [(msg_type, content), ...] of iopub)."""
    msgs = []
    reply = kc.execute_interactive(code, output_hook=lambda m: msgs.append(
        (m["msg_type"], m["content"])), timeout=timeout)
    return reply["content"], msgs


def of_type(msgs, kind):
    return [c for t, c in msgs if t == kind]


km, kc = start_new_kernel(kernel_name=NAME, startup_timeout=180)
try:
    info = kc.kernel_info(reply=True)["content"]
    check(info["language_info"]["name"] == "java", "kernel_info: language java")
    check(info["protocol_version"].startswith("5."), "kernel_info: protocol 5.x, got "
          + info["protocol_version"])

    reply, msgs = run(kc, "int x = 3;\nx + 4")
    results = of_type(msgs, "execute_result")
    check(reply["status"] == "ok" and results and results[0]["data"]["text/plain"] == "7",
          "execute: the last expression is the result (7)")
    first = reply["execution_count"]
    reply, msgs = run(kc, 'System.out.println("to out"); System.err.println("to err");')
    check(reply["execution_count"] == first + 1, "execution_count counts cells")
    streams = {c["name"]: c["text"] for c in of_type(msgs, "stream")}
    check(streams.get("stdout") == "to out\n" and streams.get("stderr") == "to err\n",
          "stdout and stderr stream: " + repr(streams))
    check(not of_type(msgs, "execute_result"), "a statement has no result")

    reply, msgs = run(kc, 'for (int i = 0; i < 3; i++) {\n  System.out.println(i);\n'
                          '  Thread.sleep(300);\n}')
    chunks = [c["text"] for c in of_type(msgs, "stream")]
    check("".join(chunks) == "0\n1\n2\n", "streamed output of a loop: " + repr(chunks))

    reply, msgs = run(kc, 'Table.create("t", IntColumn.create("a", new int[] {3, 1}))\n'
                          '    .sortAscendingOn("a")')
    data = of_type(msgs, "execute_result")[0]["data"]
    check("text/html" in data and "<table" in data["text/html"],
          "a table is HTML; operator-first continuation lines join the snippet")

    reply, msgs = run(kc, 'var c = new XYChartBuilder().width(300).height(200).title("t")'
                          '.xAxisTitle("x").yAxisTitle("y").build();\n'
                          'c.addSeries("s", new double[] {0, 1}, new double[] {1, 0});\n'
                          'WB.show(c);\nSystem.out.println("after");')
    shown = of_type(msgs, "display_data")
    check(shown and "image/png" in shown[0]["data"] and len(shown[0]["data"]["image/png"]) > 1000,
          "WB.show(chart) sends display_data with image/png")

    reply, msgs = run(kc, "int ok = 1;\nint bad = nosuch + 1;")
    errors = of_type(msgs, "error")
    check(reply["status"] == "error" and errors and "cell:2:" in errors[0]["evalue"]
          and "cannot find symbol" in errors[0]["evalue"]
          and errors[0]["ename"] == "CompileError",
          "a compile error names the cell's line: " + repr(errors[:1]))
    reply, msgs = run(kc, 'throw new IllegalStateException("boom")')
    errors = of_type(msgs, "error")
    check(reply["status"] == "error" and "boom" in errors[0]["evalue"]
          and errors[0]["ename"] == "EvalError",
          "an exception is an error with its message")

    reply, msgs = run(kc, ":help sample")
    check(reply["status"] == "ok" and "WB.sample(String task)" in "".join(
        c["text"] for c in of_type(msgs, "stream")), ":help NAME in a cell prints the help")

    comp = kc.complete("WB.sam", 6, reply=True)["content"]
    check("sample(" in comp["matches"] and comp["cursor_start"] == 3,
          "complete: WB.sam -> " + repr(comp["matches"]))
    insp = kc.inspect("WB.sample", 5, reply=True)["content"]
    check(insp["found"] and "sample task" in insp["data"]["text/plain"],
          "inspect: :help text of WB.sample")

    def is_complete(code):
        kc.is_complete(code)
        return kc.get_shell_msg(timeout=30)["content"]["status"]
    check(is_complete("for (int i = 0; i < 3; i++) {") == "incomplete", "is_complete: open brace")
    check(is_complete("int z = 1;") == "complete", "is_complete: a statement")

    # interrupt a long cell; the session goes on
    msg_id = kc.execute("Thread.sleep(60000); System.out.println(\"not reached\");")
    time.sleep(3)
    t0 = time.time()
    km.interrupt_kernel()
    while True:
        m = kc.get_shell_msg(timeout=30)
        if m["parent_header"].get("msg_id") == msg_id:
            break
    check(time.time() - t0 < 20 and m["content"]["status"] == "error"
          and m["content"]["ename"] == "Interrupted",
          "interrupt stops a long cell (%.1f s, %s)" % (time.time() - t0, m["content"]["status"]))
    reply, msgs = run(kc, "x + 1")
    check(of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "4",
          "the session survives an interrupt")

    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=180)
    reply, msgs = run(kc, "x")
    check(reply["status"] == "error", "after a restart the old variables are gone")
    reply, msgs = run(kc, "2 + 2")
    check(of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "4",
          "the restarted kernel runs cells")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
check(not km.is_alive(), "shutdown ends the kernel")
print("all checks passed", flush=True)
