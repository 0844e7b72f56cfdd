"""No silent loss: every character that enters cleaning is kept or removed by a named rule.

For every document: ``chars_in == chars_kept + chars_removed``, the removed
characters split by audit rule add up, and replaying the audit on the raw
text rebuilds the clean text exactly (so no change escapes the audit).
Checked on the seeds and on every document of the bad-input set that loads.
"""
from __future__ import annotations

import pandas as pd
import pytest

import badinput as bi
from analysis.cleaning import clean, decode, replay
from analysis.corpus import scan


def assert_accounts(corp) -> pd.DataFrame:
    acc = corp.accounting()
    assert list(acc["doc_id"]) == corp.ids
    rules = [c for c in acc.columns if c not in ("doc_id", "chars_in", "chars_kept", "chars_removed")]
    assert (acc["chars_in"] == acc["chars_kept"] + acc["chars_removed"]).all()
    assert (acc[rules].sum(axis=1) == acc["chars_removed"]).all()
    audit = corp.audit()
    for doc, row in zip(corp, acc.itertuples(index=False)):
        assert row.chars_in == len(doc.raw) and row.chars_kept == len(doc.text)
        # the rule columns are the audit's edits, summed per rule
        mine = audit[audit["doc_id"] == doc.id]
        per_rule = (mine["old"].str.len() - mine["new"].str.len()).groupby(mine["rule"]).sum()
        for rule in rules:
            assert acc.loc[acc["doc_id"] == doc.id, rule].item() == per_rule.get(rule, 0), (doc.id, rule)
        # and the edits, replayed in order, turn the raw text into the clean text
        assert replay(doc.raw, doc.result.edits) == doc.text, doc.id
    return acc


def test_every_seed_accounts_for_every_character(seeds_corpus):
    acc = assert_accounts(seeds_corpus)
    # the seeds do lose characters to cleaning (PDF line breaks, a web footer, a stray bar)
    assert (acc["chars_removed"] > 0).all()
    assert acc.set_index("doc_id")["join_broken_line"].sum() > 0


def test_seed_with_web_debris_accounts_for_it_by_rule(seeds_corpus):
    # the removed characters of each boilerplate rule are exactly the characters of its matches
    acc = seeds_corpus.accounting().set_index("doc_id")
    audit = seeds_corpus.audit()
    bp = audit[audit["step"] == "boilerplate"]
    assert not bp.empty
    for (doc_id, rule), rows in bp.groupby(["doc_id", "rule"]):
        assert acc.loc[doc_id, rule] == rows["old"].str.len().sum()


def test_every_loading_bad_input_document_accounts_for_every_character(tmp_path):
    folder, _ = bi.build_bad_corpus(tmp_path / "bad")
    corp, _ = scan(folder)
    assert len(corp) >= 15
    acc = assert_accounts(corp).set_index("doc_id")
    # invisible characters, control characters and line endings are removed by named rules
    assert acc.loc["zero_width_and_fullwidth", "zero_width"] > 0
    assert acc.loc["control_characters", "control_chars"] == 2
    assert acc.loc["stray_nul", "control_chars"] == 1
    assert acc.loc["crlf", "crlf"] == bi.seed_raw(3).count("\n")
    assert acc.loc["utf8_double_bom", "zero_width"] == 1


@pytest.mark.parametrize("case", bi.TEXT_CASES, ids=lambda c: c.name)
def test_each_text_case_accounts_after_decoding(case):
    try:
        raw, _ = decode(case.data(), case.file)
    except ValueError:
        assert case.outcome == "error"
        return
    result = clean(raw)
    removed = sum(len(e.old) - len(e.new) for e in result.edits)
    assert len(raw) == len(result.text) + removed
    assert replay(raw, result.edits) == result.text


def test_second_pass_edits_are_accounted_and_replayed():
    # an indented breadcrumb: the indent goes in pass 1, then the line matches the rule in pass 2
    raw = "坚持动态清零。\n\u3000当前位置：首页 > 新闻\n外防输入。"
    result = clean(raw)
    assert result.text == "坚持动态清零。\n外防输入。"
    passes = result.audit().groupby("pass")["rule"].apply(set)
    assert passes[1] == {"edge_whitespace"} and passes[2] == {"breadcrumb", "blank_lines"}
    assert replay(raw, result.edits) == result.text
    assert len(raw) == len(result.text) + result.audit()["chars_removed"].sum()


def test_traditional_conversion_that_changes_length_is_accounted(monkeypatch):
    # OpenCC may turn a phrase into one of another length; the audit must still add up
    from analysis import cleaning
    from analysis.cleaning import steps

    class Stretching:
        def convert(self, text):
            return text.replace("們", "们们").replace("這樣", "这")

    monkeypatch.setattr(steps, "t2s_converter", lambda: Stretching())
    raw = "我們這樣做。\n他們說：這樣不行。" * 3
    text, edits = cleaning.to_simplified(raw)
    assert text == Stretching().convert(raw)
    assert cleaning.apply_edits(raw, edits) == text
    assert len(raw) == len(text) + sum(len(e.old) - len(e.new) for e in edits)
    # each edit stays inside one sentence: a long document is never diffed as a whole
    assert all("。" not in e.old[:-1] and "\n" not in e.old for e in edits)
