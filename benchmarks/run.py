"""Benchmark the suite's pipeline against raw jieba, cold and warm, from 1 MB to 512 MB.

    .venv/bin/python benchmarks/run.py            # full run (about 20 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # a smaller run (about 1 minute)
    .venv/bin/python -m analysis bench [--quick]  # the same, through the CLI

In one run, on the same text, it measures

1. raw ``jieba.lcut`` throughput on the corpus files (the reference; jieba's
   dictionary load is not counted);
2. the suite's pipeline **cold**, in a fresh process with an empty cache:
   ``analysis.load_corpus`` (read, decode and clean in worker processes while
   this one builds the segmenter, then segment on all cores) and
   ``analysis.dfm`` (count, build the document-term matrix); everything
   counted, dictionary loading included; and again with the start-up timed
   apart. Each pipeline measurement on the corpus runs ``--repeat`` times
   (3 by default) and the median run is reported;
3. the same pipeline **warm**: a second fresh process reusing the cache
   (cleaned documents, segmentations and counts), and a third one with the
   cached counts deleted, so the counts are made again from the cached
   segmentations;
4. peak memory: resident size of the pipeline process and of its largest
   worker, and (Linux) the proportional set size of the whole process tree,
   sampled every 250 ms, which counts pages the workers share with the parent
   once;
5. time per MB and peak memory at 1, 8, 64 and 512 MB (``--sizes``), on corpora made at run time
   in a temporary folder from the real corpus: each synthetic document is a
   seeded random draw of lines of the real reports, so every document is new
   text (no cache hits between copies) while the language stays real; at 64 MB
   (``--raw-sizes``) raw ``jieba.lcut`` also runs on the whole synthetic corpus,
   so the cold and warm ratios there are measured, not extrapolated;
6. that the fast segmenter gives exactly the tokens and tags of the plain
   jieba reference on every document of the corpus and of the seeds;
7. runs of one repeated character (口口口…, 一一一…, aaa…) of 1k, 10k, 100k and
   1M characters (issue 20): each in a corpus beside two seeds (two groups),
   through ``load_corpus``, ``dfm``, ``keyness`` and ``find_slogans`` in a
   fresh process with an empty cache (``benchmarks/repeated.py``), reported
   as time per MB and as a ratio to the same corpus with real text of the
   same number of characters in place of the run (``--runs-only`` runs just
   this case; ``--no-runs`` skips it);
8. with ``--dask-only``: the cold pipeline on this machine's worker processes against the same pipeline on a
   local Dask cluster of two worker processes (``ANALYSIS_SCHEDULER``), each on a fresh cache, with a hash of
   the document-term matrix to show that the results are identical (at ``--sizes``, default 8 MB);
9. with ``--analyses-only``: each analysis (``dfm``, ``keyness``, ``collocations``, ``find_slogans``,
   ``emphasis``, by two groups of alternate documents) in a fresh process on a warm cache
   (``benchmarks/analyses.py``), at ``--sizes`` (default 8 and 64 MB): seconds, time per MB and the peak memory
   of the process tree, and how both grow from the smallest size to the largest.

The corpus is ``../shared/corpora/city-work-reports-2024`` (143 reports,
6.7 MB, MIT licence) unless ``--corpus DIR`` names another folder of .txt
files. Nothing is written into it; the temporary folders are removed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "city-work-reports-2024"
MB = 1_000_000


def _txt_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt") if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def find_corpus(arg: str | None) -> Path:
    folder = Path(arg).expanduser() if arg else DEFAULT_CORPUS
    if not folder.is_dir() or not _txt_files(folder):
        raise SystemExit(
            f"benchmark corpus not found: {folder}\n"
            "Pass a folder of UTF-8 .txt files with --corpus DIR (the default is the city work reports "
            "in ../shared/corpora/city-work-reports-2024 beside the project)."
        )
    return folder


def make_corpus(src_files: list[Path], dest: Path, size_bytes: int | None, seed: int = 0) -> Path:
    """A corpus folder with a manifest: a copy of the files, or synthetic documents of ``size_bytes`` in total."""
    import analysis

    dest.mkdir(parents=True)
    if size_bytes is None:
        for f in src_files:
            shutil.copyfile(f, dest / f.name)
    else:
        lines, doc_sizes = [], []
        for f in src_files:
            text = f.read_text(encoding="utf-8")
            lines.extend(ln for ln in text.splitlines() if ln.strip())
            doc_sizes.append(len(text.encode("utf-8")))
        rng = random.Random(seed)
        written, k = 0, 0
        while written < size_bytes:
            target = min(rng.choice(doc_sizes), size_bytes - written)
            parts, n = [], 0
            while n < target:
                ln = lines[rng.randrange(len(lines))]
                parts.append(ln)
                n += len(ln.encode("utf-8")) + 1
            data = ("\n".join(parts) + "\n").encode("utf-8")
            (dest / f"doc{k:05d}.txt").write_bytes(data)
            written += len(data)
            k += 1
    analysis.draft_manifest(dest, group_from="stem").to_csv(dest / "manifest.csv", index=False, lineterminator="\n")
    return dest


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in _txt_files(folder))


def raw_jieba(files: list[Path]) -> dict:
    """Plain ``jieba.lcut`` on each file's text, one core."""
    import logging

    import jieba

    jieba.setLogLevel(logging.ERROR)
    t = time.perf_counter()
    jieba.initialize()
    t_init = time.perf_counter() - t
    texts = [f.read_text(encoding="utf-8") for f in files]
    n_bytes = sum(len(x.encode("utf-8")) for x in texts)
    t, c = time.perf_counter(), time.process_time()
    n_tokens = sum(len(jieba.lcut(x)) for x in texts)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    return {"bytes": n_bytes, "seconds": dt, "cpu_s": dc, "mb_per_s": n_bytes / MB / dt, "cpu_mb_per_s": n_bytes / MB / dc,
            "tokens": n_tokens, "init_s": t_init}


