"""What each subcommand of ``python -m analysis`` does: ``run_<name>(args)`` returns an exit code.

The arguments are declared in :mod:`analysis.cli`, which imports this module
only when a subcommand runs, so ``--help`` answers at once. A user's error is
raised as an :class:`~analysis.errors.AnalysisError` (with its fix), which
:func:`analysis.cli.main` prints without a traceback.
"""
from __future__ import annotations

import difflib
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd

from . import __version__
from .config import DefaultBy, by_setting, corpus_dir, project_root, resolve_by
from .corpus import draft_manifest, grouping_problems, load_corpus, parse_period_spec, scan
from .errors import AnalysisError, CorpusError
from .exercises import write_class_notebooks
from .export import terminal_table, write_xlsx
from .lexicon import load_lexicon
from .methods.diffusion import adoption, diffusion, diffusion_by_period, formulation_list
from .methods.emphasis import DEFAULT_SEED, emphasis
from .methods.emphasis.rates import RATE, RATE_HIGH, RATE_LOW
from .methods.keyness import keyness, top_terms
from .methods.reuse import reuse_direction, who_reuses_whom
from .methods.shifts import adjacent_keyness, term_lifespans
from .methods.trends import trends
from .methods.slogans import find_slogans, lexicon_candidates, write_lexicon_candidates
from .phrases import collocations, find_phrases
from .report import build_report, notebook_paths
from .tokenization import segment, tokenize
from .vectors import dfm

__all__ = ["run_check", "run_tokens", "run_manifest", "run_figures", "run_keyness", "run_collocations", "run_report",
           "run_emphasis", "run_bench", "run_slogans", "run_exercises", "run_diffusion", "run_reuse", "run_trends",
           "run_shifts", "output_format", "corpus_period"]

#: How each command's table is shown in a terminal: the columns (the last ones go first when the table is
#: too wide), intervals shown as one column, decimals. CSV and spreadsheets keep every column.
KEYNESS_VIEW = dict(columns=["group", "reference", "term", "count", "ref_count", "per_10k", "ref_per_10k", "g2",
                             "p_adj", "log_ratio", "95% CI", "logodds_z"],
                    intervals={"95% CI": ("log_ratio_low", "log_ratio_high")}, max_cell=16)
EMPHASIS_VIEW = dict(columns=["group", "category", "kind", RATE, "95% CI", "count", "n_chars", "sentence_share"],
                     intervals={"95% CI": (RATE_LOW, RATE_HIGH)}, decimals={"sentence_share": 3}, max_cell=16)
COLLOCATIONS_VIEW = dict(columns=["collocation", "phrase", "tokens", "count", "docs", "z", "pmi", "logdice", "t", "pass",
                                  "share"], max_cell=24)
DIFFUSION_VIEW = dict(columns=["formulation", "first_date", "first_group", "tied", "n_docs", "n_groups", "count",
                               "first_doc", "precision"], max_cell=20)
ADOPTION_VIEW = dict(columns=["formulation", "group", "first_date", "lag_days", "documents", "group_documents",
                              "lag_exact", "tied", "first_doc"], max_cell=20)
PERIODS_VIEW = dict(columns=["formulation", "period", "group", "documents_using", "documents", "share"], max_cell=20)
REUSE_VIEW = dict(columns=["source_group", "target_group", "direction", "passages", "chars", "pairs",
                           "median_lag_days"], decimals=0, max_cell=22)
PASSAGES_VIEW = dict(columns=["source", "target", "direction", "lag_days", "length", "passage", "source_date",
                              "target_date"], max_cell=18)
TRENDS_VIEW = dict(columns=["term", "period", "group", "documents", "count", "n_chars", RATE, "CI"],
                   intervals={"CI": (RATE_LOW, RATE_HIGH)}, max_cell=20)
SHIFTS_VIEW = dict(columns=["period", "previous", "term", "count", "ref_count", "per_10k", "ref_per_10k", "g2",
                            "p_adj", "doc_p_adj", "log_ratio"], p_columns=("p_adj", "doc_p_adj"), max_cell=16)
LIFESPANS_VIEW = dict(columns=["term", "count", "docs", "first_period", "last_period", "peak_period",
                               "peak_per_10k", "status", "first_doc", "last_doc"], max_cell=16)
SLOGANS_VIEW = dict(columns=["rank", "slogan", "kind", "count", "n_docs", "n_groups", "score", "groups", "family"],
                    max_cell=24)


