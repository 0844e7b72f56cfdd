"""Boilerplate shared across documents (analysis.cleaning.shared_lines): crafted corpora both ways, the audit, check."""
from __future__ import annotations

import json

import pytest
from conftest import SHARED, make_corpus, run_cli

import analysis
from analysis.cleaning import replay
from analysis.cleaning.shared_lines import (
    SharedLineSettings,
    line_key,
    remove_shared_lines,
    shared_line_settings,
    shared_lines,
)

CONGRESS = SHARED / "corpora" / "cpc-congress-reports" / "reports.jsonl"
BODIES = [
    "今年以来，全市经济运行稳中向好，工业生产平稳增长。",
    "各地各部门要认真落实防汛抗旱责任，确保群众生命财产安全。",
    "会议强调，要持续优化营商环境，支持民营企业发展壮大。",
    "全区粮食生产再获丰收，农民收入稳步提高，乡村面貌明显改善。",
    "学校要加强安全教育，做好学生心理健康服务工作。",
    "省委召开常委会议，研究部署下一阶段重点工作任务。",
    "医疗机构要完善预检分诊制度，规范发热门诊管理。",
    "我市新建改建农村公路一百二十公里，群众出行更加便捷。",
]
BODIES = [b * 8 for b in BODIES]  # a footer is a small part of a document (max_block_share)
NAMES = "甲乙丙丁戊己庚辛"
FOOTER = "本网站所有内容均可自由转载，须注明来源某某政务网\n网站标识码 1234567890\n联系电话：0771-1234567"


def _texts(footer: str | None = FOOTER, n: int = 8) -> list[str]:
    return [f"{body}\n第二段，具体内容各不相同，编为{NAMES[i]}。\n{footer}" if footer else body for i, body in enumerate(BODIES[:n])]


def test_line_key_ignores_spaces_and_digits():
    assert line_key("第 3 页") == line_key("第12页") == "第0页"
    assert line_key("2024年1月3日") == line_key("2023年12月30日")


def test_a_footer_shared_by_many_documents_is_removed_whole():
    texts = _texts()
    new, edits, found = remove_shared_lines(texts)
    assert all(t.endswith(f"编为{NAMES[i]}。") for i, t in enumerate(new))
    assert all(len(e) == 1 and e[0].rule == "shared_line" and e[0].step == "shared_lines" for e in edits)
    assert set(found["edge"]) == {"foot"} and len(found) == 3
    assert (found["n_docs"] == 8).all()


def test_nearly_verbatim_lines_count_as_one():
    texts = [t.replace("1234567890", str(10**9 + i)) for i, t in enumerate(_texts())]
    new, _, found = remove_shared_lines(texts)
    assert not any("标识码" in t for t in new)


def test_a_slogan_line_ending_a_few_short_notices_is_kept():
    slogan = "坚决打赢疫情防控阻击战！"
    texts = [f"{b}\n{slogan}" if i < 4 else b for i, b in enumerate(BODIES)]
    new, edits, found = remove_shared_lines(texts)
    assert new == texts and not any(edits) and found.empty
    # a short line alone never starts a block, however many documents end with it
    texts = [f"{b}\n同志们：" for b in BODIES]
    assert remove_shared_lines(texts)[0] == texts


def test_a_shared_line_inside_the_body_is_kept():
    texts = [f"{b}\n本网站所有内容均可自由转载，须注明来源某某政务网\n正文还在继续，{NAMES[i]}段。" for i, b in enumerate(BODIES)]
    assert remove_shared_lines(texts)[0] == texts


def test_a_second_template_attached_to_the_footer_goes_with_it():
    other = "本页面依据另一种许可发布，转载请保留\n网站标识码 1234567890\n联系电话：0771-1234567"
    texts = _texts()[:6] + [f"{b}\n正文{NAMES[i]}。\n{other}" for i, b in enumerate(BODIES[6:])]
    new, _, found = remove_shared_lines(texts)
    assert not any("许可" in t or "标识码" in t for t in new)
    assert found.set_index("line").loc["本页面依据另一种许可发布，转载请保留", "n_docs"] == 2


def test_a_letterhead_is_removed_from_the_head():
    texts = [f"某某市人民政府办公室文件\n某政办发〔2024〕{i}号\n{b}" for i, b in enumerate(BODIES)]
    new, _, found = remove_shared_lines(texts)
    assert new == BODIES
    assert list(found["edge"]) == ["head", "head"]


def test_thresholds_documents_and_share():
    texts = _texts()
    assert remove_shared_lines(texts[:4])[0] == texts[:4]  # fewer than min_docs documents
    few = texts[:5] + BODIES * 3  # 5 of 29 documents: under a fifth
    assert remove_shared_lines(few)[0] == few
    assert remove_shared_lines(few, SharedLineSettings(min_share=0.1))[0] != few
    assert remove_shared_lines(texts, SharedLineSettings(enabled=False))[0] == texts


