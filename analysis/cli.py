"""Command line: ``python -m analysis SUBCOMMAND …`` (``--help`` on each).

Each subcommand is a pair: ``add_<name>(parser)`` declares its arguments and
``run_<name>(args)`` does the work and returns an exit code. Register new ones
in ``COMMANDS``. Errors of the suite (:class:`~analysis.errors.AnalysisError`)
are printed as a plain message with exit code 2, never as a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import DEFAULT_BY
from .errors import AnalysisError


def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", metavar="DIR", default=None,
                   help="corpus folder with manifest.csv (default: $ANALYSIS_CORPUS, else seeds/)")


def _by_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", metavar="COLUMN", default=DEFAULT_BY,
                   help="manifest column to group by (default: $ANALYSIS_BY, else region; 'id': each document)")


def _format_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "csv"], default="table", help="output format (default: table)")


def _emit(df, fmt: str) -> None:
    """Print a DataFrame as CSV or as an aligned table."""
    import pandas as pd

    if fmt == "csv":
        df.to_csv(sys.stdout, index=False, float_format="%.6g", lineterminator="\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 40):
            print(df.to_string(index=False))


def _load(args):
    import warnings

    from .corpus import load_corpus

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corp = load_corpus(args.corpus)
    for w in caught:
        print(str(w.message), file=sys.stderr)
    return corp


# --------------------------------------------------------------------------- check


def add_check(p):
    _corpus_arg(p)


def run_check(args) -> int:
    """Print every problem of the corpus folder (errors first), then the documents that load.

    Exit code 1 when there is an error, else 0 (warnings only).
    """
    from .corpus import scan
    from .config import corpus_dir

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


# --------------------------------------------------------------------------- tokens


def add_tokens(p):
    _corpus_arg(p)
    p.add_argument("--doc", required=True, metavar="ID", help="document id from the manifest")
    p.add_argument("--all", action="store_true", help="print every token with its POS (lossless segmentation)")
    p.add_argument("--drop-proper", action="store_true", help="drop proper nouns (places, people, organisations)")


def run_tokens(args) -> int:
    from .segmentation import segment, tokenize

    corp = _load(args)
    doc = corp[args.doc]
    if args.all:
        seg = segment(doc.text)
        for row in seg.itertuples(index=False):
            print(f"{row.token!r}\t{row.pos}")
    else:
        print(" ".join(tokenize(doc.text, drop_proper=args.drop_proper)))
    return 0


# --------------------------------------------------------------------------- manifest


def add_manifest(p):
    p.add_argument("folder", help="folder of .txt files")
    p.add_argument("--group-from-name", action="store_true",
                   help="fill the region column with each file's name (one group per file)")
    p.add_argument("--write", action="store_true", help="write manifest.csv into the folder (refuses to overwrite)")


def run_manifest(args) -> int:
    from .corpus import draft_manifest

    df = draft_manifest(args.folder, group_from="stem" if args.group_from_name else None)
    if args.write:
        target = Path(args.folder) / "manifest.csv"
        if target.exists():
            print(f"{target} exists already; remove it first or edit it by hand.", file=sys.stderr)
            return 1
        df.to_csv(target, index=False, lineterminator="\n")
        print(f"wrote {target} ({len(df)} documents): fill in region, date, genre, title and issuer.")
    else:
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


# --------------------------------------------------------------------------- figures


def add_figures(p):
    _corpus_arg(p)
    _by_arg(p)


def run_figures(args) -> int:
    """Write the corpus overview figures (lengths, cleaning, word cloud)."""
    import matplotlib

    matplotlib.use("Agg")
    from .plots import save_fig, setup
    from .plots.corpus import cleaning_summary, document_lengths, wordcloud
    from .vectors import dfm

    setup("corpus")
    corp = _load(args)
    frame = corp.to_frame()
    written = []
    written += save_fig(document_lengths(frame, by=args.by), "lengths")
    written += save_fig(cleaning_summary(corp.accounting()), "cleaning")
    totals = dfm(corp, drop_proper=True).totals()
    written += save_fig(wordcloud(totals.head(120), title="语料词云 Corpus word cloud"), "wordcloud")
    for p in written:
        print(p)
    return 0


# --------------------------------------------------------------------------- keyness


def add_keyness(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--top", type=int, default=20, metavar="N",
                   help="terms per comparison and side (default: 20; 0 = every term)")
    p.add_argument("--pairwise", action="store_true", help="compare each group with each other group, not with the rest")
    p.add_argument("--side", choices=["positive", "negative", "both"], default="positive",
                   help="over-represented terms (default), under-represented, or both")
    p.add_argument("--min-count", type=int, default=3, metavar="N", help="minimum count in target and reference together (default: 3)")
    p.add_argument("--correction", choices=["bh", "bonferroni", "none"], default="bh",
                   help="multiple-comparison adjustment for p_adj (default: bh)")
    p.add_argument("--drop-proper", action="store_true", help="leave out proper nouns (places, people, organisations)")
    _format_arg(p)


def run_keyness(args) -> int:
    """Print the keywords of each group (G2, p, log ratio …) as a table or CSV."""
    from .keyness import keyness, top_terms

    corp = _load(args)
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
    _emit(table, args.format)
    return 0


# --------------------------------------------------------------------------- report


def add_report(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--out", metavar="DIR", default=None, help="output folder (default: site/)")
    p.add_argument("--only", metavar="NN", nargs="*", default=None,
                   help="run only the notebooks whose names start with these prefixes (e.g. 01 02)")


def run_report(args) -> int:
    from .report import build_report, notebook_paths

    paths = notebook_paths()
    if args.only:
        paths = [p for p in paths if any(p.name.startswith(o) for o in args.only)]
    index = build_report(args.out, corpus=args.corpus, by=args.by, notebooks=paths,
                         progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(f"report written: {index}")
    return 0


# --------------------------------------------------------------------------- emphasis


def add_emphasis(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--lexicon", metavar="YAML", default=None,
                   help="emphasis lexicon file (default: analysis/data/emphasis.yaml)")
    p.add_argument("--n-boot", type=int, default=2000, metavar="N", help="bootstrap replicates (default: 2000; 0: none)")
    p.add_argument("--level", type=float, default=0.95, help="confidence level of the intervals (default: 0.95)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the suite's seed)")
    p.add_argument("--unit", choices=["sentence", "document"], default="sentence",
                   help="what the bootstrap resamples within a group (default: sentence)")
    _format_arg(p)


def run_emphasis(args) -> int:
    """Print each group's rate per 1,000 characters for each emphasis category, with bootstrap intervals."""
    from .emphasis import DEFAULT_SEED, emphasis

    corp = _load(args)
    try:
        table = emphasis(corp, by=args.by, lexicon=args.lexicon, n_boot=args.n_boot,
                         level=args.level, seed=DEFAULT_SEED if args.seed is None else args.seed, unit=args.unit)
    except ValueError as exc:  # a bad --n-boot or --level (lexicon and corpus errors are AnalysisErrors)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cols = ["group", "category", "kind", "rate_per_1000", "ci_low", "ci_high", "count", "n_chars", "n_sentences",
            "sentence_share", "share_low", "share_high"]
    _emit(table[cols], args.format)
    return 0