def pipeline(corpus: Path, cache: Path, workers: int | None, preload: bool = False) -> dict:
    """Run benchmarks/pipeline.py in a fresh process with ``ANALYSIS_CACHE=cache``.

    ``preload`` builds the dictionaries and the segmenter first and times that
    apart (``startup_s``); without it, ``load_corpus`` builds the segmenter
    while its workers clean, as it does for a user.
    """
    env = dict(os.environ, ANALYSIS_CACHE=str(cache), ANALYSIS_PROGRESS="0")
    cmd = [sys.executable, str(Path(__file__).with_name("pipeline.py")), "--corpus", str(corpus)]
    if preload:
        cmd.append("--preload")
    if workers:
        cmd += ["--workers", str(workers)]
    return sampled(cmd, env, f"pipeline failed on {corpus}")


def sampled(cmd: list[str], env: dict, failure: str) -> dict:
    """Run ``cmd`` (a script printing one JSON object last), sampling the memory of its process tree: the JSON
    with ``process_wall_s`` and ``peak_tree_pss_mb`` added."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        proc = subprocess.Popen(cmd, env=env, stdout=out_f, stderr=err_f, text=True)
        peak_pss = 0.0
        while proc.poll() is None:  # sample the memory of the process tree (Linux: proportional set size)
            peak_pss = max(peak_pss, tree_pss_mb(proc.pid))
            time.sleep(0.25)  # reading smaps costs CPU: sample sparingly, not to slow what is measured
        wall = time.perf_counter() - t
        out_f.seek(0)
        err_f.seek(0)
        stdout, stderr = out_f.read(), err_f.read()
    if proc.returncode != 0:
        raise SystemExit(f"{failure}:\n{stderr}")
    out = json.loads(stdout.strip().splitlines()[-1])
    out["process_wall_s"] = wall
    out["peak_tree_pss_mb"] = peak_pss or None
    return out


#: the steps of ``--analyses-only`` (benchmarks/analyses.py)
ANALYSIS_STEPS = ("dfm", "keyness", "collocations", "slogans", "emphasis")


def two_groups(folder: Path) -> None:
    """Give a synthetic corpus's manifest a column ``group``: its documents alternately in A and B."""
    import csv

    with open(folder / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0].keys(), "group"], lineterminator="\n")
        w.writeheader()
        w.writerows({**r, "group": "AB"[i % 2]} for i, r in enumerate(rows))