def test_a_document_made_only_of_shared_lines_is_not_emptied():
    texts = _texts() + [FOOTER]
    new, _, _ = remove_shared_lines(texts)
    assert new[-1] == FOOTER


def test_deterministic_whatever_the_order():
    texts = _texts()
    a = remove_shared_lines(texts)
    b = remove_shared_lines(texts[::-1])
    assert a[0] == b[0][::-1]
    assert sorted(a[2]["line"]) == sorted(b[2]["line"])


def test_settings_file_and_corpus_overrides():
    s = shared_line_settings()
    assert s.min_docs >= 5 and 0 < s.min_share <= 1 and s.enabled
    assert not shared_line_settings(overrides=False).enabled
    assert shared_line_settings(overrides={"min_docs": 9}).min_docs == 9
    with pytest.raises(ValueError, match="unknown shared-lines setting"):
        shared_line_settings(overrides={"min_doc": 9})


def _corpus(tmp_path, texts, options: str | None = None):
    folder = make_corpus(tmp_path / "c", {f"d{i}.txt": t for i, t in enumerate(texts)})
    if options is not None:
        (folder / "corpus.yaml").write_text(options, encoding="utf-8")
    return folder


def test_loading_removes_them_with_an_audit_that_replays(tmp_path):
    folder = _corpus(tmp_path, _texts())
    with pytest.warns(UserWarning, match="shared boilerplate"):
        corp = analysis.load_corpus(folder)
    assert not any("标识码" in d.text for d in corp)
    for d in corp:
        assert replay(d.raw, d.result.edits) == d.text
    acc = corp.accounting()
    assert (acc["chars_in"] == acc["chars_kept"] + acc["chars_removed"]).all()
    assert (acc["shared_line"] > 0).all()
    assert set(corp.audit().query("rule == 'shared_line'")["step"]) == {"shared_lines"}
    # the second load reads the cached documents and gives the same corpus
    with pytest.warns(UserWarning, match="shared boilerplate"):
        again = analysis.load_corpus(folder)
    assert [d.text for d in again] == [d.text for d in corp]


def test_check_lists_what_was_found(tmp_path):
    folder = _corpus(tmp_path, _texts())
    code, out, _ = run_cli(["check", "--corpus", str(folder)])
    assert code == 0
    assert "WARNING" in out and "shared boilerplate" in out and "标识码" in out


def test_a_corpus_can_switch_the_step_off(tmp_path):
    folder = _corpus(tmp_path, _texts(), "shared_lines: false\n")
    corp = analysis.load_corpus(folder)
    assert all("标识码" in d.text for d in corp)
    bad = _corpus(tmp_path / "bad", _texts(), "shared_line: false\n")
    with pytest.raises(analysis.CorpusError, match="unknown key"):
        analysis.load_corpus(bad)


def test_the_seeds_lose_nothing(seeds_corpus):
    texts = [d.text for d in seeds_corpus]
    assert shared_lines(texts).empty
    assert "shared_line" not in set(seeds_corpus.audit()["rule"])
    assert not any("shared" in p.problem for p in seeds_corpus.problems)


@pytest.fixture
def congress(tmp_path):
    """The CPC congress reports as a corpus folder (one .txt per record), skipped when ../shared is absent."""
    if not CONGRESS.is_file():
        pytest.skip("../shared/corpora/cpc-congress-reports is not present")
    rows = [json.loads(line) for line in CONGRESS.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = {f"r{i:02d}.txt": r["content"] for i, r in enumerate(rows)}
    return make_corpus(tmp_path / "congress", docs, congress=[r["congress"] for r in rows])


@pytest.mark.external_corpus
def test_no_part_of_the_site_notice_survives_on_the_congress_reports(congress):
    with pytest.warns(UserWarning, match="shared boilerplate"):
        corp = analysis.load_corpus(congress)
    notice = ["Public domain", "false", "公有领域", "维基文库", "版权", "著作权法", "刑事审判参考", "匿名", "社群共识"]
    assert {w: [d.id for d in corp if w in d.text] for w in notice} == {w: [] for w in notice}
    removed = corp.accounting().set_index("doc_id")["shared_line"]
    assert (removed > 0).sum() == 14  # every page with the notice; the stub and one page without it lose nothing
    assert all(replay(d.raw, d.result.edits) == d.text for d in corp)



def test_copies_and_forwarded_notices_are_not_boilerplate():
    notice = "关于做好防汛工作的通知\n各地要落实防汛责任。\n加强巡查值守，确保安全度汛。\n某某省防汛指挥部"
    copies = [notice] * 8
    assert remove_shared_lines(copies)[0] == copies  # one document eight times: no shared lines
    forwarded = [f"{NAMES[i]}区：现将通知转发给你们，请认真贯彻执行。\n{notice}" for i in range(8)]
    assert remove_shared_lines(forwarded)[0] == forwarded  # the notice is most of each document: its text