# --------------------------------------------------------------------------- bench


def add_bench(p):
    p.add_argument("--corpus", metavar="DIR", help="folder of .txt files (default: the shared city work reports)")
    p.add_argument("--quick", action="store_true", help="1 and 8 MB only; equivalence on the seeds and 10 reports")
    p.add_argument("--sizes", metavar="MB,MB", help="corpus sizes in MB (default 1,8,64)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all usable CPUs)")
    p.add_argument("--no-equivalence", action="store_true", help="skip the token-for-token check")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")


def run_bench(args) -> int:
    """Run benchmarks/run.py (raw jieba vs the pipeline, cold and warm, 1 to 64 MB)."""
    import subprocess

    from .config import project_root

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


# --------------------------------------------------------------------------- slogans


def add_slogans(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--top", type=int, default=50, metavar="N", help="print the N best-ranked slogans (default 50; 0 = all)")
    _format_arg(p)
    p.add_argument("--lexicon-candidates", metavar="FILE", default=None,
                   help="also write mined formulations missing from the lexicon to FILE (TSV) for review; "
                        "never edits the lexicon (docs/feeding-the-lexicon.md)")


def run_slogans(args) -> int:
    """Print the ranked formulations (提法) of the corpus: slogan, kind, family, count, n_docs, groups."""
    from .methods.slogans import find_slogans, lexicon_candidates, write_lexicon_candidates

    corp = _load(args)
    df = find_slogans(corp, by=args.by)
    top = df if not args.top else df.head(args.top)
    cols = ["rank", "slogan", "kind", "family", "count", "n_docs", "n_groups", "groups", "score"]
    _emit(top[cols], args.format)
    if args.lexicon_candidates:
        cand = lexicon_candidates(df, top=args.top or None)
        path = write_lexicon_candidates(cand, args.lexicon_candidates)
        print(f"wrote {len(cand)} lexicon candidate(s) to {path}: review them before pasting any into "
              "analysis/data/lexicon.tsv", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- registry

COMMANDS = {
    "check": (add_check, run_check, "validate a corpus folder and list every problem"),
    "tokens": (add_tokens, run_tokens, "print a document's tokens"),
    "manifest": (add_manifest, run_manifest, "draft a manifest.csv for a folder of .txt files"),
    "figures": (add_figures, run_figures, "write the corpus overview figures into figures/"),
    "report": (add_report, run_report, "run every notebook on a corpus and render the static site"),
    "keyness": (add_keyness, run_keyness, "distinctive terms of each group: G2, p, log ratio, log-odds z"),
    "emphasis": (add_emphasis, run_emphasis, "what each group stresses and how forcefully, per 1,000 characters with intervals"),
    "bench": (add_bench, run_bench, "benchmark the pipeline against raw jieba (cold, warm, 1 to 64 MB)"),
    "slogans": (add_slogans, run_slogans, "mine the recurring formulations (提法), ranked, with families and groups"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (add, _, help_) in COMMANDS.items():
        add(sub.add_parser(name, help=help_, description=help_))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _, run, _ = COMMANDS[args.command]
    try:
        return run(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
