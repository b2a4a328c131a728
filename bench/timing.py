"""Timing helpers shared by the benchmarks: medians of wall-clock and CPU time.

The machine the benchmarks run on may be busy: wall-clock time then counts waiting
for a core, CPU time (`time.process_time`) does not. Each benchmark also measures a
trivial view in the same run and prints its figures as multiples of it.
"""

import statistics
import time
from dataclasses import dataclass


@dataclass
class Timing:
    wall_ms: float  # median wall-clock time
    cpu_ms: float  # median CPU time of this process
    max_ms: float

    def ratio(self, other: "Timing") -> str:
        """How many times `other` this is, by wall-clock and by CPU time."""
        return f"{self.wall_ms / other.wall_ms:5.0f}x ({self.cpu_ms / other.cpu_ms:.0f}x by CPU)"

    def __str__(self):
        return f"median {self.wall_ms:6.1f} ms (CPU {self.cpu_ms:6.1f} ms, max {self.max_ms:6.1f} ms)"


def measure(call, rounds: int) -> Timing:
    """Call `call()` once to warm up, then `rounds` times; the medians."""
    call()
    wall, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return Timing(wall_ms=statistics.median(wall), cpu_ms=statistics.median(cpu), max_ms=max(wall))


def trivial_view(client) -> Timing:
    """The health view (one `SELECT 1`) through the same middleware, signed in: the yardstick."""

    def call():
        assert client.get("/halsa/").status_code == 200

    return measure(call, 200)
