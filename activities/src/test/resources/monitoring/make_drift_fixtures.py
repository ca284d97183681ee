#!/usr/bin/python3
"""Writes drift_fixtures.json: SciPy/NumPy reference values for DriftStatisticsTest.

Run with Debian's interpreter, which has python3-scipy 1.10 and numpy 1.24:

    /usr/bin/python3 activities/src/test/resources/monitoring/make_drift_fixtures.py

Small and medium samples come from NumPy's seeded generator and are stored in the JSON (Python's
float repr round-trips exactly). Samples larger than ks_2samp's exact limit (10,000) would make the
file large, so they are described by a generator that Java reproduces bit for bit: a 64-bit LCG
whose top 20 bits are summed four at a time (roughly normal), scaled and shifted by powers of two
and optionally floored to a grid, so every value is an exact binary fraction in both languages.
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

BINS = 10
PSI_EPSILON = 1e-4
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
MASK64 = (1 << 64) - 1


def lcg_sample(spec):
    state = spec["seed"] & MASK64
    out = np.empty(spec["n"])
    for i in range(spec["n"]):
        total = 0
        for _ in range(4):
            state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
            total += state >> 44
        x = total / float(1 << 20) - 2.0
        x = x * spec["scale"] + spec["shift"]
        if spec.get("grid"):
            x = np.floor(x * spec["grid"]) / spec["grid"]
        out[i] = x
    return out


def cuts_of(baseline, bins):
    qs = np.arange(1, bins) / bins
    return np.unique(np.quantile(np.sort(baseline), qs))


def histogram(cuts, values):
    idx = np.searchsorted(cuts, values, side="right")
    return np.bincount(idx, minlength=len(cuts) + 1)


def psi(b_counts, c_counts):
    b = np.where(b_counts == 0, PSI_EPSILON, b_counts / b_counts.sum())
    c = np.where(c_counts == 0, PSI_EPSILON, c_counts / c_counts.sum())
    return float(np.sum((c - b) * np.log(c / b)))


def numeric_case(name, baseline, current, stored=True, generators=None):
    b = np.asarray(baseline, dtype=float)
    c = np.asarray(current, dtype=float)
    ks = stats.ks_2samp(b, c)
    cuts = cuts_of(b, BINS)
    hb = histogram(cuts, b)
    hc = histogram(cuts, c)
    case = {
        "name": name,
        "ks": {"statistic": float(ks.statistic), "pvalue": float(ks.pvalue),
               "method": "exact" if max(len(b), len(c)) <= 10000 else "asymptotic"},
        "wasserstein": float(stats.wasserstein_distance(b, c)),
        "cuts": cuts.tolist(),
        "baselineCounts": hb.tolist(),
        "currentCounts": hc.tolist(),
        "psi": psi(hb, hc),
        "jensenShannon": float(distance.jensenshannon(hb, hc, base=2)),
    }
    if stored:
        case["baseline"] = b.tolist()
        case["current"] = c.tolist()
    else:
        case["baselineGenerator"] = generators[0]
        case["currentGenerator"] = generators[1]
        case["baselineCheck"] = {"sum": float(np.sum(b)), "first": b[:3].tolist()}
        case["currentCheck"] = {"sum": float(np.sum(c)), "first": c[:3].tolist()}
    return case


def generated_case(name, bspec, cspec):
    return numeric_case(name, lcg_sample(bspec), lcg_sample(cspec), stored=False,
                        generators=[bspec, cspec])


def summary_case(name, values):
    v = np.asarray(values, dtype=float)
    present = v[~np.isnan(v)]
    return {
        "name": name,
        "values": [None if np.isnan(x) else x for x in v.tolist()],
        "count": int(present.size),
        "missing": int(v.size - present.size),
        "mean": float(np.mean(present)),
        "std": float(np.std(present)),
        "min": float(np.min(present)),
        "max": float(np.max(present)),
        "quantiles": [float(q) for q in np.quantile(present, QUANTILES)],
    }


def chi_case(name, baseline, current):
    cats = [k for k in baseline if baseline[k] > 0]
    cats += [k for k in current if current[k] > 0 and k not in cats]
    table = np.array([[baseline.get(k, 0) for k in cats], [current.get(k, 0) for k in cats]])
    out = {"name": name, "baseline": baseline, "current": current, "categories": cats,
           "unseen": [k for k in cats if baseline.get(k, 0) == 0]}
    for label, corr in (("yates", True), ("plain", False)):
        r = stats.chi2_contingency(table, correction=corr)
        out[label] = {"statistic": float(r[0]), "pvalue": float(r[1]), "dof": int(r[2])}
    return out


def main():
    rng = np.random.default_rng(20240611)
    numeric = []
    base500 = rng.normal(0.0, 1.0, 500)
    numeric.append(numeric_case("same_distribution", base500, rng.normal(0.0, 1.0, 400)))
    numeric.append(numeric_case("shifted_mean_equal_sizes",
                                rng.normal(0.0, 1.0, 300), rng.normal(0.5, 1.0, 300)))
    numeric.append(numeric_case("changed_variance",
                                rng.normal(10.0, 1.0, 1000), rng.normal(10.0, 2.0, 800)))
    numeric.append(numeric_case("small_exact", rng.normal(0, 1, 12), rng.normal(1, 1, 9)))
    numeric.append(numeric_case("tiny_samples", [1.0], [2.0]))
    numeric.append(numeric_case("ties_poisson",
                                rng.poisson(3.0, 200).astype(float),
                                rng.poisson(3.6, 150).astype(float)))
    numeric.append(numeric_case("identical_samples", base500, base500.copy()))
    numeric.append(numeric_case("constant_baseline", np.full(100, 5.0), rng.normal(5.0, 1.0, 80)))
    numeric.append(numeric_case("disjoint_samples", rng.uniform(0, 1, 50), rng.uniform(2, 3, 70)))
    numeric.append(numeric_case("skewed_lognormal",
                                rng.lognormal(0, 1, 2000), rng.lognormal(0.1, 1.1, 1500)))

    def spec(seed, n, scale=1.0, shift=0.0, grid=0):
        s = {"seed": seed, "n": n, "scale": scale, "shift": shift}
        if grid:
            s["grid"] = grid
        return s

    numeric.append(generated_case("exact_at_limit",
                                  spec(15, 10000), spec(16, 3000, shift=0.015625)))
    numeric.append(generated_case("asymptotic_same_distribution",
                                  spec(1, 15000), spec(2, 12000)))
    numeric.append(generated_case("asymptotic_shifted_mean",
                                  spec(3, 20000), spec(4, 15000, shift=0.0625)))
    numeric.append(generated_case("asymptotic_large_vs_small_window",
                                  spec(5, 12000), spec(6, 60, shift=0.25)))
    numeric.append(generated_case("asymptotic_large_vs_small_same",
                                  spec(7, 12000), spec(8, 100)))
    numeric.append(generated_case("asymptotic_large_vs_medium_shift",
                                  spec(9, 12000), spec(10, 400, scale=1.5)))
    numeric.append(generated_case("asymptotic_ties_on_grid",
                                  spec(11, 11000, grid=8), spec(12, 10500, shift=0.125, grid=8)))
    numeric.append(generated_case("asymptotic_disjoint",
                                  spec(13, 10001, scale=0.25), spec(14, 200, shift=4.0, scale=0.25)))

    kstwo = []
    for n, x in [(10, 0.06), (200, 0.004), (10, 0.95), (20, 0.6), (50, 0.1), (50, 0.2),
                 (100, 0.25), (140, 0.1), (141, 0.1), (1000, 0.06), (1000, 0.5), (100000, 0.061),
                 (10000, 0.002), (10000, 0.01), (500000, 0.001), (500000, 0.0025),
                 (2000000, 0.0012), (5000, 0.03), (300, 0.2), (7, 0.3), (7, 0.45)]:
        kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    smirnov = []
    for n, x in [(5, 0.3), (5, 0.7), (50, 0.25), (50, 0.05), (1000, 0.05), (1000, 0.2),
                 (100000, 0.004), (100000, 0.01), (3, 0.5), (200, 0.33)]:
        smirnov.append({"n": n, "x": x, "sf": float(special.smirnov(n, x))})

    categorical = [
        chi_case("same_distribution", {"a": 120, "b": 80, "c": 50}, {"a": 60, "b": 38, "c": 27}),
        chi_case("shifted", {"a": 120, "b": 80, "c": 50}, {"a": 20, "b": 70, "c": 60}),
        chi_case("two_categories", {"yes": 90, "no": 110}, {"yes": 60, "no": 40}),
        chi_case("two_categories_small_difference", {"yes": 50, "no": 50}, {"yes": 50, "no": 51}),
        chi_case("unseen_category", {"red": 40, "green": 35, "blue": 25},
                 {"red": 20, "green": 15, "blue": 10, "purple": 7}),
        chi_case("single_category", {"only": 30}, {"only": 12}),
        chi_case("category_vanishes", {"x": 10, "y": 10, "z": 5}, {"x": 12, "y": 9}),
        chi_case("many_categories", {f"c{i}": 5 + 3 * i for i in range(25)},
                 {f"c{i}": 40 - i for i in range(25)}),
    ]

    summaries = [
        summary_case("normal_with_missing",
                     np.where(rng.uniform(size=300) < 0.1, np.nan, rng.normal(3, 2, 300))),
        summary_case("integers", rng.integers(0, 10, 57).astype(float)),
        summary_case("single_value", [42.0]),
        summary_case("constant", np.full(10, -1.5)),
    ]

    out = {
        "generatedBy": "make_drift_fixtures.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "bins": BINS,
        "psiEpsilon": PSI_EPSILON,
        "quantiles": QUANTILES,
        "numeric": numeric,
        "kstwo": kstwo,
        "smirnov": smirnov,
        "categorical": categorical,
        "summaries": summaries,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "drift_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