def output_format(args) -> str:
    """``--format``, else the ``--output`` file's suffix (.csv, .xlsx), else ``table``; xlsx needs ``--output``."""
    fmt = args.format
    out = getattr(args, "output", None)
    if fmt is None:
        suffix = Path(out).suffix.lower() if out else ""
        fmt = {".csv": "csv", ".xlsx": "xlsx"}.get(suffix, "table")
    if fmt == "xlsx" and not out:
        raise AnalysisError("--format xlsx writes a spreadsheet file, not text. Fix: add --output FILE.xlsx")
    return fmt


def _about(args, corp, by) -> list[tuple[str, str]]:
    """The first sheet of a spreadsheet: which corpus, which grouping, which options made the tables."""
    groups = corp.groups(by).value_counts().sort_index()
    rows = [("made by", f"python -m analysis {args.command} (analysis {__version__})"),
            ("corpus", str(Path(corp.path).resolve())),
            ("documents", str(len(corp))),
            ("characters (clean text)", f"{sum(len(d.text) for d in corp):,}"),
            ("grouped by", by if by is not None else "id (each document)"),
            ("groups", ", ".join(f"{g} ({n})" for g, n in groups.items()))]
    for k, v in vars(args).items():
        if k in ("command", "corpus", "by", "format", "output") or v is None or v is False:
            continue
        rows.append((f"--{k.replace('_', '-')}", "yes" if v is True else str(v)))
    return rows


def emit(name: str, df: pd.DataFrame, args, corp, by, view: dict) -> None:
    """Write one result table as ``args`` ask: an aligned table or CSV (terminal or --output), or a spreadsheet."""
    fmt = output_format(args)
    out = getattr(args, "output", None)
    try:
        if fmt == "xlsx":
            write_xlsx(out, {name: df}, _about(args, corp, by))
            print(f"wrote {out}: sheets about, {name} ({len(df)} rows)", file=sys.stderr)
            return
        if fmt == "csv":
            text = df.to_csv(index=False, float_format="%.6g", lineterminator="\n")
        else:
            text, left_out = terminal_table(df, **view)
            text += "\n"
            if left_out:
                print(f"(left out to fit {100} columns: {', '.join(left_out)}; --format csv or xlsx has every "
                      "column)", file=sys.stderr)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            print(f"wrote {out} ({len(df)} rows)", file=sys.stderr)
        else:
            sys.stdout.write(text)
    except OSError as exc:
        raise AnalysisError(f"cannot write {out}: {exc.strerror or exc}. "
                            "Fix: give --output a file in a folder that exists and that you can write to") from None


