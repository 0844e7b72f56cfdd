"""What each subcommand of ``python -m analysis`` does: ``run_<name>(args)`` returns an exit code.

The arguments are declared in :mod:`analysis.cli`, which imports this module
only when a subcommand runs, so ``--help`` answers at once.
"""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd

from .config import corpus_dir, project_root
from .corpus import draft_manifest, load_corpus, scan
from .methods.emphasis import DEFAULT_SEED, emphasis
from .methods.emphasis.rates import RATE, RATE_HIGH, RATE_LOW
from .methods.keyness import keyness, top_terms
from .report import build_report, notebook_paths
from .methods.slogans import find_slogans, lexicon_candidates, write_lexicon_candidates
from .tokenization import segment, tokenize
from .vectors import dfm

__all__ = ["run_check", "run_tokens", "run_manifest", "run_figures", "run_keyness", "run_report", "run_emphasis",
           "run_bench", "run_slogans"]


def emit(df, fmt: str) -> None:
    """Print a DataFrame as CSV or as an aligned table."""

    if fmt == "csv":
        df.to_csv(sys.stdout, index=False, float_format="%.6g", lineterminator="\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 40):
            print(df.to_string(index=False))


def load(args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corp = load_corpus(args.corpus)
    for w in caught:
        print(str(w.message), file=sys.stderr)
    return corp


def run_check(args) -> int:
    """Print every problem of the corpus folder (errors first), then the documents that load.

    Exit code 1 when there is an error, else 0 (warnings only).
    """

    folder = corpus_dir(args.corpus)
    corp, problems = scan(folder)
    errors = [q for q in problems if q.severity == "error"]
    for q in sorted(problems, key=lambda q: q.severity != "error"):
        print(q)
    if corp is not None and len(corp):
        df = corp.to_frame().merge(corp.accounting()[["doc_id", "chars_removed"]], left_on="id", right_on="doc_id")
        cols = ["id", "file", "encoding", "n_chars_raw", "chars_removed", "n_chars"]
        print(("\n" if problems else "") + df[cols].to_string(index=False))
    n_chars = sum(len(d.text) for d in corp) if corp is not None else 0
    n_docs = len(corp) if corp is not None else 0
    if errors:
        print(f"\n{folder}: {len(errors)} error(s), {len(problems) - len(errors)} warning(s); "
              f"{n_docs} document(s) load. Fix the errors and run the check again.")
        return 1
    print(f"\n{folder}: OK · {n_docs} documents · {n_chars:,} characters · {len(problems)} warning(s).")
    return 0


def run_tokens(args) -> int:

    corp = load(args)
    doc = corp[args.doc]
    if args.all:
        seg = segment(doc.text)
        for row in seg.itertuples(index=False):
            print(f"{row.token!r}\t{row.pos}")
    else:
        print(" ".join(tokenize(doc.text, drop_proper=args.drop_proper)))
    return 0


def run_manifest(args) -> int:

    df = draft_manifest(args.folder, group_from="stem" if args.group_from_name else None)
    if args.write:
        target = Path(args.folder) / "manifest.csv"
        if target.exists():
            print(f"{target} exists already; remove it first or edit it by hand.", file=sys.stderr)
            return 1
        df.to_csv(target, index=False, lineterminator="\n")
        print(f"wrote {target} ({len(df)} documents): fill in {', '.join(df.columns[2:])}.")
    else:
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def run_figures(args) -> int:
    """Write the corpus overview figures (lengths, cleaning, word cloud)."""
    import matplotlib

    matplotlib.use("Agg")
    from .plots import corpus as corpus_plots, save_fig, setup  # matplotlib: only for this command

    setup("corpus")
    corp = load(args)
    frame = corp.to_frame()
    written = []
    written += save_fig(corpus_plots.document_lengths(frame, by=args.by), "lengths")
    written += save_fig(corpus_plots.cleaning_summary(corp.accounting()), "cleaning")
    totals = dfm(corp, drop_proper=True).totals()
    written += save_fig(corpus_plots.wordcloud(totals.head(120), title="语料词云 Corpus word cloud"), "wordcloud")
    for p in written:
        print(p)
    return 0


def run_keyness(args) -> int:
    """Print the keywords of each group (G2, p, log ratio …) as a table or CSV."""

    corp = load(args)
    try:
        table = keyness(corp, by=args.by, compare="pairwise" if args.pairwise else "rest", min_count=args.min_count,
                        correction=None if args.correction == "none" else args.correction,
                        drop_proper=args.drop_proper)
    except ValueError as exc:  # e.g. a single group: nothing to compare
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.top > 0:
        table = top_terms(table, n=args.top, side=args.side)
    elif args.side != "both":
        table = top_terms(table, n=len(table), side=args.side)
    emit(table, args.format)
    return 0


def run_report(args) -> int:

    paths = notebook_paths()
    if args.only:
        paths = [p for p in paths if any(p.name.startswith(o) for o in args.only)]
    index = build_report(args.out, corpus=args.corpus, by=args.by, notebooks=paths,
                         progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(f"report written: {index}")
    return 0


def run_emphasis(args) -> int:
    """Print each group's rate per 10,000 characters for each emphasis category, with bootstrap intervals."""

    corp = load(args)
    try:
        table = emphasis(corp, by=args.by, lexicon=args.lexicon, n_boot=args.n_boot,
                         level=args.level, seed=DEFAULT_SEED if args.seed is None else args.seed, unit=args.unit)
    except ValueError as exc:  # a bad --n-boot or --level (lexicon and corpus errors are AnalysisErrors)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cols = ["group", "category", "kind", RATE, RATE_LOW, RATE_HIGH, "count", "n_chars", "n_sentences",
            "sentence_share", "share_low", "share_high"]
    emit(table[cols], args.format)
    return 0


def run_bench(args) -> int:
    """Run benchmarks/run.py (raw jieba vs the pipeline, cold and warm, 1 to 64 MB)."""


    script = project_root() / "benchmarks" / "run.py"
    if not script.is_file():
        print(f"{script} not found: the benchmark ships with the project checkout, not the installed package.",
              file=sys.stderr)
        return 1
    argv = [f"--{k.replace('_', '-')}" for k in ("quick", "no_equivalence") if getattr(args, k)]
    for k in ("corpus", "sizes", "workers", "json"):
        if getattr(args, k) is not None:
            argv += [f"--{k}", str(getattr(args, k))]
    return subprocess.call([sys.executable, str(script), *argv])


def run_slogans(args) -> int:
    """Print the ranked formulations (提法) of the corpus: slogan, kind, family, count, n_docs, groups."""

    corp = load(args)
    df = find_slogans(corp, by=args.by)
    top = df if not args.top else df.head(args.top)
    cols = ["rank", "slogan", "kind", "family", "count", "n_docs", "n_groups", "groups", "score"]
    emit(top[cols], args.format)
    if args.lexicon_candidates:
        cand = lexicon_candidates(df, top=args.top or None)
        path = write_lexicon_candidates(cand, args.lexicon_candidates)
        print(f"wrote {len(cand)} lexicon candidate(s) to {path}: review them before pasting any into "
              "analysis/data/lexicon.tsv", file=sys.stderr)
    return 0