def analyses_case(files: list[Path], tmp: Path, sizes: list[float], steps=ANALYSIS_STEPS) -> list[dict]:
    """Each analysis in a fresh process on a warm cache, at each size: seconds, time per MB, peak memory of the
    process tree (item 9 of the module docstring)."""
    rows = []
    for size in sizes:
        folder = make_corpus(files, tmp / f"analyses-{size:g}mb", int(size * MB), seed=int(size))
        two_groups(folder)
        mb = corpus_bytes(folder) / MB
        cache = tmp / f"cache-analyses-{size:g}"
        print(f"analyses: {size:g} MB, loading once (cold) …", flush=True)
        pipeline(folder, cache, None)
        env = dict(os.environ, ANALYSIS_CACHE=str(cache), ANALYSIS_PROGRESS="0")
        for step in steps:
            print(f"  {step} …", flush=True)
            cmd = [sys.executable, str(Path(__file__).with_name("analyses.py")), "--corpus", str(folder),
                   "--step", step]
            r = sampled(cmd, env, f"{step} failed on {folder}")
            rows.append({"mb": mb, "docs": r["docs"], "step": step, "load_s": r["load_s"], "step_s": r["step_s"],
                         "s_per_mb": r["step_s"] / mb, "peak_tree_pss_mb": r["peak_tree_pss_mb"], "rows": r["rows"]})
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    return rows


def report_analyses(rows: list[dict]) -> None:
    print(f"{'MB':>6} {'step':<13} {'s':>8} {'s/MB':>7} {'peak PSS':>9} {'rows':>9}")
    for r in rows:
        print(f"{r['mb']:6.1f} {r['step']:<13} {r['step_s']:8.1f} {r['s_per_mb']:7.2f} "
              f"{_mb(r['peak_tree_pss_mb']):>9} {r['rows']:9d}")
    sizes = sorted({r["mb"] for r in rows})
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        print(f"from {lo:.0f} to {hi:.0f} MB ({hi / lo:.0f}× the text):")
        for step in dict.fromkeys(r["step"] for r in rows):
            a = next(r for r in rows if r["step"] == step and r["mb"] == lo)
            b = next(r for r in rows if r["step"] == step and r["mb"] == hi)
            print(f"  {step:<13} time per MB {b['s_per_mb'] / a['s_per_mb']:5.2f}×, "
                  f"peak memory {b['peak_tree_pss_mb'] / a['peak_tree_pss_mb']:5.2f}×")


