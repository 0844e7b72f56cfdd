"""Command line: ``python -m analysis SUBCOMMAND …`` (``--help`` on each).

Each subcommand is a pair: ``add_<name>(parser)`` here declares its
arguments, and ``run_<name>(args)`` in :mod:`analysis.commands` does the work
and returns an exit code. Register new ones in ``COMMANDS``. Errors of the suite (:class:`~analysis.errors.AnalysisError`)
are printed as a plain message with exit code 2, never as a traceback.
"""
from __future__ import annotations

import argparse
import sys

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






# --------------------------------------------------------------------------- check


def add_check(p):
    _corpus_arg(p)




# --------------------------------------------------------------------------- tokens


def add_tokens(p):
    _corpus_arg(p)
    p.add_argument("--doc", required=True, metavar="ID", help="document id from the manifest")
    p.add_argument("--all", action="store_true", help="print every token with its POS (lossless segmentation)")
    p.add_argument("--drop-proper", action="store_true", help="drop proper nouns (places, people, organisations)")




# --------------------------------------------------------------------------- manifest


def add_manifest(p):
    p.add_argument("folder", help="folder of .txt files")
    p.add_argument("--group-from-name", action="store_true",
                   help="fill the grouping column ($ANALYSIS_BY, else region) with each file's name (one group per file)")
    p.add_argument("--write", action="store_true", help="write manifest.csv into the folder (refuses to overwrite)")




# --------------------------------------------------------------------------- figures


def add_figures(p):
    _corpus_arg(p)
    _by_arg(p)




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




# --------------------------------------------------------------------------- report


def add_report(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--out", metavar="DIR", default=None, help="output folder (default: site/)")
    p.add_argument("--only", metavar="NN", nargs="*", default=None,
                   help="run only the notebooks whose names start with these prefixes (e.g. 01 02)")




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




# --------------------------------------------------------------------------- bench


def add_bench(p):
    p.add_argument("--corpus", metavar="DIR", help="folder of .txt files (default: the shared city work reports)")
    p.add_argument("--quick", action="store_true", help="1 and 8 MB only; equivalence on the seeds and 10 reports")
    p.add_argument("--sizes", metavar="MB,MB", help="corpus sizes in MB (default 1,8,64)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all usable CPUs)")
    p.add_argument("--no-equivalence", action="store_true", help="skip the token-for-token check")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")




# --------------------------------------------------------------------------- slogans


def add_slogans(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--top", type=int, default=50, metavar="N", help="print the N best-ranked slogans (default 50; 0 = all)")
    _format_arg(p)
    p.add_argument("--lexicon-candidates", metavar="FILE", default=None,
                   help="also write mined formulations missing from the lexicon to FILE (TSV) for review; "
                        "never edits the lexicon (docs/feeding-the-lexicon.md)")




# --------------------------------------------------------------------------- registry

COMMANDS = {
    "check": (add_check, "validate a corpus folder and list every problem"),
    "tokens": (add_tokens, "print a document's tokens"),
    "manifest": (add_manifest, "draft a manifest.csv for a folder of .txt files"),
    "figures": (add_figures, "write the corpus overview figures into figures/"),
    "report": (add_report, "run every notebook on a corpus and render the static site"),
    "keyness": (add_keyness, "distinctive terms of each group: G2, p, log ratio, log-odds z"),
    "emphasis": (add_emphasis, "what each group stresses and how forcefully, per 10,000 characters with intervals"),
    "bench": (add_bench, "benchmark the pipeline against raw jieba (cold, warm, 1 to 64 MB)"),
    "slogans": (add_slogans, "mine the recurring formulations (提法), ranked, with families and groups"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (add, help_) in COMMANDS.items():
        add(sub.add_parser(name, help=help_, description=help_))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from . import commands  # the analyses' imports take a second or two: not for --help

    run = getattr(commands, f"run_{args.command.replace('-', '_')}")
    try:
        return run(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
