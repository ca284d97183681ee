#!/usr/bin/python3
"""NumPy/SciPy side of bench/drift.sh: the same drift statistics on the same data as DriftBench.

Usage: drift_bench.py DIR ROUNDS OUT.json. Reads DIR/meta.json, baseline.f64 and current.f64
(column after column of little-endian doubles) and writes every statistic, the median compute time
and the peak resident memory (VmHWM) to OUT.json. The definitions are the ones the unit-test
fixtures use (activities/src/test/resources/monitoring/make_drift_fixtures.py).
"""
import json
import os
import statistics as pystats
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

# The statistics' definitions are shared with the unit-test fixture generator.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "activities",
                                "src", "test", "resources", "monitoring"))
from make_drift_fixtures import BINS, cuts_of, histogram, psi  # noqa: E402


def compute(baseline, current, numeric):
    values = {}
    for f in range(baseline.shape[0]):
        b, c = baseline[f], current[f]
        if f < numeric:
            cuts = cuts_of(b, BINS)
            hb, hc = histogram(cuts, b), histogram(cuts, c)
            ks = stats.ks_2samp(b, c)
            values["f%d" % f] = {
                "psi": psi(hb, hc),
                "jensenShannon": float(distance.jensenshannon(hb, hc, base=2)),
                "ksStatistic": float(ks.statistic),
                "ksPvalue": float(ks.pvalue),
                "wasserstein": float(stats.wasserstein_distance(b, c)),
            }
        else:
            cb = np.bincount(b.astype(np.int64), minlength=64)
            cc = np.bincount(c.astype(np.int64), minlength=64)
            keep = (cb + cc) > 0
            table = np.vstack([cb[keep], cc[keep]])
            chi = stats.chi2_contingency(table, correction=True)
            values["f%d" % f] = {
                "chiSquare": float(chi[0]),
                "chiSquarePvalue": float(chi[1]),
                "psi": psi(table[0], table[1]),
                "jensenShannon": float(distance.jensenshannon(table[0], table[1], base=2)),
            }
    return values


def peak_rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def main():
    directory, rounds, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(directory + "/meta.json") as f:
        meta = json.load(f)
    rows, features, categorical = meta["rows"], meta["features"], meta["categorical"]
    start = time.perf_counter()
    baseline = np.fromfile(directory + "/baseline.f64", dtype="<f8").reshape(features, rows)
    current = np.fromfile(directory + "/current.f64", dtype="<f8").reshape(features, rows)
    load = time.perf_counter() - start
    times, values = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        values = compute(baseline, current, features - categorical)
        times.append(time.perf_counter() - start)
    with open(out, "w") as f:
        json.dump({"side": "python", "loadSeconds": load, "seconds": times,
                   "medianSeconds": pystats.median(times), "peakRssBytes": peak_rss(),
                   "values": values}, f)


if __name__ == "__main__":
    main()