def median_run(runs: list[dict]) -> dict:
    """The run with the median total time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda r: r["total_s"])[(len(runs) - 1) // 2]


def tree_pss_mb(pid: int) -> float:
    """Memory of a process and all its descendants, in MB, counting shared pages once (0 off Linux).

    PSS (proportional set size) splits each shared page between the processes
    sharing it, so the sum over a process tree is the memory the tree really
    holds: forked workers share the parent's dictionaries.
    """
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


#: characters and lengths of the runs of one repeated character (item 7 of the module docstring)
RUN_CHARS = ("口", "一", "a")
RUN_LENGTHS = (1_000, 10_000, 100_000, 1_000_000)


def run_corpus(dest: Path, text: str) -> Path:
    """Two seeds (group A) and one document holding ``text`` (group B), with a manifest."""
    import csv

    dest.mkdir(parents=True)
    with open(ROOT / "seeds" / "manifest.csv", encoding="utf-8", newline="") as fh:
        seeds = [r["file"] for r in csv.DictReader(fh)][:2]
    rows = [("id", "file", "group")]
    for i, name in enumerate(seeds):
        shutil.copyfile(ROOT / "seeds" / name, dest / name)
        rows.append((f"seed{i}", name, "A"))
    (dest / "big.txt").write_text(text, encoding="utf-8")
    rows.append(("big", "big.txt", "B"))
    with open(dest / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return dest


def timed_analyses(corpus: Path, cache: Path) -> dict:
    """Run benchmarks/repeated.py on ``corpus`` in a fresh process with ``ANALYSIS_CACHE=cache``."""
    env = dict(os.environ, ANALYSIS_CACHE=str(cache), ANALYSIS_PROGRESS="0")
    cmd = [sys.executable, str(Path(__file__).with_name("repeated.py")), "--corpus", str(corpus)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, encoding="utf-8")
    if res.returncode != 0:
        raise SystemExit(f"the analyses failed on {corpus}:\n{res.stderr}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["bytes"] = corpus_bytes(corpus)
    out["s_per_mb"] = out["total_s"] / (out["bytes"] / MB)
    return out


def runs_case(files: list[Path], tmp: Path, chars=RUN_CHARS, lengths=RUN_LENGTHS) -> list[dict]:
    """Runs of one character beside two seeds, against real text of the same length (item 7 above)."""
    real = "".join(f.read_text(encoding="utf-8") for f in files)
    while len(real) < max(lengths):
        real += real
    rows = []
    for n in lengths:
        label = f"{n:,}"
        print(f"runs of one character: {label} characters (real text, {', '.join(chars)}) …", flush=True)
        base = timed_analyses(run_corpus(tmp / f"real-{n}", real[:n]), tmp / f"cache-real-{n}")
        rows.append({"text": "real", "chars": n, **base, "ratio": 1.0})
        for ch in chars:
            case = timed_analyses(run_corpus(tmp / f"run-{ord(ch)}-{n}", ch * n), tmp / f"cache-run-{ord(ch)}-{n}")
            rows.append({"text": ch, "chars": n, **case, "ratio": case["s_per_mb"] / base["s_per_mb"]})
        for p in tmp.glob(f"*-{n}"):
            shutil.rmtree(p, ignore_errors=True)
    return rows


def report_runs(rows: list[dict]) -> None:
    print("runs of one repeated character beside two seeds (fresh process, empty cache; start-up not counted):")
    print(f"  {'text':>5} {'chars':>10} {'MB':>6} {'load s':>7} {'dfm s':>7} {'keyness':>8} {'slogans':>8} "
          f"{'total s':>8} {'s/MB':>7} {'vs real':>8} {'peak MB':>8} {'+worker':>8}")
    for r in rows:
        note = "  (keyness: group refused)" if "keyness_refused" in r else ""
        print(f"  {r['text']:>5} {r['chars']:>10,} {r['bytes'] / MB:6.3f} {r['load_s']:7.2f} {r['dfm_s']:7.2f} "
              f"{r['keyness_s']:8.2f} {r['slogans_s']:8.2f} {r['total_s']:8.2f} {r['s_per_mb']:7.2f} "
              f"{r['ratio']:7.2f}x {r['peak_rss_mb']:8.0f} {r['peak_rss_workers_mb']:8.0f}{note}")


def _check_docs(texts: list[str]) -> list[int]:
    from analysis.segmentation import get_segmenter

    fast, ref = get_segmenter("rjieba"), get_segmenter("jieba")
    return [i for i, t in enumerate(texts) if fast.cut(t) != ref.cut(t)]


def equivalence(folders: list[Path], workers: int, limit: int | None = None) -> dict:
    """Fast backend vs plain-jieba reference, token and tag, on every clean document."""
    import warnings
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp

    import analysis
    from analysis.segmentation import available_backends

    if "rjieba" not in available_backends():
        return {"checked": 0, "differing": [], "note": "rjieba not installed"}
    texts, names = [], []
    for folder in folders:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            corp = analysis.load_corpus(folder)
        docs = list(corp)[:limit] if limit else list(corp)
        texts += [d.text for d in docs]
        names += [f"{folder.name}/{d.id}" for d in docs]
    t = time.perf_counter()
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    chunks = [order[k::workers * 4] for k in range(workers * 4)]
    bad: list[int] = []
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        for chunk, res in zip(chunks, pool.map(_check_docs, [[texts[i] for i in c] for c in chunks])):
            bad += [chunk[j] for j in res]
    return {"checked": len(texts), "characters": sum(map(len, texts)), "differing": [names[i] for i in sorted(bad)],
            "seconds": time.perf_counter() - t}


def dask_case(files: list[Path], tmp: Path, sizes: list[float], repeat: int) -> list[dict]:
    """Cold pipeline, local worker processes against a two-worker local Dask cluster, at each size."""
    from distributed import LocalCluster

    rows = []
    for size in sizes:
        base = make_corpus(files, tmp / f"dask-{size:g}mb", int(size * MB))
        mb = corpus_bytes(base) / MB
        local = median_run([pipeline(base, tmp / f"cache-local-{size:g}-{i}", 2) for i in range(repeat)])
        remote_runs = []
        for i in range(repeat):
            worker_cache = tmp / f"cache-workers-{size:g}-{i}"  # the workers' own cache: fresh, so cold
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None, env={"ANALYSIS_CACHE": str(worker_cache)}) as cluster:
                os.environ["ANALYSIS_SCHEDULER"] = cluster.scheduler_address
                try:
                    remote_runs.append(pipeline(base, tmp / f"cache-dask-{size:g}-{i}", 2))
                finally:
                    del os.environ["ANALYSIS_SCHEDULER"]
        remote = median_run(remote_runs)
        rows.append({"mb": mb, "local_s": local["total_s"], "dask_s": remote["total_s"],
                     "ratio": remote["total_s"] / local["total_s"],
                     "identical": local["dfm_sha256"] == remote["dfm_sha256"], "terms": local["terms"]})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", help=f"folder of .txt files (default {DEFAULT_CORPUS})")
    ap.add_argument("--quick", action="store_true", help="sizes 1 and 8 MB, equivalence on the seeds and 10 reports")
    ap.add_argument("--sizes", default=None,
                    help="comma-separated corpus sizes in MB (default 1,8,64,512; quick: 1,8)")
    ap.add_argument("--raw-sizes", default="64",
                    help="sizes (of --sizes) at which raw jieba.lcut is also run on the whole synthetic corpus, for "
                         "cold and warm ratios measured there, not extrapolated (default 64; empty: none)")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: all usable CPUs)")
    ap.add_argument("--no-equivalence", action="store_true", help="skip the token-for-token check")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--no-runs", action="store_true", help="skip the runs of one repeated character")
    ap.add_argument("--runs-only", action="store_true", help="only the runs of one repeated character")
    ap.add_argument("--dask-only", action="store_true",
                    help="only the local path against a two-worker local Dask cluster, cold (sizes default 8 MB)")
    ap.add_argument("--analyses-only", action="store_true",
                    help="only the analyses (dfm, keyness, collocations, slogans, emphasis) each in a fresh process on "
                         "a warm cache: time per MB and peak memory (sizes default 8,64 MB)")
    ap.add_argument("--steps", default=",".join(ANALYSIS_STEPS),
                    help=f"with --analyses-only: which analyses (default {','.join(ANALYSIS_STEPS)})")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each pipeline measurement on the corpus; the median is reported (default 3)")
    args = ap.parse_args(argv)

    src = find_corpus(args.corpus)
    files = _txt_files(src)
    sizes = [float(x) for x in (args.sizes or ("1,8" if args.quick else "1,8,64,512")).split(",") if x.strip()]
    raw_sizes = {float(x) for x in args.raw_sizes.split(",") if x.strip()}
    from analysis.config import workers as n_workers

    n_cpu = n_workers(args.workers)
    results: dict = {
        "machine": {"cpus": n_cpu, "python": platform.python_version(), "platform": platform.platform()},
        "load_before": os.getloadavg(),
        "corpus": str(src),
    }
    tmp = Path(tempfile.mkdtemp(prefix="analysis-bench-"))
    if args.dask_only:
        try:
            print(f"load average {os.getloadavg()[0]:.2f}; local worker processes vs a two-worker local Dask cluster, "
                  "cold", flush=True)
            rows = dask_case(files, tmp, [float(x) for x in (args.sizes or "8").split(",")], args.repeat)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"{'MB':>6} {'local s':>8} {'Dask s':>8} {'Dask/local':>10}  identical dfm")
        for r in rows:
            print(f"{r['mb']:6.1f} {r['local_s']:8.2f} {r['dask_s']:8.2f} {r['ratio']:10.2f}  {r['identical']}")
        if args.json:
            Path(args.json).write_text(json.dumps({"dask": rows}, indent=2) + "\n", encoding="utf-8")
        return 0 if all(r["identical"] for r in rows) else 1
    if args.analyses_only:
        try:
            print(f"load average {os.getloadavg()[0]:.2f}; each analysis in a fresh process, warm cache", flush=True)
            steps = [s.strip() for s in args.steps.split(",") if s.strip()]
            unknown = sorted(set(steps) - set(ANALYSIS_STEPS))
            if unknown:
                raise SystemExit(f"--steps: unknown step(s) {', '.join(unknown)}; use some of {', '.join(ANALYSIS_STEPS)}")
            rows = analyses_case(files, tmp, [float(x) for x in (args.sizes or "8,64").split(",")], steps)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        report_analyses(rows)
        if args.json:
            Path(args.json).write_text(json.dumps({"analyses": rows}, indent=2) + "\n", encoding="utf-8")
        return 0
    if args.runs_only:
        try:
            print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
            rows = runs_case(files, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        report_runs(rows)
        if args.json:
            Path(args.json).write_text(json.dumps({"runs": rows}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return 0
    try:
        print(f"corpus {src} · {len(files)} files · {corpus_bytes(src) / MB:.1f} MB · {n_cpu} worker(s) · "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        base = make_corpus(files, tmp / "corpus", None)

        print("raw jieba.lcut …", flush=True)
        ref = raw_jieba(files if not args.quick else files[:20])
        results["raw_jieba"] = ref
        print(f"  {ref['mb_per_s']:.2f} MB/s ({ref['bytes'] / MB:.2f} MB in {ref['seconds']:.1f} s; "
              f"dictionary load {ref['init_s']:.1f} s not counted)", flush=True)
        t_ref_corpus = corpus_bytes(base) / MB / ref["mb_per_s"]  # raw jieba time for the whole corpus

        k = args.repeat
        print(f"pipeline cold ({k}×, each with an empty cache) …", flush=True)
        colds = [pipeline(base, tmp / f"cache-cold-{i}", args.workers) for i in range(k)]
        print(f"pipeline cold, start-up timed apart ({k}×) …", flush=True)
        splits = [pipeline(base, tmp / f"cache-split-{i}", args.workers, preload=True) for i in range(k)]
        print(f"pipeline warm ({k}×) …", flush=True)
        warms = [pipeline(base, tmp / "cache-cold-0", args.workers) for _ in range(k)]
        # the same without the cached counts: documents and segmentations from the cache, counted again
        print(f"pipeline warm, counting again from cached segmentations ({k}×) …", flush=True)
        warm_segs = []
        for _ in range(k):
            shutil.rmtree(tmp / "cache-cold-0" / "counts", ignore_errors=True)
            warm_segs.append(pipeline(base, tmp / "cache-cold-0", args.workers))
        c_ref_corpus = corpus_bytes(base) / MB / ref["cpu_mb_per_s"]
        run = {"mb": corpus_bytes(base) / MB, "cold": median_run(colds), "cold_split": median_run(splits),
               "warm": median_run(warms), "warm_seg": median_run(warm_segs), "repeat": k,
               "cold_all_s": [r["total_s"] for r in colds], "warm_all_s": [r["total_s"] for r in warms],
               "raw_jieba_s": t_ref_corpus, "raw_jieba_cpu_s": c_ref_corpus}
        for name in ("cold", "cold_split", "warm", "warm_seg"):
            run[f"{name}_ratio"] = t_ref_corpus / run[name]["total_s"]
            run[f"{name}_cpu_ratio"] = c_ref_corpus / run[name]["cpu_s"]
        # the reference does not count jieba's dictionary load: the same ratio without the suite's start-up
        run["cold_steady_ratio"] = t_ref_corpus / run["cold_split"]["steady_s"]
        # like for like the other way: jieba's dictionary load added to the reference
        run["raw_jieba_with_init_s"] = t_ref_corpus + ref["init_s"]
        run["cold_with_init_ratio"] = run["raw_jieba_with_init_s"] / run["cold"]["total_s"]
        results["corpus_run"] = run
        scaling = []
        for size in sizes:
            print(f"scaling: {size:g} MB cold + warm …", flush=True)
            folder = make_corpus(files, tmp / f"synthetic-{size:g}", int(size * MB), seed=int(size))
            mb = corpus_bytes(folder) / MB
            c = pipeline(folder, tmp / f"cache-{size:g}", args.workers, preload=True)
            w = pipeline(folder, tmp / f"cache-{size:g}", args.workers)
            row = {"mb": mb, "docs": c["docs"], "cold": c, "warm": w, "cold_s_per_mb": c["total_s"] / mb,
                   "cold_steady_s_per_mb": c["steady_s"] / mb, "warm_s_per_mb": w["total_s"] / mb}
            if size in raw_sizes:
                print(f"  raw jieba.lcut on the {mb:.0f} MB …", flush=True)
                raw = raw_jieba(_txt_files(folder))
                row["raw_jieba"] = raw
                # cold with the start-up (jieba's dictionary load counted on both sides), and without it on both
                # (jieba's dictionary is loaded once per process: its load time is the reference run's above)
                row["cold_ratio_with_init"] = (raw["seconds"] + ref["init_s"]) / c["total_s"]
                row["cold_ratio"] = raw["seconds"] / c["steady_s"]
                row["warm_ratio"] = raw["seconds"] / w["total_s"]
            scaling.append(row)
            shutil.rmtree(folder, ignore_errors=True)
        results["scaling"] = scaling
        if not args.no_runs:
            results["runs"] = runs_case(files, tmp, chars=RUN_CHARS[:1] if args.quick else RUN_CHARS)
        if not args.no_equivalence:
            print("equivalence: fast segmenter vs plain jieba reference …", flush=True)
            results["equivalence"] = equivalence([ROOT / "seeds", base], n_cpu, limit=10 if args.quick else None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["load_after"] = os.getloadavg()
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    eq = results.get("equivalence")
    return 1 if eq and eq["differing"] else 0


def _mb(x) -> str:
    return f"{x:.0f} MB" if x else "n/a"


def report(r: dict) -> None:
    c = r["corpus_run"]
    ref = r["raw_jieba"]
    print()
    print(f"machine: {r['machine']['cpus']} worker CPU(s), Python {r['machine']['python']}; "
          f"load average before {r['load_before'][0]:.2f}, after {r['load_after'][0]:.2f}")
    print(f"raw jieba.lcut: {ref['mb_per_s']:.2f} MB/s wall, {ref['cpu_mb_per_s']:.2f} MB/s CPU (reference, one core)")
    print(f"corpus {c['mb']:.2f} MB: raw jieba {c['raw_jieba_s']:.1f} s wall, {c['raw_jieba_cpu_s']:.1f} s CPU; "
          f"pipeline: median of {c['repeat']} runs each (cold: {', '.join(f'{x:.2f}' for x in c['cold_all_s'])} s; "
          f"warm: {', '.join(f'{x:.2f}' for x in c['warm_all_s'])} s)")
    labels = {"cold": "cold", "cold_split": "cold, start-up first", "warm": "warm",
              "warm_seg": "warm, counted again from cached segmentations"}
    for name, label in labels.items():
        x = c[name]
        print(f"  {label}: {x['total_s']:6.2f} s (startup {x['startup_s']:.2f} + load {x['load_s']:.2f} + "
              f"segment/count {x['segment_count_s']:.2f}) "
              f"= {c[name + '_ratio']:5.1f}x raw jieba · CPU {x['cpu_s']:.2f} s = {c[name + '_cpu_ratio']:.1f}x · "
              f"peak RSS {x['peak_rss_mb']:.0f} MB + workers {x['peak_rss_workers_mb']:.0f} MB · "
              f"all processes {_mb(x.get('peak_tree_pss_mb'))}")
    print(f"  cold without the start-up (the reference does not count jieba's dictionary load either): "
          f"{c['cold_split']['steady_s']:.2f} s = {c['cold_steady_ratio']:.1f}x raw jieba")
    print(f"  cold against raw jieba with its dictionary load ({ref['init_s']:.1f} s) counted too: "
          f"{c['cold']['total_s']:.2f} s vs {c['raw_jieba_with_init_s']:.1f} s = {c['cold_with_init_ratio']:.1f}x")
    print("scaling (time per MB; cold runs with the start-up timed apart):")
    print(f"  {'MB':>6} {'docs':>6} {'cold s':>8} {'startup':>8} {'cold s/MB':>10} {'w/o startup':>12} {'warm s':>8} "
          f"{'warm s/MB':>10} {'peak MB':>8} {'+worker':>8} {'all MB':>8}")
    for s in r["scaling"]:
        print(f"  {s['mb']:6.1f} {s['docs']:6d} {s['cold']['total_s']:8.2f} {s['cold']['startup_s']:8.2f} "
              f"{s['cold_s_per_mb']:10.3f} {s['cold_steady_s_per_mb']:12.3f} {s['warm']['total_s']:8.2f} "
              f"{s['warm_s_per_mb']:10.3f} {s['cold']['peak_rss_mb']:8.0f} {s['cold']['peak_rss_workers_mb']:8.0f} "
              f"{_mb(s['cold'].get('peak_tree_pss_mb')):>8}")
    for s in r["scaling"]:
        if "raw_jieba" in s:
            raw = s["raw_jieba"]
            print(f"  at {s['mb']:.0f} MB raw jieba.lcut ran on the whole corpus: {raw['seconds']:.1f} s "
                  f"({raw['mb_per_s']:.2f} MB/s). Cold without start-up "
                  f"{s['cold']['steady_s']:.1f} s = {s['cold_ratio']:.1f}x; cold with start-up on both sides "
                  f"{s['cold']['total_s']:.1f} s = {s['cold_ratio_with_init']:.1f}x; warm {s['warm']['total_s']:.2f} s "
                  f"= {s['warm_ratio']:.0f}x")
    if len(r["scaling"]) > 1:
        for key, label in (("cold_s_per_mb", "cold"), ("cold_steady_s_per_mb", "cold without startup"),
                           ("warm_s_per_mb", "warm")):
            per = [s[key] for s in r["scaling"]]
            print(f"  {label} s/MB at each size relative to the smallest: "
                  + ", ".join(f"{p / per[0] - 1:+.0%}" for p in per))
    if r.get("runs"):
        report_runs(r["runs"])
    eq = r.get("equivalence")
    if eq:
        if "note" in eq:
            print(f"equivalence: {eq['note']}")
        else:
            verdict = "identical" if not eq["differing"] else f"DIFFERENT in {len(eq['differing'])}: {eq['differing'][:5]}"
            print(f"equivalence: {eq['checked']} documents, {eq['characters']:,} characters: tokens and tags {verdict} "
                  f"({eq['seconds']:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
