#!/usr/bin/env python3
# Start-up to first frame: runs the command (a station) RUNS times with
# NOTIFY_SOCKET set to a socket of ours and times exec -> READY=1, which
# the station sends once its first frame is presented (station/notify.h).
# Prints each run and the median in milliseconds; the station is then
# terminated. Usage: startup.py RUNS COMMAND [ARGS...]
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

runs = int(sys.argv[1])
cmd = sys.argv[2:]
times = []
with tempfile.TemporaryDirectory() as d:
    for i in range(runs):
        path = os.path.join(d, "notify%d" % i)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(path)
        s.settimeout(30)
        env = dict(os.environ, NOTIFY_SOCKET=path)
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            while True:
                if "READY=1" in s.recv(4096).decode(errors="replace"):
                    times.append((time.monotonic() - t0) * 1000)
                    break
        except socket.timeout:
            print("no READY=1 within 30 s", file=sys.stderr)
            p.kill()
            sys.exit(1)
        finally:
            p.terminate()
            p.wait()
            s.close()
print("%.0f ms median (%s)" % (statistics.median(times),
                               ", ".join("%.0f" % t for t in times)))
