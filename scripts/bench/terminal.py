#!/usr/bin/env python3
"""Runs one program on a pseudo-terminal and follows a plan of steps, timing what it prints.

Usage: python3 terminal.py PLAN_JSON   (the plan as one JSON argument)

The plan: {"argv": [...], "env": {...}, "cwd": DIR, "cols": 80, "rows": 24, "steps": [...]},
and "log": FILE to keep everything the program printed.
Steps, in order:
  {"op": "expect", "text": T, "mark": NAME}   read until T appears in what was printed since the
                                             last send; NAME records the time it was complete
                                             and the CPU time the program had used by then
  {"op": "quiet", "ms": N}                   read until nothing is printed for N ms
  {"op": "send", "data": S}                  write S to the terminal
  {"op": "keys", "text": S, "count": N, "gap": MS, "settle": MS, "mark": NAME}
                                             writes the characters of S one at a time (cycling,
                                             N in all); before each, waits until the program has
                                             printed nothing for `gap` ms; after it, reads the
                                             frame it causes (output that then stays quiet for
                                             `settle` ms) and records the time from the write to
                                             the frame's first and last byte
  {"op": "memory", "mark": NAME}             VmHWM and VmRSS from /proc/<pid>/status, in KiB
  {"op": "eof", "mark": NAME}                read until the program closes the terminal
Output: one JSON object on stdout: {"marks": {...}, "cpu": {...}, "keys": {...}, "memory": {...},
"status": exit status, "maxrssKiB": peak resident set size and "cpuTotal": CPU time (ms), both
from wait4, "tail": last output}.
Times are milliseconds from just before the program was started.
"""
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import fcntl
import time


def now_ms(start):
    return (time.perf_counter_ns() - start) / 1e6


def main():
    plan = json.loads(sys.argv[1])
    argv = plan["argv"]
    env = dict(os.environ)
    env.update(plan.get("env", {}))
    env.setdefault("TERM", "xterm-256color")
    cols = int(plan.get("cols", 80))
    rows = int(plan.get("rows", 24))
    cwd = plan.get("cwd")

    start = time.perf_counter_ns()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            if cwd:
                os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    log = open(plan["log"], "ab") if plan.get("log") else None
    out = {"marks": {}, "cpu": {}, "keys": {}, "memory": {}}
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_ms():
        """User and system CPU time the program has used so far, in ms (clock-tick resolution)."""
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * 1000 / ticks
        except OSError:
            return None
    since_send = bytearray()
    tail = bytearray()
    closed = False

    def read_some(timeout_s):
        """Reads what is there within timeout_s; returns the bytes, b'' on timeout, None at EOF."""
        nonlocal closed
        if closed:
            return None
        ready, _, _ = select.select([fd], [], [], max(0.0, timeout_s))
        if not ready:
            return b""
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            closed = True
            return None
        since_send.extend(data)
        tail.extend(data)
        if log is not None:
            log.write(data)
        del tail[:-4000]
        return data

    def fail(message):
        out["error"] = message
        out["tail"] = tail.decode("utf-8", "replace")
        finish()

    def finish():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status, usage = os.wait4(pid, 0)
        out["status"] = status
        out["maxrssKiB"] = usage.ru_maxrss
        out["cpuTotal"] = (usage.ru_utime + usage.ru_stime) * 1000
        out.setdefault("tail", tail.decode("utf-8", "replace"))
        print(json.dumps(out))
        sys.exit(0)

    def read_quiet(ms, limit_ms=30000):
        """Reads until nothing arrives for ms; returns the time of the last byte read."""
        last = None
        deadline = time.perf_counter_ns() + limit_ms * 1e6
        while time.perf_counter_ns() < deadline:
            data = read_some(ms / 1000)
            if data is None:
                return last
            if data == b"":
                return last
            last = now_ms(start)
        fail("the program never went quiet")

    for step in plan["steps"]:
        op = step["op"]
        if op == "expect":
            text = step["text"].encode()
            deadline = time.perf_counter_ns() + step.get("timeout", 20000) * 1e6
            while text not in since_send:
                if time.perf_counter_ns() > deadline:
                    fail(f"never saw {step['text']!r}")
                if read_some(0.5) is None:
                    fail(f"the program ended before printing {step['text']!r}")
            if "mark" in step:
                out["marks"][step["mark"]] = now_ms(start)
                out["cpu"][step["mark"]] = cpu_ms()
        elif op == "quiet":
            read_quiet(step["ms"])
        elif op == "send":
            since_send.clear()
            os.write(fd, step["data"].encode())
        elif op == "keys":
            text = step["text"]
            gap = step.get("gap", 60)
            settle = step.get("settle", 10)
            first, last = [], []
            for index in range(step["count"]):
                read_quiet(gap)
                since_send.clear()
                char = text[index % len(text)]
                sent = time.perf_counter_ns()
                os.write(fd, char.encode())
                data = read_some(5.0)
                if not data:
                    fail(f"no frame after key {index}")
                got = time.perf_counter_ns()
                end = read_quiet(settle)
                first.append((got - sent) / 1e6)
                last.append(end - (sent - start) / 1e6 if end is not None else (got - sent) / 1e6)
            out["keys"][step.get("mark", "keys")] = {"first": first, "last": last}
        elif op == "memory":
            fields = {}
            try:
                with open(f"/proc/{pid}/status") as status:
                    for line in status:
                        name, _, value = line.partition(":")
                        if name in ("VmHWM", "VmRSS"):
                            fields[name] = int(value.split()[0])
            except OSError as error:
                fail(f"cannot read /proc/{pid}/status: {error}")
            out["memory"][step.get("mark", "memory")] = fields
        elif op == "eof":
            deadline = time.perf_counter_ns() + step.get("timeout", 20000) * 1e6
            while read_some(0.5) is not None:
                if time.perf_counter_ns() > deadline:
                    fail("the program did not end")
            if "mark" in step:
                out["marks"][step["mark"]] = now_ms(start)
        else:
            fail(f"unknown step {op}")

    # Let the program end by itself for a moment before it is stopped.
    deadline = time.perf_counter_ns() + plan.get("exitTimeout", 5000) * 1e6
    while not closed and time.perf_counter_ns() < deadline:
        read_some(0.2)
    finish()


main()
