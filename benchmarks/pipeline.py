"""One timed run of the suite's pipeline on a corpus folder, in a fresh process.

    python benchmarks/pipeline.py --corpus DIR [--workers N]

Prints one JSON object: seconds for loading (read, decode, clean) and for
segmenting + counting into a document-term matrix, the matrix shape, and the
peak resident memory of this process and of its worker processes. The cache
folder comes from ``$ANALYSIS_CACHE`` (the caller sets a fresh one for a cold
run and reuses it for a warm one).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import warnings


def _dfm_hash(d) -> str:
    """A hash of the document-term matrix (documents, terms, counts): equal hashes, identical counts."""
    import hashlib

    m = d.matrix.tocsr()
    m.sort_indices()
    h = hashlib.sha256()
    for part in (list(d.rows), list(d.terms)):
        h.update("\x1f".join(map(str, part)).encode())
    for arr in (m.indptr, m.indices, m.data):
        h.update(arr.tobytes())
    return h.hexdigest()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--workers", type=int, default=None, help="worker processes (sets ANALYSIS_WORKERS)")
    ap.add_argument("--preload", action="store_true",
                    help="load the dictionaries first (timed apart as startup_s): a cold run needs them, a warm one not")
    args = ap.parse_args(argv)
    if args.workers:
        os.environ["ANALYSIS_WORKERS"] = str(args.workers)

    t0 = time.perf_counter()
    import analysis  # noqa: F401
    from analysis import load_corpus
    from analysis.vectors import dfm

    t_import = time.perf_counter() - t0
    def cpu():
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    c0 = cpu()
    t0 = time.perf_counter()
    if args.preload:
        from analysis.segmentation import get_segmenter
        from analysis.lexicon import is_word

        is_word("中")  # jieba's dictionary with the lexicon (cleaning repairs line breaks with it)
        get_segmenter()  # the segmenter
    startup = time.perf_counter() - t0
    c1 = cpu()
    t1 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corp = load_corpus(args.corpus, n_workers=args.workers)
    t2 = time.perf_counter()
    d = dfm(corp)
    t3 = time.perf_counter()
    c3 = cpu()
    kb = 1024
    out = {
        "import_s": t_import,
        "load_s": t2 - t1,
        "segment_count_s": t3 - t2,
        "startup_s": startup,
        "startup_cpu_s": c1 - c0,
        "steady_s": t3 - t1,
        "total_s": t3 - t0,
        "cpu_s": c3 - c0,
        "docs": len(corp),
        "chars": int(d.n_chars.sum()),
        "terms": len(d.terms),
        "tokens_counted": int(d.matrix.sum()),
        "dfm_sha256": _dfm_hash(d),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kb / 2**20,
        "peak_rss_workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kb / 2**20,
    }
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
