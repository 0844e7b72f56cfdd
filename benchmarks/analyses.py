"""One analysis of a loaded corpus, timed in a fresh process (for ``benchmarks/run.py --analyses-only``).

    python benchmarks/analyses.py --corpus DIR --step keyness

The corpus is loaded first from the warm cache (``$ANALYSIS_CACHE``: the caller loaded it once before), and
that load is timed apart; then one step runs with its defaults, each document its own group unless the
manifest has ``group``: ``dfm``, ``keyness``, ``collocations`` (2 to 4 tokens), ``slogans``
(``find_slogans``) or ``emphasis``. Prints one JSON object: the step, its seconds and the rows of its result.
The caller samples the memory of the process tree.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

STEPS = ("dfm", "keyness", "collocations", "slogans", "emphasis")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--step", required=True, choices=STEPS)
    args = ap.parse_args(argv)

    import analysis

    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a synthetic corpus's shared lines are reported, not a problem here
        corp = analysis.load_corpus(args.corpus)
    out = {"step": args.step, "docs": len(corp), "load_s": time.perf_counter() - t}
    by = "group" if "group" in corp.columns else None
    steps = {
        "dfm": lambda: analysis.dfm(corp, by=by).matrix.shape[1],
        "keyness": lambda: len(analysis.keyness(corp, by=by)),
        "collocations": lambda: len(analysis.collocations(corp)),
        "slogans": lambda: len(analysis.find_slogans(corp, by=by)),
        "emphasis": lambda: len(analysis.emphasis(corp, by=by)),
    }
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["rows"] = int(steps[args.step]())
    out["step_s"] = time.perf_counter() - t
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
