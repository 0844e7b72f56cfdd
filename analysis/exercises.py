"""Checked exercises, and the notebooks of a class: a teacher's version with solutions, a student's without.

Each exercise of the notebooks ends with a cell::

    answer = ...                                   # the student's answer
    analysis.check_exercise("02", 3, answer, corp, BY)

:func:`check_exercise` computes the expected answer with the package, on the
corpus and grouping in use (never from numbers of the seed corpus), compares
and answers one of three things (a :class:`Verdict`):

* **right**;
* **not yet**, with a hint: the answer is still ``...``, or not of the form asked for;
* **differs**: what differs (missing and extra items, wrong values, the first
  place two lists part).

:func:`write_class_notebooks` (``python -m analysis exercises --out DIR``)
writes ``DIR/teacher/`` (every cell; each folded solution followed by a
runnable copy of its code) and ``DIR/student/`` (no solution cells), both
without outputs. In the notebooks and the report, solutions stay folded in
``<details>`` blocks (cells tagged ``solution``); exercise cells are tagged
``exercise``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .config import DEFAULT_BY, data_file, project_root, resolve_by
from .corpus import Corpus, load_corpus
from .errors import AnalysisError
from .explorer import pair_keyness, term_frequencies
from .methods.concordance import kwic
from .methods.diffusion import adoption, diffusion
from .methods.emphasis import (corpus_instrument, emphasis, emphasis_robustness, instrument_data, load_emphasis_lexicon,
                               robustness_summary,
                               term_table)
from .methods.keyness import keyness, top_terms
from .methods.shifts import adjacent_keyness
from .methods.similarity import shared_passages
from .methods.slogans import Settings, find_slogans, lexicon_candidates, slogan_occurrences
from .tokenization import segment, tokens

__all__ = ["check_exercise", "Verdict", "EXERCISES", "write_class_notebooks", "solution_code"]

RIGHT, NOT_YET, DIFFERS = "right", "not yet", "differs"


@dataclass
class Verdict:
    """The answer of a check: ``status`` is ``right``, ``not yet`` or ``differs``; ``bool(verdict)`` is True
    when right."""

    exercise: str
    status: str
    message: str
    details: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.status == RIGHT

    def __repr__(self) -> str:
        mark = {RIGHT: "✓ Right", NOT_YET: "… Not yet", DIFFERS: "✗ Not quite"}[self.status]
        lines = [f"Exercise {self.exercise} · {mark}: {self.message}"]
        lines += [f"  - {d}" for d in self.details]
        return "\n".join(lines)


@dataclass
class Context:
    """What an exercise's expected answer is computed from: the corpus in use and its grouping column."""

    corp: Corpus
    by: str | None
    _memo: dict = field(default_factory=dict)

    def memo(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def kw(self):
        """The notebooks' rhetoric-view keyness table (02: ``kw``)."""
        return self.memo("kw", lambda: keyness(self.corp, self.by, drop_proper=True))

    def slogans(self):
        return self.memo("slogans", lambda: find_slogans(self.corp, by=self.by))


@dataclass
class Exercise:
    """One exercise: what ``answer`` must be, how to compute it on the corpus in use, how to compare, a hint."""

    asks: str
    hint: str
    check: Callable[[Context, Any], tuple[str, str, list[str]]]


# --------------------------------------------------------------------------- comparing answers


def _as_mapping(answer) -> dict | None:
    if isinstance(answer, pd.Series):
        return answer.to_dict()
    if isinstance(answer, dict):
        return dict(answer)
    return None


def _num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return x


def _show(items, n: int = 6) -> str:
    items = sorted(items, key=str)
    return ", ".join(map(str, items[:n])) + (f" … ({len(items)} in all)" if len(items) > n else "")


def compare_sets(expected, answer, what: str = "items"):
    """(status, message, details) of two collections compared as sets: what is missing, what is extra."""
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__") or isinstance(answer, (dict, pd.DataFrame)):
        return NOT_YET, f"give the {what} as a set (or list) of items", []
    got, want = set(answer), set(expected)
    if got == want:
        return RIGHT, f"{len(want)} {what}, all of them", []
    details = []
    if want - got:
        details.append(f"missing ({len(want - got)}): {_show(want - got)}")
    if got - want:
        details.append(f"not expected ({len(got - want)}): {_show(got - want)}")
    return DIFFERS, f"{len(got & want)} of your {len(got)} {what} are right; {len(want)} expected", details


def compare_mappings(expected: dict, answer, what: str = "values", *, missing_is_zero: bool = False):
    """(status, message, details) of two mappings key → number: missing keys, extra keys, different values."""
    got = _as_mapping(answer)
    if got is None:
        return NOT_YET, f"give the {what} as a pandas Series or a dict", []
    if missing_is_zero:
        got = {k: v for k, v in got.items() if _num(v) != 0}
        expected = {k: v for k, v in expected.items() if _num(v) != 0}
    details = []
    for k in sorted(set(expected) - set(got), key=str)[:6]:
        details.append(f"missing: {k} (expected {expected[k]})")
    for k in sorted(set(got) - set(expected), key=str)[:6]:
        details.append(f"not expected: {k} = {got[k]}")
    for k in sorted(set(got) & set(expected), key=str):
        a, b = _num(got[k]), _num(expected[k])
        if not (a == b or isinstance(a, float) and isinstance(b, float) and abs(a - b) <= 1e-9 * max(1, abs(b))):
            details.append(f"{k}: yours {got[k]}, expected {expected[k]}")
    if not details:
        return RIGHT, f"all {len(expected)} {what} match", []
    return DIFFERS, f"{len(details)} difference(s) in the {what}", details[:10]


def compare_lists(expected: list, answer, what: str = "items"):
    """(status, message, details) of two ordered lists: the first place they part."""
    if isinstance(answer, (pd.Series, pd.Index)):
        answer = list(answer)
    if not isinstance(answer, (list, tuple)):
        return NOT_YET, f"give the {what} as a list, in order", []
    answer, expected = list(answer), list(expected)
    if answer == expected:
        return RIGHT, f"the {len(expected)} {what}, in the right order", []
    if set(answer) == set(expected):
        return DIFFERS, f"the right {what}, in another order", [f"expected order: {_show_list(expected)}"]
    first = next((i for i, (a, b) in enumerate(zip(answer, expected)) if a != b), min(len(answer), len(expected)))
    details = [f"from position {first + 1}: yours {_show_list(answer[first:first + 3])}, "
               f"expected {_show_list(expected[first:first + 3])}"]
    if len(answer) != len(expected):
        details.append(f"you have {len(answer)} {what}, {len(expected)} expected")
    return DIFFERS, f"the first {first} {what} match", details


def _show_list(items) -> str:
    return "[" + ", ".join(map(str, items)) + "]"


def _pair(answer, n: int = 2):
    return isinstance(answer, (tuple, list)) and len(answer) == n


def _verdict(ok: bool, message_ok: str, message_differs: str, details=()):
    return (RIGHT, message_ok, []) if ok else (DIFFERS, message_differs, list(details))


# --------------------------------------------------------------------------- 01 · corpus

_RULE_COLUMNS = ("doc_id", "chars_in", "chars_kept", "chars_removed")


def _01_1(ctx: Context, answer):
    if not _pair(answer):
        return NOT_YET, "give a pair (rule, doc_id)", []
    acc = ctx.corp.accounting()
    totals = acc.drop(columns=list(_RULE_COLUMNS)).sum()
    if totals.empty or totals.max() <= 0:
        return DIFFERS, "cleaning removed nothing in this corpus: there is no such rule", []
    rule, doc = answer
    if rule not in totals.index:
        return DIFFERS, f"{rule!r} is not a cleaning rule of this corpus", [f"rules: {_show(totals.index)}"]
    best = totals.max()
    if totals[rule] != best:
        return DIFFERS, f"{rule} removed {totals[rule]:,} characters; another rule removed {best:,}", []
    per_doc = acc.set_index("doc_id")[rule]
    if doc not in per_doc.index:
        return DIFFERS, f"{doc!r} is not a document id of this corpus", []
    return _verdict(per_doc[doc] == per_doc.max(), f"{rule} removed {best:,} characters, most of them in {doc}",
                    f"the rule is right; {rule} removed {per_doc[doc]:,} characters in {doc}, "
                    f"but {per_doc.max():,} in another document")


_PHRASE = "坚持外防输入内防反弹总策略"


def _01_2(ctx: Context, answer):
    return compare_lists(ctx.memo("01.2", lambda: list(segment(_PHRASE).token)), answer, "tokens")


def _01_3(ctx: Context, answer):
    n_all = {k: len(v) for k, v in tokens(ctx.corp).items()}
    n_rhet = {k: len(v) for k, v in tokens(ctx.corp, drop_proper=True).items()}
    return compare_mappings({k: n_all[k] - n_rhet[k] for k in n_all}, answer, "documents' losses")


# --------------------------------------------------------------------------- 02 · rhetoric


def _other_column(ctx: Context, column):
    if not isinstance(column, str) or column not in ctx.corp.columns or column in ("id", "file"):
        usable = [c for c in ctx.corp.columns if c not in ("id", "file")]
        return f"{column!r} is not a manifest column to group by; the manifest has {', '.join(usable)}"
    if column == ctx.by:
        return f"{column!r} is the grouping in use (BY); choose another column"
    if ctx.corp.groups(column).nunique() < 2:
        return f"{column!r} has a single group: nothing to compare; choose another column"
    return None


def _02_1(ctx: Context, answer):
    if not _pair(answer):
        return NOT_YET, "give a pair (column, set of terms)", []
    column, terms = answer
    why = _other_column(ctx, column)
    if why:
        return NOT_YET, why, []
    other = keyness(ctx.corp, column, drop_proper=True)
    expected = set(top_terms(other, 10).term) & set(top_terms(ctx.kw(), 10).term)
    return compare_sets(expected, terms, f"terms key under both {column} and {ctx.by}")


def _02_2(ctx: Context, answer):
    kw = ctx.kw()
    by_lr = top_terms(kw, 8, by="log_ratio")
    by_g2 = top_terms(kw, 8)
    expected = set(zip(by_lr.group, by_lr.term)) - set(zip(by_g2.group, by_g2.term))
    return compare_sets(expected, answer, "(group, term) pairs")


def _02_3(ctx: Context, answer):
    bonf = keyness(ctx.corp, ctx.by, drop_proper=True, correction="bonferroni")
    expected = bonf[bonf.p_adj < 0.05].groupby("group").size().to_dict()
    return compare_mappings(expected, answer, "counts per group", missing_is_zero=True)


def _02_4(ctx: Context, answer):
    if not _pair(answer) or not isinstance(answer[0], str):
        return NOT_YET, "give a pair (term, number of concordance lines)", []
    term, n = answer
    lines = kwic(ctx.corp, term, by=ctx.by)
    if not len(lines):
        return NOT_YET, f"{term!r} does not occur in this corpus; pick a term from the bars", []
    return _verdict(_num(n) == len(lines), f"{term} has {len(lines)} lines: read them all before you interpret it",
                    f"{term} has {len(lines)} concordance lines, not {n}")


def _02_5(ctx: Context, answer):
    max_docs = None if len(ctx.corp) <= 20 else len(ctx.corp) // 4
    sp = shared_passages(ctx.corp, min_len=15, max_docs=max_docs)
    expected = {tuple(sorted(p)) for p in zip(sp.doc_a, sp.doc_b)}
    try:
        got = {tuple(sorted(p)) for p in answer}
    except TypeError:
        return NOT_YET, "give a set of (doc_a, doc_b) pairs", []
    return compare_sets(expected, got, "pairs of documents")


# --------------------------------------------------------------------------- 03 · slogans


def _03_1(ctx: Context, answer):
    series = find_slogans(ctx.corp, by=ctx.by, kinds=["enumeration"])
    return compare_lists(list(series[series["core"] != ""].head(10)["slogan"]), answer, "series")


def _03_2(ctx: Context, answer):
    if not _pair(answer):
        return NOT_YET, "give a pair (came_in, went_out) of sets of slogans", []
    import yaml

    raw = yaml.safe_load(data_file("slogans.yaml").read_text(encoding="utf-8"))
    raw["priors"]["quoted"] = 3.0
    alt = find_slogans(ctx.corp, by=ctx.by, settings=Settings(raw))
    before, after = set(ctx.slogans().head(20)["slogan"]), set(alt.head(20)["slogan"])
    came_in = compare_sets(after - before, answer[0], "slogans that came in")
    went_out = compare_sets(before - after, answer[1], "slogans that went out")
    if came_in[0] == went_out[0] == RIGHT:
        return RIGHT, f"{len(after - before)} came in, {len(before - after)} went out", []
    status = NOT_YET if NOT_YET in (came_in[0], went_out[0]) else DIFFERS
    return status, "; ".join(m for s, m, _ in (came_in, went_out) if s != RIGHT), came_in[2] + went_out[2]


def _03_3(ctx: Context, answer):
    if not isinstance(answer, pd.DataFrame):
        return NOT_YET, "give the table as a DataFrame: one row per member (slogan), one column per group", []
    slogans = ctx.slogans()
    members = list(answer.index)
    unknown = [m for m in members if m not in set(slogans["slogan"])]
    if unknown:
        return DIFFERS, "these rows are not mined slogans", [_show(unknown)]
    families = set(slogans.loc[slogans["slogan"].isin(members), "family"])
    if len(families) != 1:
        return DIFFERS, f"the rows belong to {len(families)} families; take the members of one", [_show(families)]
    occ = slogan_occurrences(ctx.corp, slogans[slogans["slogan"].isin(members)], by=ctx.by)
    expected = occ.groupby(["slogan", "group"]).size().unstack(fill_value=0)
    got = answer.stack()
    want = expected.reindex(index=answer.index, fill_value=0).stack()
    return compare_mappings({k: int(v) for k, v in want.items()}, {k: v for k, v in got.items()},
                            f"counts of the family {families.pop()}", missing_is_zero=True)


def _03_4(ctx: Context, answer):
    path = Path(str(answer))
    if not path.is_file():
        return NOT_YET, f"{answer!r} is not a file: give the path write_lexicon_candidates returned", []
    written = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    expected = lexicon_candidates(ctx.slogans(), top=100)
    if "term" not in written.columns:
        return DIFFERS, f"{path.name} has no column term: is it the lexicon candidates file?", []
    return compare_sets(set(expected["term"]), set(written["term"]), "candidate terms in the file")


# --------------------------------------------------------------------------- 04 · emphasis


def _emphasis_draft(ctx: Context) -> dict:
    """The corpus's emphasis instrument as one mapping, to edit (as notebook 04's exercises do)."""
    return instrument_data(corpus_instrument(ctx.corp))


_PRECISION = {"id": "precision", "kind": "topic", "zh": "科学精准", "en": "Science and precision",
              "definition": "Calls for scientific, targeted, differentiated control instead of blanket measures.",
              "rationale": "The later official line asked for precision (精准) and warned against one-size-fits-all "
                           "(一刀切).",
              "examples": ["科学精准做好疫情防控"], "terms": ["科学", "精准", "精准防控", "因时因势", "一刀切"]}


def _04_1(ctx: Context, answer):
    draft = _emphasis_draft(ctx)
    draft["categories"].append(dict(_PRECISION))
    new = emphasis(ctx.corp, by=ctx.by, lexicon=load_emphasis_lexicon(draft), n_boot=0)
    old = emphasis(ctx.corp, by=ctx.by, lexicon=corpus_instrument(ctx.corp), n_boot=0)
    change = (new.set_index(["group", "category"])["count"]
              .sub(old.set_index(["group", "category"])["count"], fill_value=0))
    return compare_mappings(change[change != 0].to_dict(), answer, "changed counts", missing_is_zero=True)


def _04_2(ctx: Context, answer):
    if not _pair(answer):
        return NOT_YET, "give a pair (hits without exclusions, hits with them)", []
    draft = _emphasis_draft(ctx)
    obligation = next(c for c in draft["categories"] if c["id"] == "obligation")
    obligation["terms"] = ["要" if isinstance(t, dict) and t["term"] == "要" else t for t in obligation["terms"]]
    bare = term_table(ctx.corp, lexicon=draft).set_index(["category", "term"]).loc[("obligation", "要")].counted
    real = term_table(ctx.corp, lexicon=corpus_instrument(ctx.corp)).set_index(["category", "term"]).loc[("obligation", "要")].counted
    ok = (_num(answer[0]), _num(answer[1])) == (bare, real)
    return _verdict(ok, f"{bare} without exclusions, {real} with them: {bare - real} prevented",
                    f"expected ({bare}, {real}), yours ({answer[0]}, {answer[1]})")


def _04_3(ctx: Context, answer):
    draft = _emphasis_draft(ctx)
    border = next((c for c in draft["categories"] if c["id"] == "border"), None)
    if border is None:
        return NOT_YET, "this exercise needs an instrument with a border category (the COVID-19 one: lexicon='covid')", []
    border["terms"].append("严防")
    draft.setdefault("overlaps", []).append({"term": "严防", "categories": ["border", "intensifier"],
                                             "reason": "strict prevention, usually of imported cases"})
    table = term_table(ctx.corp, lexicon=load_emphasis_lexicon(draft)).query("term == '严防'")
    return compare_mappings(dict(zip(table.category, table.counted)), answer, "categories' counts of 严防")


def _04_4(ctx: Context, answer):
    lengths = pd.Series({d.id: len(d.text) for d in ctx.corp})
    sizes = lengths.groupby(ctx.corp.groups(ctx.by)).sum()
    show = sorted(sizes.nlargest(4).index, key=str)
    pairs = [(a, b) for i, a in enumerate(show) for b in show[i + 1:]]

    def fragile(shrink):
        s = robustness_summary(emphasis_robustness(ctx.corp, by=ctx.by, pairs=pairs, shrink=shrink))
        return set(zip(*(s[s.fragile][c] for c in ("category", "group_a", "group_b"))))

    return compare_sets(fragile(0.25) & fragile(0.75), answer, "(category, group_a, group_b) triples")


# --------------------------------------------------------------------------- 05 · explorer


def _05_1(ctx: Context, answer):
    if not _pair(answer) or not isinstance(answer[0], str):
        return NOT_YET, "give a pair (term, number of documents that contain it)", []
    term, n = answer
    docs = int(term_frequencies(ctx.corp, term, ctx.by)["docs_with_term"].sum())
    if docs == 0:
        return NOT_YET, f"{term!r} does not occur in this corpus; pick a term from the keyness table", []
    total = len(ctx.corp)
    return _verdict(_num(n) == docs, f"{term} occurs in {docs} of the {total} documents",
                    f"{term} occurs in {docs} documents, not {n}")


def _05_2(ctx: Context, answer):
    groups = sorted(ctx.corp.groups(ctx.by).unique())
    if len(groups) < 2:
        return NOT_YET, "this corpus has one group: nothing to compare", []
    with_names = set(pair_keyness(ctx.corp, groups[0], groups[-1], ctx.by, drop_proper=False).term)
    without = set(pair_keyness(ctx.corp, groups[0], groups[-1], ctx.by, drop_proper=True).term)
    return compare_sets(with_names - without, answer, "terms that disappear")


# --------------------------------------------------------------------------- 06 · time and diffusion


def _no_time_axis(ctx: Context):
    """A NOT_YET verdict when the corpus's dates give no time axis, else None."""
    if ctx.corp.default_period() is None:
        return NOT_YET, "this corpus's dates do not span two periods: there is no time axis to work on", []
    return None


def _06_1(ctx: Context, answer):
    if (none := _no_time_axis(ctx)) is not None:
        return none
    if not isinstance(answer, str):
        return NOT_YET, "give the term as a string", []
    shifts = ctx.memo("shifts", lambda: adjacent_keyness(ctx.corp, ctx.corp.default_period()))
    last = shifts[(shifts["period"] == shifts["period"].iloc[-1]) & (shifts["g2"] > 0)] if len(shifts) else shifts
    if last.empty:
        return NOT_YET, "no term rose significantly in the last comparison of this corpus", []
    top = last.sort_values(["g2", "term"], ascending=[False, True]).iloc[0]
    return _verdict(answer.strip() == top["term"], f"{top['term']} rose most from {top['previous']} to {top['period']} "
                    f"(G² {top['g2']:.1f})", f"the term with the largest positive G² in the last comparison is "
                    f"not {answer!r}; sort the rows of the last period by g2")


def _06_2(ctx: Context, answer):
    if (none := _no_time_axis(ctx)) is not None:
        return none
    if not _pair(answer) or not isinstance(answer[0], str):
        return NOT_YET, "give a pair (group, lag in days)", []
    first = ctx.memo("diffusion", lambda: diffusion(ctx.corp, by=ctx.by, top=15))
    first = first[first["n_docs"] > 0]
    if first.empty:
        return NOT_YET, "no formulation of this corpus is used in a dated document", []
    widest = first.sort_values("n_docs", ascending=False, kind="stable").iloc[0]["formulation"]
    groups = adoption(ctx.corp, [widest], by=ctx.by)
    last = groups.sort_values(["lag_days", "group"], ascending=[False, True]).iloc[0]
    group, lag = answer
    right = str(group) == str(last["group"]) and _num(lag) == _num(last["lag_days"])
    return _verdict(right, f"{widest}: {last['group']} took it up last, {int(last['lag_days'])} days after its first use",
                    f"for {widest}, the last group to use it is {last['group']!r} after {int(last['lag_days'])} days, "
                    f"not {group!r} after {lag}")


# --------------------------------------------------------------------------- the register

#: Every exercise of the notebooks: (notebook, number) → what the answer is, a hint, the check.
EXERCISES: dict[tuple[str, int], Exercise] = {
    ("01", 1): Exercise("a pair (rule, doc_id): the rule that removed the most characters, and the document where "
                        "it removed the most", "corp.accounting() has one column per rule: sum the columns", _01_1),
    ("01", 2): Exercise("the list of tokens of 坚持外防输入内防反弹总策略 segmented with the package's lexicon alone",
                        "analysis.segment(phrase) uses the package's lexicon only (no corpus lexicon); take "
                        "list(...token)", _01_2),
    ("01", 3): Exercise("a Series or dict: document id → tokens lost with drop_proper=True",
                        "count len(tokens) per document in analysis.tokens(corp) and analysis.tokens(corp, "
                        "drop_proper=True), and subtract", _01_3),
    ("02", 1): Exercise("a pair (column, set of terms in the top 10 of some group under both that column and BY)",
                        "keyness(corp, column, drop_proper=True), top_terms(…, 10).term, and the same for kw; "
                        "intersect the two sets", _02_1),
    ("02", 2): Exercise("a set of (group, term) pairs in the top 8 by log_ratio but not in the top 8 by g2",
                        "top_terms(kw, 8, by='log_ratio') and top_terms(kw, 8); subtract the sets of "
                        "zip(group, term)", _02_2),
    ("02", 3): Exercise("a Series or dict: group → number of terms with p_adj < 0.05 under Bonferroni",
                        "keyness(corp, BY, drop_proper=True, correction='bonferroni'), filter p_adj < 0.05, count "
                        "per group", _02_3),
    ("02", 4): Exercise("a pair (term, number of its concordance lines)",
                        "len(analysis.kwic(corp, term, by=BY))", _02_4),
    ("02", 5): Exercise("a set of (doc_a, doc_b) pairs that share a passage of at least 15 characters",
                        "analysis.shared_passages(corp, min_len=15, max_docs=max_docs); zip(doc_a, doc_b)", _02_5),
    ("03", 1): Exercise("a list: the ten best-ranked series (kind enumeration) that have a core, in rank order",
                        "find_slogans(corp, by=BY, kinds=['enumeration']); keep core != ''; head(10).slogan",
                        _03_1),
    ("03", 2): Exercise("a pair (came_in, went_out): the sets of slogans entering and leaving the top 20",
                        "raise raw['priors']['quoted'] to 3.0, mine with settings=analysis.SloganSettings(raw), "
                        "compare the sets of the top 20", _03_2),
    ("03", 3): Exercise("a DataFrame: one family's members (rows) × groups (columns), occurrences in each",
                        "slogan_occurrences(corp, slogans of the family, by=BY).groupby(['slogan', 'group'])"
                        ".size().unstack(fill_value=0)", _03_3),
    ("03", 4): Exercise("the path of the file of lexicon candidates of the top 100 formulations",
                        "analysis.write_lexicon_candidates(analysis.lexicon_candidates(slogans, top=100), path) "
                        "returns the path", _03_4),
    ("04", 1): Exercise("a Series: (group, category) → change of count, non-zero changes only",
                        "emphasis with the draft lexicon minus the scores, on the count column, indexed by "
                        "group and category", _04_1),
    ("04", 2): Exercise("a pair (counted hits of 要 without exclusions, counted hits with them)",
                        "emphasis_terms(corp, lexicon=…) has a row per (category, term) with counted", _04_2),
    ("04", 3): Exercise("a dict: category → counted hits of 严防 once it is declared in both categories",
                        "add an overlaps entry for 严防, load the lexicon, query emphasis_terms for term == '严防'",
                        _04_3),
    ("04", 4): Exercise("a set of (category, group_a, group_b) triples fragile both with shrink=0.25 and "
                        "shrink=0.75", "emphasis_robustness(corp, by=BY, pairs=pairs, shrink=…) then "
                        "emphasis_robustness_summary; keep fragile rows", _04_4),
    ("05", 1): Exercise("a pair (term, number of documents that contain it)",
                        "term_view(corp, term, BY)[0] or term_frequencies: sum docs_with_term", _05_1),
    ("05", 2): Exercise("a set of the terms that disappear when proper nouns are left out (first vs last group)",
                        "pair_keyness(corp, groups[0], groups[-1], BY, drop_proper=False) and drop_proper=True; "
                        "subtract the sets of terms", _05_2),
    ("06", 1): Exercise("a string: the term that rose most (largest positive G²) in the last comparison of adjacent "
                        "periods", "shifts = analysis.adjacent_keyness(corp, PERIOD); keep the last period's rows with "
                        "g2 > 0; the largest g2", _06_1),
    ("06", 2): Exercise("a pair (group, lag in days): for the formulation used by the most documents, the group that "
                        "took it up last and its lag", "first = analysis.diffusion(corp, by=BY, top=15); the row with "
                        "the largest n_docs; analysis.adoption(corp, [that formulation], by=BY); the largest lag_days",
                        _06_2),
}


def check_exercise(notebook: str | int, number: int, answer, corp: Corpus | None = None, by=DEFAULT_BY) -> Verdict:
    """Check a student's ``answer`` to exercise ``number`` of notebook ``notebook`` ("01" … "06").

    The expected answer is computed by the package on ``corp`` (default: the
    corpus in use, ``$ANALYSIS_CORPUS`` else the seeds) grouped by ``by``
    (default ``$ANALYSIS_BY``, else region), so the check holds on any corpus.
    Returns a :class:`Verdict` (shown as one line and its details): right; not
    yet, with a hint (still ``...``, or not of the form asked for); or what differs.
    """
    nb = f"{int(notebook):02d}" if str(notebook).isdigit() else str(notebook)[:2]
    key = (nb, int(number))
    if key not in EXERCISES:
        known = ", ".join(f"{n}.{i}" for n, i in EXERCISES)
        raise KeyError(f"no exercise {nb}.{number}; the notebooks have {known}")
    ex = EXERCISES[key]
    label = f"{nb}.{number}"
    if answer is ... or answer is None:
        return Verdict(label, NOT_YET, f"replace ... with your answer: {ex.asks}.", [f"hint: {ex.hint}"])
    ctx = Context(corp if corp is not None else load_corpus(), resolve_by(by))
    try:
        status, message, details = ex.check(ctx, answer)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        status, message, details = NOT_YET, f"the answer cannot be read as {ex.asks} ({type(exc).__name__}: {exc})", []
    if status != RIGHT:
        details = list(details) + [f"hint: {ex.hint}"]
    return Verdict(label, status, message, details)


# --------------------------------------------------------------------------- the class notebooks

_CODE = re.compile(r"```python\n(.*?)```", re.S)


def solution_code(cell_source: str) -> str:
    """The Python code of a folded solution (the ```python blocks of a ``solution`` cell), joined."""
    return "\n".join(block.rstrip() for block in _CODE.findall(cell_source))


def _clear(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    return nb


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def write_class_notebooks(out: str | Path, notebooks: list[Path] | None = None) -> dict[str, list[Path]]:
    """Write ``OUT/teacher/`` and ``OUT/student/`` versions of the notebooks, without outputs.

    Teacher: every cell, and after each folded solution a runnable code cell with
    its code (tagged ``solution``), whose check says right. Student: the
    solution cells removed; exercise cells stay (``answer = ...`` and the check).
    Returns ``{"teacher": [...], "student": [...]}``.
    """
    import nbformat

    out = Path(out)
    paths = notebooks or sorted((project_root() / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise AnalysisError("no notebooks found. Fix: run from the project checkout (notebooks/NN_*.ipynb)")
    written: dict[str, list[Path]] = {"teacher": [], "student": []}
    try:
        for kind in written:
            (out / kind).mkdir(parents=True, exist_ok=True)
        for path in paths:
            teacher = _clear(nbformat.read(path, as_version=4))
            cells = []
            for cell in teacher.cells:
                cells.append(cell)
                if "solution" in _tags(cell) and cell.cell_type == "markdown" and solution_code(cell.source):
                    code = nbformat.v4.new_code_cell(solution_code(cell.source))
                    code.metadata["tags"] = ["solution"]
                    cells.append(code)
            teacher.cells = cells
            student = _clear(nbformat.read(path, as_version=4))
            student.cells = [c for c in student.cells if "solution" not in _tags(c)]
            for kind, nb in (("teacher", teacher), ("student", student)):
                target = out / kind / path.name
                nbformat.write(nb, target)
                written[kind].append(target)
    except OSError as exc:
        raise AnalysisError(f"cannot write into {out}: {exc.strerror or exc}. Fix: choose a folder you can write to") \
            from None
    return written
