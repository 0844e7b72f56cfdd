"""The command line: python -m analysis COMMAND [options] (--help on each command).

Each subcommand is a pair: ``add_<name>(parser)`` here declares its
arguments, and ``run_<name>(args)`` in :mod:`analysis.commands` does the work
and returns an exit code. Register new ones in ``COMMANDS``. A user's error
(a bad argument, a corpus problem, a file that cannot be written) is a plain
message with its fix and exit code 2, never a traceback: arguments are
checked by argparse types here, the suite's errors
(:class:`~analysis.errors.AnalysisError`) are caught in :func:`main`.
"""
from __future__ import annotations

import argparse
import sys

from .config import DEFAULT_BY
from .errors import AnalysisError

DESCRIPTION = ("Comparative text analytics of Chinese policy documents. "
               "Run 'python -m analysis COMMAND --help' for the options of a command.")
EPILOG = """examples:
  python -m analysis check --corpus DIR --by COLUMN
  python -m analysis keyness --corpus DIR --by COLUMN --top 10
  python -m analysis keyness --format xlsx --output keyness.xlsx
  python -m analysis report --corpus DIR --by COLUMN --out DIR/site

Every command groups by --by, else $ANALYSIS_BY, else the column region."""


# --------------------------------------------------------------------------- argument types


def whole_number(minimum: int, example: int, what: str = "a number"):
    """An argparse type: a whole number of at least ``minimum``; the message says what to give instead."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give {what}, for example {example}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"{n} is less than {minimum}; give {what}, for example {example}")
        return n

    parse.__name__ = "whole number"
    return parse


def fraction(text: str) -> float:
    """An argparse type: a number strictly between 0 and 1 (a confidence level)."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; give a level between 0 and 1, for example 0.95") from None
    if not 0 < x < 1:
        raise argparse.ArgumentTypeError(f"{x:g} is not between 0 and 1; give a level such as 0.9 or 0.95")
    return x


TOP = "0 or more (0 = every row)"


def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", metavar="DIR", default=None,
                   help="corpus folder with manifest.csv, or a .jsonl, .csv or .parquet table with one document per "
                        "row (default: $ANALYSIS_CORPUS, else seeds/)")
    p.add_argument("--id-column", metavar="NAME", default=None,
                   help="for a table: the column of document ids (default: $ANALYSIS_ID_COLUMN, else id; "
                        "rows are numbered when there is none)")
    p.add_argument("--text-column", metavar="NAME", default=None,
                   help="for a table: the column of the documents' text (default: $ANALYSIS_TEXT_COLUMN, else text)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run the heavy steps (cleaning, segmenting, counting, the per-document parts of slogans and "
                        "emphasis) on a Dask cluster: its scheduler's address, tcp://HOST:8786 "
                        "(default: $ANALYSIS_SCHEDULER, else this machine's cores)")
    p.add_argument("--metadata", metavar="CSV", default=None,
                   help="a CSV of metadata to join to the documents: its first column is the key (a column of the "
                        "corpus, such as id), the others are added (default: $ANALYSIS_METADATA)")


def _by_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", metavar="COLUMN", default=DEFAULT_BY,
                   help="manifest column to group by, or a period of a date column: date:year, date:month, date:quarter, "
                        "date:decade, date:5y (default: $ANALYSIS_BY, else region; 'id': each document)")


def _output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "csv", "xlsx"], default=None,
                   help="table: rounded, fitted to a 100-column terminal; csv: every column, full precision; "
                        "xlsx: a spreadsheet, one sheet per table after a sheet with the corpus and options "
                        "(needs --output). Default: from the --output suffix, else table")
    p.add_argument("--output", "-o", metavar="FILE", default=None,
                   help="write to FILE instead of the terminal")


# --------------------------------------------------------------------------- check


def add_check(p):
    _corpus_arg(p)
    _by_arg(p)


# --------------------------------------------------------------------------- tokens


