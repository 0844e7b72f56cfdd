"""Emphasis instruments by name or path, chosen by the corpus folder; validity, interval level, topics."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_corpus, run_cli

import analysis
from analysis.methods.emphasis import (
    LexiconError,
    bootstrap_unit,
    corpus_instrument,
    emphasis,
    emphasis_instruments,
    emphasis_settings,
    emphasis_topics,
    instrument_data,
    instrument_names,
    instrument_validity,
    load_emphasis_lexicon,
)

FORCE = ["intensifier", "obligation", "war", "urgency"]


def test_instruments_by_name_and_the_default():
    assert {"governance", "covid", "force"} <= set(instrument_names())
    assert load_emphasis_lexicon() == load_emphasis_lexicon("governance")
    assert emphasis_settings()["default_instrument"] == "governance"
    table = emphasis_instruments()
    assert table.set_index("name").loc["governance", "default"]
    with pytest.raises(LexiconError, match="no emphasis instrument named 'climate'.*governance"):
        load_emphasis_lexicon("climate")


def test_the_governance_instrument_covers_the_fields_of_government_work():
    cats = load_emphasis_lexicon("governance").categories.set_index("category")
    assert list(cats.index[cats["kind"] == "topic"]) == [
        "economy", "innovation", "ecology", "security", "livelihood", "reform_opening", "party_building", "rule_of_law"]
    assert (cats["rationale"].str.len() > 50).all()
    terms = set(load_emphasis_lexicon("governance").terms_of("economy"))
    assert {"工业", "农业", "生产"} <= terms and not {"发展", "经济"} & terms  # production, not the generic words


def test_force_markers_are_shared_not_copied():
    force = load_emphasis_lexicon("force")
    for name in ("governance", "covid"):
        lex = load_emphasis_lexicon(name)
        assert lex.category_ids[-4:] == FORCE  # appended after the instrument's own topics
        for cat in FORCE:
            assert lex.terms_of(cat) == force.terms_of(cat)


def test_instrument_data_round_trips_and_can_be_edited():
    data = instrument_data("covid")
    assert "include" not in data and [c["id"] for c in data["categories"]][-4:] == FORCE
    assert load_emphasis_lexicon(data) == load_emphasis_lexicon("covid")
    data["categories"][0]["terms"].append("测试词")
    assert load_emphasis_lexicon(data) != load_emphasis_lexicon("covid")


def test_an_instrument_file_may_include_by_name_or_path(tmp_path):
    own = tmp_path / "mine.yaml"
    own.write_text("include: [force]\ncategories:\n"
                   "  - {id: water, kind: topic, zh: 水, en: Water, definition: rivers, terms: [河流, 水库]}\n",
                   encoding="utf-8")
    lex = load_emphasis_lexicon(own)
    assert lex.category_ids == ["water", *FORCE]
    loop = tmp_path / "loop.yaml"
    loop.write_text("include: [loop.yaml]\ncategories:\n"
                    "  - {id: a, kind: topic, zh: 甲, en: A, definition: a, terms: [甲乙]}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="includes"):
        load_emphasis_lexicon(loop)


def _crafted(tmp_path, options: str | None = None, docs: dict | None = None, **columns):
    docs = docs or {"a.txt": "加强环境保护，治理污染。严格落实。", "b.txt": "发展工业和农业生产。必须做好。"}
    folder = make_corpus(tmp_path / "c", docs, **(columns or {"region": ["A", "B"]}))
    if options is not None:
        (folder / "corpus.yaml").write_text(options, encoding="utf-8")
    return analysis.load_corpus(folder)


def test_a_corpus_folder_names_its_instrument(tmp_path, seeds_corpus):
    assert corpus_instrument(seeds_corpus) == "covid"  # seeds/corpus.yaml
    assert set(emphasis(seeds_corpus, n_boot=0)["category"]) >= {"border", "testing", "isolation"}
    plain = _crafted(tmp_path / "plain")
    assert corpus_instrument(plain) == "governance"
    assert "ecology" in set(emphasis(plain, n_boot=0)["category"])
    named = _crafted(tmp_path / "named", "emphasis: covid\n")
    assert "testing" in set(emphasis(named, n_boot=0)["category"])
    # an explicit lexicon wins over the folder's
    assert "ecology" in set(emphasis(named, lexicon="governance", n_boot=0)["category"])


def test_a_corpus_folder_can_name_its_own_file(tmp_path):
    corp = _crafted(tmp_path, "emphasis: mine.yaml\n")
    (corp.path / "mine.yaml").write_text(
        "categories:\n  - {id: green, kind: topic, zh: 绿, en: Green, definition: environment, terms: [环境, 污染]}\n",
        encoding="utf-8")
    e = emphasis(corp, n_boot=0)
    assert set(e["category"]) == {"green", "all_topic"}
    assert e.set_index(["group", "category"]).loc[("A", "green"), "count"] == 2


def test_the_command_line_takes_a_name(tmp_path):
    corp = _crafted(tmp_path)
    code, out, _ = run_cli(["emphasis", "--corpus", str(corp.path), "--lexicon", "covid", "--format", "csv",
                            "--n-boot", "0"])
    assert code == 0 and "testing" in out and "ecology" not in out
    code, out, _ = run_cli(["emphasis", "--corpus", str(corp.path), "--format", "csv", "--n-boot", "0"])
    assert code == 0 and "ecology" in out


def test_validity_reports_coverage_and_flags_one_word_categories(tmp_path):
    docs = {"a.txt": "治理污染。治理污染。治理污染。保护森林。", "b.txt": "发展工业、农业、服务业。建设湿地。"}
    corp = _crafted(tmp_path, docs=docs)
    v = instrument_validity(corp, lexicon="governance").set_index("category")
    assert v.loc["ecology", "hits"] == 5 and v.loc["ecology", "top_term"] == "污染"
    assert v.loc["ecology", "top_share"] == pytest.approx(3 / 5) and v.loc["ecology", "dominated"]
    assert v.loc["economy", "hits"] == 3 and not v.loc["economy", "dominated"]  # three terms, a third each
    assert v.loc["ecology", "docs_with"] == 2 and v.loc["economy", "doc_share"] == 0.5
    n_chars = sum(len(d.text) for d in corp)
    assert v.loc["ecology", "per_10k"] == pytest.approx(10_000 * 5 / n_chars)
    assert not v.loc["rule_of_law", "covered"]
    assert not instrument_validity(corp, lexicon="governance", dominance=0.7).set_index("category").loc[
        "ecology", "dominated"]


def test_the_bootstrap_level_follows_the_documents_per_group():
    need = emphasis_settings()["document_bootstrap_min_docs"]
    assert need == 5
    assert bootstrap_unit([5, 9])[0] == "document"
    unit, why = bootstrap_unit([4, 9])
    assert unit == "sentence" and "4 document" in why
    assert bootstrap_unit([1, 1], "document") == ("document", "document bootstrap asked for")
    with pytest.raises(ValueError, match="unit must be"):
        bootstrap_unit([5], "paragraph")


def test_emphasis_says_which_level_it_used(tmp_path):
    bodies = ["治理污染，保护森林。", "发展工业生产。", "建设湿地，治理污染。", "发展农业。", "必须严格落实。"]
    docs = {f"d{i}.txt": bodies[i % 5] * (1 + i % 3) for i in range(12)}
    corp = _crafted(tmp_path, docs=docs, region=["A", "B"] * 6)
    e = emphasis(corp, n_boot=50)
    assert set(e["boot_unit"]) == {"document"} and "at least 5 documents" in e["boot_reason"].iloc[0]
    s = emphasis(corp, n_boot=50, unit="sentence")
    assert set(s["boot_unit"]) == {"sentence"}
    few = emphasis(corp, by=None, n_boot=50)
    assert set(few["boot_unit"]) == {"sentence"} and "only 1 document" in few["boot_reason"].iloc[0]
    # the point estimates do not depend on the level
    pd.testing.assert_series_equal(e["per_10k"], s["per_10k"])


def test_topics_are_deterministic_and_set_beside_the_categories(tmp_path):
    green = "加强生态环境保护，治理大气污染，保护森林湿地，推进植树造林。"
    factory = "发展先进制造业，扩大工业投资，支持企业技术改造，提高工业产值。"
    docs = {f"g{i}.txt": "\n".join([green] * 3) for i in range(3)}
    docs.update({f"f{i}.txt": "\n".join([factory] * 3) for i in range(3)})
    corp = _crafted(tmp_path, docs=docs, region=["G"] * 3 + ["F"] * 3)
    t = emphasis_topics(corp, lexicon="governance", n_topics=2)
    assert list(t.columns) == ["group", "topic", "share", "n_paragraphs", "top_terms", "categories", "uncovered"]
    assert np.allclose(t.groupby("group")["share"].sum(), 1.0)
    top = t.loc[t.groupby("group")["share"].idxmax()].set_index("group")
    assert "ecology" in top.loc["G", "categories"] and "economy" in top.loc["F", "categories"]
    assert top.loc["G", "topic"] != top.loc["F", "topic"]
    pd.testing.assert_frame_equal(t, emphasis_topics(corp, lexicon="governance", n_topics=2))


@pytest.mark.external_corpus
def test_the_governance_instrument_covers_every_field_of_the_city_reports(city, tmp_path):
    folder = city.copy(tmp_path / "city", city.files(24))
    v = instrument_validity(analysis.load_corpus(folder))  # no corpus.yaml: governance
    topics = v[v["kind"] == "topic"]
    assert (topics["hits"] > 0).all() and topics["covered"].all()
    assert {"dominated", "top_share"} <= set(v.columns)
