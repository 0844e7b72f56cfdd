"""One timed run of the analyses on a small corpus with one large document, in a fresh process.

    python benchmarks/repeated.py --corpus DIR

The corpus (made by ``benchmarks/run.py``, see ``runs_case``) has a column
``group``: two seeds in one group, the large document in the other. Times,
with the dictionaries and the segmenter loaded first (``startup_s``, not
counted): ``load_corpus`` (read, decode, clean, and segment on all cores),
``dfm`` by group (segment what is not cached, count), ``keyness`` by group
and ``find_slogans`` by group. Prints one JSON object, with the peak resident
memory of this process and of its workers. The cache folder comes from
``$ANALYSIS_CACHE`` (the caller gives each run an empty one).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import warnings


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    args = ap.parse_args(argv)

    import analysis
    from analysis.lexicon import is_word
    from analysis.segmentation import get_segmenter

    t0 = time.perf_counter()
    is_word("中")
    get_segmenter()
    out = {"startup_s": time.perf_counter() - t0}
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an ASCII run "contains no Chinese characters"
        corp = analysis.load_corpus(args.corpus)
    out["load_s"] = time.perf_counter() - t
    for name, run in (("dfm", lambda: analysis.dfm(corp, by="group")),
                      ("keyness", lambda: analysis.keyness(corp, by="group")),
                      ("slogans", lambda: analysis.find_slogans(corp, by="group"))):
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                run()
            except ValueError as exc:  # keyness refuses a group without tokens (一一 are numerals): timed all the same
                out[f"{name}_refused"] = str(exc).splitlines()[0][:160]
        out[f"{name}_s"] = time.perf_counter() - t
    out["total_s"] = sum(out[f"{k}_s"] for k in ("load", "dfm", "keyness", "slogans"))
    kb = 1024
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kb / 2**20
    out["peak_rss_workers_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kb / 2**20
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