def add_tokens(p):
    _corpus_arg(p)
    p.add_argument("--doc", required=True, metavar="ID", help="document id from the manifest")
    p.add_argument("--all", action="store_true",
                   help="print every token with its part of speech, one per line (lossless segmentation; "
                        "line breaks and tabs inside a token are written \\n and \\t)")
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
    p.add_argument("--top", type=whole_number(0, 20, TOP), default=20, metavar="N",
                   help="terms per comparison and side (default: 20; 0 = every term)")
    p.add_argument("--pairwise", action="store_true", help="compare each group with each other group, not with the rest")
    p.add_argument("--side", choices=["positive", "negative", "both"], default="positive",
                   help="over-represented terms (default), under-represented, or both")
    p.add_argument("--min-count", type=whole_number(1, 3, "1 or more"), default=3, metavar="N",
                   help="minimum count in target and reference together (default: 3)")
    p.add_argument("--correction", choices=["bh", "bonferroni", "none"], default="bh",
                   help="multiple-comparison adjustment for p_adj (default: bh)")
    p.add_argument("--keep-proper", action="store_true",
                   help="keep proper nouns (places, people, organisations); by default they are left out, "
                        "as in the notebooks' rhetoric view")
    p.add_argument("--drop-proper", action="store_true", help=argparse.SUPPRESS)  # the default now; still accepted
    p.add_argument("--no-phrases", action="store_true",
                   help="count the segmenter's tokens as they are; by default the corpus's phrases (营商环境, "
                        "专精特新 …, see the collocations command) count as one term each")
    p.add_argument("--all-tokens", action="store_true",
                   help="count function words too (pronouns, conjunctions, particles, time and degree fillers); "
                        "by default only content words count")
    p.add_argument("--min-docs", type=whole_number(0, 2, "0 or more (0: no rule)"), default=2, metavar="N",
                   help="keep a term only if N documents of the side that uses it more use it (default: 2; "
                        "a one-document side is never filtered)")
    p.add_argument("--no-doc-test", action="store_true",
                   help="skip the permutation test with documents as the unit (doc_p, doc_p_adj)")
    p.add_argument("--williams", action="store_true", help="Williams' correction of G2")
    p.add_argument("--yates", action="store_true", help="Yates' correction of chi2")
    p.add_argument("--fisher", action="store_true", help="also Fisher's exact test (fisher_p, fisher_p_adj)")
    p.add_argument("--alpha0", type=float, default=None, metavar="X",
                   help="pseudo-count of the log-odds prior (default: the corpus's number of tokens)")
    _output_args(p)


# --------------------------------------------------------------------------- collocations


def add_collocations(p):
    _corpus_arg(p)
    p.add_argument("--size", metavar="N,N", default="2,3",
                   help="lengths of the sequences in tokens, comma-separated (default: 2,3)")
    p.add_argument("--min-count", type=whole_number(1, 2, "1 or more"), default=5, metavar="N",
                   help="leave out sequences seen fewer times (default: 5)")
    p.add_argument("--phrases", action="store_true",
                   help="list the phrases keyness joins into one term instead (found pair by pair; write them "
                        "with --output phrases.tsv, review, and put the file into the corpus folder to use yours)")
    p.add_argument("--top", type=whole_number(0, 50, TOP), default=50, metavar="N",
                   help="print the N strongest (default 50; 0 = all)")
    _output_args(p)


# --------------------------------------------------------------------------- report


def add_report(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--out", metavar="DIR", default=None,
                   help="output folder (default: site/). It must be new, empty or an earlier report; "
                        "inside the corpus folder it is left out of the corpus")
    p.add_argument("--only", metavar="NN", nargs="*", default=None,
                   help="run only the notebooks whose names start with these prefixes (e.g. 01 02)")


# --------------------------------------------------------------------------- emphasis


def add_emphasis(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--lexicon", metavar="NAME|PATH", default=None,
                   help="the emphasis instrument: a name (governance, covid) or a YAML file (default: the one the "
                        "corpus folder's corpus.yaml names, else governance)")
    p.add_argument("--n-boot", type=whole_number(0, 2000, "0 or more (0: no intervals)"), default=2000, metavar="N",
                   help="bootstrap replicates (default: 2000; 0: none)")
    p.add_argument("--level", type=fraction, default=0.95, help="confidence level of the intervals (default: 0.95)")
    p.add_argument("--seed", type=whole_number(0, 1, "0 or more"), default=None,
                   help="random seed (default: the suite's seed)")
    p.add_argument("--unit", choices=["auto", "sentence", "document"], default="auto",
                   help="what the bootstrap resamples within a group (default: auto: documents when every group "
                        "has five, else sentences)")
    _output_args(p)