def plainly(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, its warnings printed to stderr as plain messages (no source line)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn(*args, **kwargs)
    for w in caught:
        print(str(w.message), file=sys.stderr)
    return result


def load(args):
    """The corpus of ``--corpus``; its warnings go to stderr, its errors raise :class:`CorpusError`."""
    if getattr(args, "scheduler", None):  # --scheduler: this command's heavy steps on that Dask cluster
        os.environ["ANALYSIS_SCHEDULER"] = args.scheduler
    return plainly(load_corpus, args.corpus, id_column=getattr(args, "id_column", None),
                   text_column=getattr(args, "text_column", None), metadata=getattr(args, "metadata", None))


def grouped(corp, by):
    """``by`` resolved, after checking that it gives at least two groups (else a :class:`CorpusError` with the fix)."""
    by = resolve_by(by)
    errors = [q for q in grouping_problems(corp, by) if q.severity == "error"]
    if errors:
        raise CorpusError(errors, str(corp.path), check=f"python -m analysis check --corpus DIR --by {by or 'id'}")
    return by


def run_check(args) -> int:
    """Print every problem of the corpus folder and of its grouping column (errors first), then the documents.

    Exit code 1 when there is an error, else 0 (warnings only).
    """

    folder = corpus_dir(args.corpus)
    corp, problems = scan(folder, id_column=args.id_column, text_column=args.text_column, metadata=args.metadata)
    by = resolve_by(args.by)
    implicit = isinstance(args.by, DefaultBy) and not by_setting()  # no --by, no ANALYSIS_BY
    if corp is not None and len(corp):
        problems = problems + grouping_problems(corp, by, implicit=implicit)
    errors = [q for q in problems if q.severity == "error"]
    for q in sorted(problems, key=lambda q: q.severity != "error"):
        print(q)
    if corp is not None and len(corp):
        df = corp.to_frame().merge(corp.accounting()[["doc_id", "chars_removed"]], left_on="id", right_on="doc_id")
        cols = ["id", "file", "encoding", "n_chars_raw", "chars_removed", "n_chars"]
        text, _ = terminal_table(df[cols], max_cell=30)
        print(("\n" if problems else "") + text)
    n_chars = sum(len(d.text) for d in corp) if corp is not None else 0
    n_docs = len(corp) if corp is not None else 0
    if errors:
        print(f"\n{folder}: {len(errors)} error(s), {len(problems) - len(errors)} warning(s); "
              f"{n_docs} document(s) load. Fix the errors and run the check again.")
        return 1
    if by is not None and by not in corp.columns:  # the default column, missing: a warning above
        print(f"\n{folder}: OK · {n_docs} documents · {n_chars:,} characters · {len(problems)} warning(s).")
        return 0
    if corp.lexicon:
        print(f"\nlexicon: the package's and the corpus's own {corp.lexicon[-1]} "
              f"({len(load_lexicon(corp.lexicon[-1])):,} terms)")
    sizes = corp.groups(by).value_counts().sort_index()
    shown = ", ".join(f"{g} ({n})" for g, n in list(sizes.items())[:8]) + (" …" if len(sizes) > 8 else "")
    print(f"\n{folder}: OK · {n_docs} documents · {n_chars:,} characters · grouped by {by or 'id'}: "
          f"{len(sizes)} groups, {shown} · {len(problems)} warning(s).")
    return 0


def _visible(token: str) -> str:
    """A token on one line: backslashes, line breaks and tabs written as escapes, everything else as is."""
    return token.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def run_tokens(args) -> int:
    """Print a document's content tokens (or, with --all, every token and its part of speech)."""

    corp = load(args)
    if args.doc not in corp.ids:
        close = difflib.get_close_matches(args.doc, corp.ids, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? Else g" if close else "G"
        ids = ", ".join(corp.ids[:8]) + (f" … ({len(corp)} in all)" if len(corp) > 8 else "")
        raise AnalysisError(f"no document {args.doc!r} in {corp.path}. Fix: {hint}ive --doc one of the ids "
                            f"in manifest.csv: {ids}")
    doc = corp[args.doc]
    if args.all:
        seg = segment(doc.text)
        for row in seg.itertuples(index=False):
            print(f"{_visible(row.token)}\t{row.pos}")
    else:
        print(" ".join(tokenize(doc.text, drop_proper=args.drop_proper)))
    return 0


def run_manifest(args) -> int:
    """Draft a manifest for a folder of .txt files (print it, or write it with --write)."""

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
    """Print the keywords of each group (G2, p, log ratio …): rounded table, CSV or spreadsheet."""

    output_format(args)  # a wrong combination fails before the corpus is read
    corp = load(args)
    by = grouped(corp, args.by)
    try:
        table = plainly(keyness, corp, by=by, compare="pairwise" if args.pairwise else "rest", min_count=args.min_count,
                        correction=None if args.correction == "none" else args.correction,
                        drop_proper=not args.keep_proper, phrases=not args.no_phrases, content=not args.all_tokens,
                        min_docs=args.min_docs or None, doc_test=not args.no_doc_test, williams=args.williams,
                        yates=args.yates, fisher=args.fisher, alpha0=args.alpha0)
    except ValueError as exc:  # e.g. a group without tokens
        raise AnalysisError(f"{exc}. Fix: check the grouping with `python -m analysis check --by {by or 'id'}`") from None
    if args.top > 0:
        table = top_terms(table, n=args.top, side=args.side)
    elif args.side != "both":
        table = top_terms(table, n=len(table), side=args.side)
    view = dict(KEYNESS_VIEW)
    if not args.pairwise:
        view["columns"] = [c for c in view["columns"] if c != "reference"]
    emit("keyness", table, args, corp, by, view)
    return 0


def run_collocations(args) -> int:
    """Print the corpus's collocations (quanteda's lambda and z, PMI, logDice, t), or the phrases keyness joins."""

    output_format(args)
    try:
        sizes = sorted({int(s) for s in args.size.split(",") if s.strip()})
    except ValueError:
        raise AnalysisError(f"--size {args.size!r} is not a list of numbers. Fix: for example --size 2,3") from None
    corp = load(args)
    try:
        table = find_phrases(corp) if args.phrases else collocations(corp, size=sizes, min_count=args.min_count)
    except ValueError as exc:
        raise AnalysisError(f"{exc}. Fix: --size between 2 and 6") from None
    top = table if not args.top else table.head(args.top)
    emit("phrases" if args.phrases else "collocations", top, args, corp, None, COLLOCATIONS_VIEW)
    return 0


def run_report(args) -> int:
    """Run the notebooks on a corpus and write the static site (index, pages with code, reader pages)."""

    paths = notebook_paths()
    if args.only:
        paths = [p for p in paths if any(p.name.startswith(o) for o in args.only)]
        if not paths:
            names = ", ".join(p.name.split("_")[0] for p in notebook_paths())
            raise AnalysisError(f"--only {' '.join(args.only)} matches no notebook. Fix: give prefixes of {names}")
    index = build_report(args.out, corpus=args.corpus, by=args.by, notebooks=paths,
                         progress=lambda msg: print(msg, file=sys.stderr, flush=True),
                         id_column=getattr(args, "id_column", None), text_column=getattr(args, "text_column", None),
                         metadata=getattr(args, "metadata", None))
    print(f"report written: {index}")
    return 0


def run_emphasis(args) -> int:
    """Print each group's rate per 10,000 characters for each emphasis category, with bootstrap intervals."""

    output_format(args)
    corp = load(args)
    by = grouped(corp, args.by)
    try:
        table = plainly(emphasis, corp, by=by, lexicon=args.lexicon, n_boot=args.n_boot,
                         level=args.level, seed=DEFAULT_SEED if args.seed is None else args.seed, unit=args.unit)
    except ValueError as exc:  # a bad --n-boot or --level (lexicon and corpus errors are AnalysisErrors)
        raise AnalysisError(str(exc)) from None
    cols = ["group", "category", "kind", RATE, RATE_LOW, RATE_HIGH, "count", "n_chars", "n_sentences",
            "sentence_share", "share_low", "share_high"]
    emit("emphasis", table[cols], args, corp, by, EMPHASIS_VIEW)
    return 0


def run_bench(args) -> int:
    """Run benchmarks/run.py (raw jieba vs the pipeline, cold and warm, 1 to 512 MB; or the analyses alone)."""

    script = project_root() / "benchmarks" / "run.py"
    if not script.is_file():
        print(f"{script} not found: the benchmark ships with the project checkout, not the installed package.",
              file=sys.stderr)
        return 1
    argv = [f"--{k.replace('_', '-')}" for k in ("quick", "no_equivalence", "dask_only", "analyses_only") if getattr(args, k, False)]
    for k in ("corpus", "sizes", "workers", "json"):
        if getattr(args, k) is not None:
            argv += [f"--{k}", str(getattr(args, k))]
    return subprocess.call([sys.executable, str(script), *argv])


def run_slogans(args) -> int:
    """Print the ranked formulations (提法) of the corpus: slogan, kind, family, count, n_docs, groups."""

    output_format(args)
    corp = load(args)
    by = resolve_by(args.by)
    corp.groups(by)  # a missing column fails here; one group is fine for mining
    df = find_slogans(corp, by=by)
    top = df if not args.top else df.head(args.top)
    cols = ["rank", "slogan", "kind", "family", "count", "n_docs", "n_groups", "groups", "score"]
    emit("slogans", top[cols], args, corp, by, SLOGANS_VIEW)
    if args.lexicon_candidates:
        cand = lexicon_candidates(df, top=args.top or None)
        try:
            path = write_lexicon_candidates(cand, args.lexicon_candidates)
        except OSError as exc:
            raise AnalysisError(f"cannot write {args.lexicon_candidates}: {exc.strerror or exc}. "
                                "Fix: give a file in a folder that exists and that you can write to") from None
        print(f"wrote {len(cand)} lexicon candidate(s) to {path}: review them before pasting any into "
              "analysis/data/lexicon.tsv", file=sys.stderr)
    return 0


def run_exercises(args) -> int:
    """Write the teacher's notebooks (with solutions) and the student's (without) into --out."""

    written = write_class_notebooks(args.out)
    for kind, paths in written.items():
        print(f"{kind}: {len(paths)} notebooks in {paths[0].parent}" if paths else f"{kind}: none")
    return 0


# --------------------------------------------------------------------------- diffusion and reuse (time)


def dates_as_text(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its date columns written as ISO days (empty when missing), for terminals and CSV."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d").fillna("")
    return out


def split_terms(text: str) -> list[str]:
    """``--terms T1,T2`` (also with Chinese commas) as a list; an empty list is the user's error."""
    terms = [t.strip() for t in text.replace("，", ",").split(",") if t.strip()]
    if not terms:
        raise AnalysisError(f"--terms {text!r} names no formulation. Fix: for example --terms 一国两制,三个代表")
    return terms


def run_diffusion(args) -> int:
    """Print each formulation's first use (or each group's adoption and lag, or its use period by period)."""
    output_format(args)
    corp = load(args)
    by = resolve_by(args.by)
    corp.groups(by)  # a missing column fails here, before mining
    terms = split_terms(args.terms) if args.terms else plainly(formulation_list, corp, None, by=by, top=args.top)
    if args.table == "periods":
        table = plainly(diffusion_by_period, corp, terms, corpus_period(corp, _period(args.period), args.date), by=by)
        view = PERIODS_VIEW
    else:
        fn, view = (diffusion, DIFFUSION_VIEW) if args.table == "first" else (adoption, ADOPTION_VIEW)
        table = plainly(fn, corp, terms, by=by, date=args.date)
    emit(f"diffusion-{args.table}", dates_as_text(table), args, corp, by, view)
    return 0


def run_reuse(args) -> int:
    """Print who reuses whom (by groups), or every shared passage with its likely source and target."""
    output_format(args)
    corp = load(args)
    by = resolve_by(args.by)
    groups = corp.groups(by)
    try:
        directed = plainly(reuse_direction, corp, date=args.date, min_len=args.min_len, max_docs=args.max_docs)
    except ValueError as exc:  # too many matching pairs: the message says what to raise
        raise AnalysisError(str(exc)) from None
    if args.table == "groups":
        emit("reuse", who_reuses_whom(directed, groups), args, corp, by, REUSE_VIEW)
    else:
        table = directed.assign(source_group=directed["source"].map(groups), target_group=directed["target"].map(groups))
        if output_format(args) == "table":  # one line per passage on a terminal
            table["passage"] = table["passage"].str.replace("\n", "⏎", regex=False)
        emit("passages", dates_as_text(table), args, corp, by, PASSAGES_VIEW)
# --------------------------------------------------------------------------- trends, shifts (time)


def _period(spec: str | None) -> str | None:
    """``--period`` checked before the corpus is read (a :class:`AnalysisError` naming the accepted forms)."""
    if spec is None:
        return None
    try:
        parse_period_spec(spec)
    except ValueError as exc:
        raise AnalysisError(f"--period: {exc}") from None
    return spec


def corpus_period(corp, period: str | None, column: str = "date") -> str:
    """``period``, else the corpus's :meth:`~analysis.corpus.Corpus.default_period` (a :class:`CorpusError` with
    the fix when its dates suggest none)."""
    if period:
        return period
    spec = corp.default_period(column)
    if spec is None:
        corp.periods()  # raises the error that says why and what to do
    return spec


def run_trends(args) -> int:
    """Print each term's rate per period (and group) with its interval: rounded table, CSV or spreadsheet."""

    output_format(args)
    period = _period(args.period)
    terms = [t.strip() for t in args.terms.split(",") if t.strip()]
    if not terms:
        raise AnalysisError("--terms is empty. Fix: give terms separated by commas, for example --terms 改革开放,高质量发展")
    corp = load(args)
    period = corpus_period(corp, period)
    by = None if args.by is None else resolve_by(args.by)
    table = plainly(trends, corp, terms, by=by, period=period, n_boot=args.n_boot, level=args.level,
                    seed=DEFAULT_SEED if args.seed is None else args.seed)
    view = dict(TRENDS_VIEW, intervals={f"{args.level:.0%} CI": (RATE_LOW, RATE_HIGH)})
    view["columns"] = [f"{args.level:.0%} CI" if c == "CI" else c for c in view["columns"] if by or c != "group"]
    emit("trends", table, args, corp, by or period, view)
    return 0


def run_shifts(args) -> int:
    """Print the terms that rose and fell between adjacent periods (keyness), or every term's lifespan."""

    output_format(args)
    period = _period(args.period)
    corp = load(args)
    period = corpus_period(corp, period)
    tokens = dict(drop_proper=not args.keep_proper, phrases=not args.no_phrases)
    if args.lifespans:
        table = plainly(term_lifespans, corp, period, min_count=args.min_count or 5, min_docs=args.min_docs,
                        **tokens)
        emit("lifespans", table, args, corp, period, LIFESPANS_VIEW)
        return 0
    table = plainly(adjacent_keyness, corp, period, min_count=args.min_count or 3, min_docs=args.min_docs or None,
                    doc_test=not args.no_doc_test, **tokens)
    table = top_terms(table, n=args.top or len(table), side=args.side)
    emit("shifts", table, args, corp, period, SHIFTS_VIEW)
    return 0
