"""SIGINT, SIGTERM and SIGHUP at any moment of an export (start-up, painting, encoding, writing)
leave no file and no temporary file, print one line with no traceback or fatal error, exit
with 128 + the signal's number, and never crash (issue 14, items 4 and 6)."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from silkmap.core import interrupt

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def handlers_installed(pid: int, signals=HANDLED) -> bool:
    """Whether the process catches ``signals`` yet (its SigCgt mask in /proc)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("SigCgt:"):
                    mask = int(line.split()[1], 16)
                    return all(mask >> (int(s) - 1) & 1 for s in signals)
    except OSError:
        pass
    return False


def start(args, env=None, preexec_fn=None, signals=HANDLED):
    proc = subprocess.Popen([sys.executable, "-m", "silkmap", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=preexec_fn)
    deadline = time.monotonic() + 60
    # Python itself starts with its own SIGINT handler; silkmap answers for signals from the
    # moment its entry point installed its handlers, a few tens of milliseconds in.
    while not handlers_installed(proc.pid, signals):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.002)
    return proc


def assert_stopped_cleanly(proc, sig, folder, out_name):
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {err[-2000:]}"  # no crash
    assert "Traceback" not in err and "Fatal" not in err and "QPaintDevice" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    left = sorted(os.listdir(folder))
    if proc.returncode == 0:  # the signal came after the file was complete
        assert left == [out_name] and "wrote" in lines[0]
    else:
        assert proc.returncode == 128 + sig, err
        assert left == [], left
        assert f"interrupted ({signal.Signals(sig).name})" in lines[0]


# Moments after the handlers are in place: start-up (imports, data), painting, encoding.
# At 16000×16000 a PNG paints for ≈1.5 s and encodes for ≈5 s; SVG and PDF take ≈1.5 s
# (longer on a busy machine, which only moves a moment to a later phase).
CASES = [
    (signal.SIGINT, "png", 0.0), (signal.SIGTERM, "svg", 0.1), (signal.SIGHUP, "pdf", 0.3),
    (signal.SIGINT, "png", 1.2), (signal.SIGTERM, "png", 2.5),
    (signal.SIGINT, "svg", 1.0), (signal.SIGTERM, "pdf", 1.0), (signal.SIGHUP, "svg", 0.6),
]


@pytest.mark.parametrize("sig,fmt,delay", CASES, ids=[f"{s.name}-{f}-{d}s" for s, f, d in CASES])
def test_signal_during_a_large_export(tmp_path, sig, fmt, delay):
    out_name = f"big.{fmt}"
    proc = start(["export", str(tmp_path / out_name), "--size", "16000x16000"])
    time.sleep(delay)
    proc.send_signal(sig)
    assert_stopped_cleanly(proc, sig, tmp_path, out_name)


def test_sighup_ignored_by_nohup_stays_ignored(tmp_path):
    def ignore_hup():
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    proc = start(["export", str(tmp_path / "m.png"), "--size", "300x200"], preexec_fn=ignore_hup,
                 signals=(signal.SIGINT, signal.SIGTERM))
    proc.send_signal(signal.SIGHUP)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert os.listdir(tmp_path) == ["m.png"]


def test_signal_closes_the_window(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path), HOME=str(tmp_path))
    proc = start([], env=env)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Traceback" not in err and "interrupted (SIGTERM)" in err


SECOND_SIGNAL = r"""
import os, signal, sys
from silkmap.core import interrupt
interrupt.install()
tmp = sys.argv[1].encode()
open(tmp, "wb").close()
with interrupt.temp_file(tmp):
    os.kill(os.getpid(), signal.SIGTERM)  # recorded, waits for a safe point
    os.kill(os.getpid(), signal.SIGINT)   # asked again: remove the temporary file, go now
    print("not reached")
"""


def test_a_second_signal_stops_at_once_and_removes_the_temporary_file(tmp_path):
    tmp = tmp_path / ".x.png.0000.part"
    out = subprocess.run([sys.executable, "-c", SECOND_SIGNAL, str(tmp)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 143
    assert "not reached" not in out.stdout and "Traceback" not in out.stderr
    assert not tmp.exists()


# ---------------------------------------------------------------------- in-process, at exact moments
@pytest.fixture
def handlers():
    saved = {s: signal.getsignal(s) for s in HANDLED}
    interrupt.install()
    yield
    interrupt.reset()
    for s, h in saved.items():
        signal.signal(s, h)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_signal_while_writing_removes_the_temporary_file(qapp, atlas, tmp_path, monkeypatch, handlers, fmt):
    from silkmap.core import atomic_file
    from silkmap.render.export import ExportSpec, MapExporter
    from silkmap.core.atlas import home_bounds

    monkeypatch.setattr(atomic_file, "CHUNK", 4096)  # several chunks, so the check between them runs
    real = os.write
    seen = []

    def write(fd, data):
        n = real(fd, data)
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".part"):
            seen.append(n)
            if len(seen) == 1:
                os.kill(os.getpid(), signal.SIGTERM)
        return n

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(interrupt.Interrupted) as stopped:
        MapExporter(atlas).export(ExportSpec(width=400, height=300), home_bounds(atlas), tmp_path / f"m.{fmt}")
    monkeypatch.undo()
    assert stopped.value.status == 143
    assert len(seen) == 1  # stopped after the chunk in flight, not at the end
    assert os.listdir(tmp_path) == []


def test_signal_while_painting_ends_the_painter_first(qapp, atlas, tmp_path, handlers):
    # The signal lands in the middle of the renderer's work; the painter is ended and the
    # image kept alive until then ("QPaintDevice: Cannot destroy paint device that is being
    # painted" was a crash), and the export stops before anything is written.
    from silkmap.render.export import ExportSpec, MapExporter
    from silkmap.core.atlas import home_bounds

    exporter = MapExporter(atlas)
    real_paint = exporter.renderer.paint

    def paint(painter, vp, opts):
        os.kill(os.getpid(), signal.SIGINT)
        return real_paint(painter, vp, opts)

    exporter.renderer.paint = paint
    with pytest.raises(interrupt.Interrupted) as stopped:
        exporter.export(ExportSpec(width=600, height=400), home_bounds(atlas), tmp_path / "m.png")
    assert stopped.value.status == 130
    for worker in threading.enumerate():  # the painting goes on to its end, on its own thread
        if worker.name == "silkmap-export-worker":
            worker.join(60)
    assert os.listdir(tmp_path) == []


def test_workers_never_raise_the_interrupt(handlers):
    os.kill(os.getpid(), signal.SIGTERM)
    raised = []

    def work():
        try:
            interrupt.check()
        except interrupt.Interrupted:
            raised.append(True)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert raised == [] and interrupt.pending() == signal.SIGTERM
    with pytest.raises(interrupt.Interrupted):
        interrupt.check()


def test_cli_run_reports_a_signal_as_one_line(qapp, tmp_path, capsys, handlers):
    from silkmap.cli import run

    os.kill(os.getpid(), signal.SIGHUP)
    assert run(["export", str(tmp_path / "m.png"), "--size", "50x50"]) == 129
    assert capsys.readouterr().err.strip() == "silkmap: interrupted (SIGHUP)"
    assert os.listdir(tmp_path) == []


def test_after_the_work_a_late_signal_is_ignored(handlers):
    # Python restores the default action (death by the signal) while it shuts down; a signal
    # arriving then killed a finished export (exit -1 after "wrote …"): ignored instead.
    interrupt.ignore()
    assert all(signal.getsignal(s) is signal.SIG_IGN for s in HANDLED)
    os.kill(os.getpid(), signal.SIGHUP)
    assert interrupt.pending() is None