# --------------------------------------------------------------------------- bench


def add_bench(p):
    p.add_argument("--corpus", metavar="DIR", help="folder of .txt files (default: the shared city work reports)")
    p.add_argument("--quick", action="store_true", help="1 and 8 MB only; equivalence on the seeds and 10 reports")
    p.add_argument("--sizes", metavar="MB,MB", help="corpus sizes in MB (default 1,8,64,512)")
    p.add_argument("--workers", type=whole_number(1, 2, "1 or more"), metavar="N",
                   help="worker processes (default: all usable CPUs)")
    p.add_argument("--no-equivalence", action="store_true", help="skip the token-for-token check")
    p.add_argument("--dask-only", action="store_true",
                   help="only the local path against a two-worker local Dask cluster, cold, with identical results")
    p.add_argument("--analyses-only", action="store_true",
                   help="only the analyses (dfm, keyness, collocations, slogans, emphasis), each in a fresh process "
                        "on a warm cache: time per MB and peak memory (sizes default 8,64)")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")


# --------------------------------------------------------------------------- slogans


def add_slogans(p):
    _corpus_arg(p)
    _by_arg(p)
    p.add_argument("--top", type=whole_number(0, 50, TOP), default=50, metavar="N",
                   help="print the N best-ranked slogans (default 50; 0 = all)")
    _output_args(p)
    p.add_argument("--lexicon-candidates", metavar="FILE", default=None,
                   help="also write mined formulations missing from the lexicon to FILE (TSV) for review; "
                        "never edits the lexicon (docs/feeding-the-lexicon.md)")


# --------------------------------------------------------------------------- diffusion and reuse (time)


def _date_column_arg(p):
    p.add_argument("--date", metavar="COLUMN", default="date",
                   help="the column of ISO dates (YYYY-MM-DD, YYYY-MM or YYYY; default: date)")


def add_diffusion(p):
    _corpus_arg(p)
    _by_arg(p)
    _date_column_arg(p)
    p.add_argument("--terms", metavar="T1,T2", default=None,
                   help="the formulations to trace, comma-separated (default: the --top formulations the miner finds)")
    p.add_argument("--top", type=whole_number(1, 30, "1 or more"), default=30, metavar="N",
                   help="how many mined formulations to trace (default: 30)")
    p.add_argument("--table", choices=["first", "adoption", "periods"], default="first",
                   help="first: each formulation's first use (default); adoption: when each group first used it and "
                        "the lag in days; periods: documents using it, period by period (--period)")
    p.add_argument("--period", metavar="COLUMN:FREQ", default=None,
                   help="the periods of --table periods (date:year, date:decade, date:5y …; default: $ANALYSIS_PERIOD, "
                        "else suggested from the dates)")
    _output_args(p)


def add_reuse(p):
    _corpus_arg(p)
    _by_arg(p)
    _date_column_arg(p)
    p.add_argument("--min-len", type=whole_number(2, 12, "2 or more"), default=12, metavar="N",
                   help="shortest shared passage in characters (default: 12)")
    p.add_argument("--max-docs", type=whole_number(2, 10, "2 or more"), default=None, metavar="N",
                   help="skip passages found in more than N documents (corpus-wide formulas; default: no limit)")
    p.add_argument("--table", choices=["groups", "passages"], default="groups",
                   help="groups: who reuses whom, by the groups of source and target (default); passages: every "
                        "shared passage with its source, target and lag")
    _output_args(p)


# --------------------------------------------------------------------------- trends, shifts (time)


def _period_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", metavar="COLUMN:FREQ", default=None,
                   help="the time axis: a date column and the periods' width: date:year, date:month, date:quarter, "
                        "date:decade, date:20y (default: $ANALYSIS_PERIOD, else suggested from the dates: the "
                        "coarsest width with three periods); undated documents are left out, named")


def add_trends(p):
    _corpus_arg(p)
    p.add_argument("--terms", required=True, metavar="T1,T2",
                   help="terms, phrases or formulations, comma-separated, matched literally as kwic finds them")
    p.add_argument("--by", metavar="COLUMN", default=None,
                   help="also split each period by this column (default: the whole corpus, one line per term)")
    _period_arg(p)
    p.add_argument("--n-boot", type=whole_number(0, 2000, "0 or more (0: no intervals)"), default=2000, metavar="N",
                   help="bootstrap replicates over each period's documents (default: 2000; 0: none)")
    p.add_argument("--level", type=fraction, default=0.95, help="confidence level of the intervals (default: 0.95)")
    p.add_argument("--seed", type=whole_number(0, 1, "0 or more"), default=None,
                   help="random seed (default: the suite's seed)")
    _output_args(p)


def add_shifts(p):
    _corpus_arg(p)
    _period_arg(p)
    p.add_argument("--top", type=whole_number(0, 20, TOP), default=20, metavar="N",
                   help="terms per pair of periods and side (default: 20; 0 = every term)")
    p.add_argument("--side", choices=["positive", "negative", "both"], default="both",
                   help="terms that rose (positive), fell (negative), or both (default)")
    p.add_argument("--lifespans", action="store_true",
                   help="instead: every term's first and last use, peak period and status (new, faded …)")
    p.add_argument("--min-count", type=whole_number(1, 3, "1 or more"), default=None, metavar="N",
                   help="minimum count of a term (default: 3 for keyness, 5 for --lifespans)")
    p.add_argument("--min-docs", type=whole_number(0, 2, "0 or more (0: no rule)"), default=2, metavar="N",
                   help="documents that must use a term (default: 2; see keyness --help)")
    p.add_argument("--keep-proper", action="store_true", help="keep proper nouns (left out by default)")
    p.add_argument("--no-phrases", action="store_true", help="count the segmenter's tokens, not the corpus's phrases")
    p.add_argument("--no-doc-test", action="store_true", help="skip the permutation test with documents as the unit")
    _output_args(p)


# --------------------------------------------------------------------------- exercises


def add_exercises(p):
    p.add_argument("--out", metavar="DIR", required=True,
                   help="folder to write teacher/ (notebooks with solutions) and student/ (without) into")


# --------------------------------------------------------------------------- registry

COMMANDS = {
    "check": (add_check, "validate a corpus folder and its grouping column; list every problem with its fix"),
    "tokens": (add_tokens, "print a document's tokens"),
    "manifest": (add_manifest, "draft a manifest.csv for a folder of .txt files"),
    "figures": (add_figures, "write the corpus overview figures (lengths, cleaning, word cloud) into figures/"),
    "report": (add_report, "run every notebook on a corpus and render the static site"),
    "keyness": (add_keyness, "distinctive terms of each group: G2, p, log ratio, log-odds z, the documents behind them"),
    "collocations": (add_collocations, "word sequences that hold together (lambda, z, PMI, logDice, t) and the phrases "
                                       "counted as one term"),
    "emphasis": (add_emphasis, "what each group stresses and how forcefully, per 10,000 characters with intervals"),
    "slogans": (add_slogans, "mine the recurring formulations (提法), ranked, with families and groups"),
    "diffusion": (add_diffusion, "when each formulation was first used, by whom, and when each group took it up"),
    "reuse": (add_reuse, "shared passages with a direction: the earlier document is the likely source; who reuses whom"),
    "trends": (add_trends, "how often terms are used period by period, per 10,000 characters with intervals"),
    "shifts": (add_shifts, "what rose and fell: keyness of each period against the one before (or --lifespans)"),
    "exercises": (add_exercises, "write the notebooks for a class: a teacher's version with solutions, a student's without"),
    "bench": (add_bench, "benchmark the pipeline against raw jieba (cold, warm, 1 to 512 MB) and the analyses"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
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
