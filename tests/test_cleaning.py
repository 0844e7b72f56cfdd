"""Cleaning steps, each on crafted input and on the real seeds."""
from __future__ import annotations

import re

import pytest

from analysis import cleaning
from analysis.cleaning import fastscan
from analysis.cleaning import (
    clean,
    decode,
    join_title_lines,
    normalize_punctuation,
    normalize_width,
    remove_boilerplate,
    remove_invisible,
    repair_lines,
    tidy_whitespace,
    to_simplified,
    traditional_only_chars,
)
from analysis.errors import DecodeError
import badinput as bi
from conftest import seed_text


# ------------------------------------------------------------------ decoding

@pytest.mark.parametrize(
    "encoding, expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
     ("utf-16", "utf-16-le"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_decode_detects_encoding(encoding, expected):
    text = "坚持“外防输入、内防反弹”总策略，2022年。"
    got, found = decode(text.encode(encoding), "doc.txt")
    assert got == text
    assert found == expected


def test_decode_gb18030_copy_of_seed_is_identical():
    raw = seed_text("004")
    got, enc = decode(raw.encode("gb18030"), "004.txt")
    assert got == raw and enc == "gb18030"


def test_decode_binary_names_file():
    with pytest.raises(DecodeError, match=r"scan\.png.*binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "scan.png")


def test_decode_undecodable_names_file_and_fix():
    with pytest.raises(DecodeError) as exc:
        decode(b"\xff\xfe\xfd" * 3 + b"abc\x81", "bad.txt")
    msg = str(exc.value)
    assert "bad.txt" in msg and "Fix:" in msg


@pytest.mark.parametrize("text, encoding, language", [(bi.JAPANESE, "euc_jp", "Japanese"), (bi.KOREAN, "euc_kr", "Korean")])
def test_decode_refuses_japanese_and_korean_that_gbk_would_read(text, encoding, language):
    data = text.encode(encoding)
    data.decode("gb18030")  # the trap: valid GBK, and common characters at that
    with pytest.raises(DecodeError, match=rf"notice\.txt: is {language} text .*not Chinese.*Fix: remove it"):
        decode(data, "notice.txt")
    assert decode(text.encode("utf-8"), "notice.txt") == (text, "utf-8")  # as UTF-8 it reads as what it is


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_decode_reads_every_seed_saved_as_gbk_or_big5(prefix):
    # the Japanese/Korean detector is asked about each of these, and must say Chinese
    raw = seed_text(prefix)
    assert decode(raw.encode("gb18030"), f"{prefix}.txt") == (raw, "gb18030")
    try:
        big5 = raw.encode("cp950")
    except UnicodeEncodeError:  # Simplified characters that Big5 lacks
        return
    assert decode(big5, f"{prefix}.txt") == (raw, "big5")


# ------------------------------------------------------------------ single steps

def test_simplified_converts_traditional_seed_fully():
    text, edits = to_simplified(seed_text("001"))
    assert traditional_only_chars(text) == []
    assert "刘宁主持召开会议" in text and "坚决守住不出现疫情规模性反弹的底线" in text
    assert edits and all(e.rule == "t2s" for e in edits)


def test_simplified_leaves_simplified_seeds_alone():
    for prefix in ("000", "002", "003", "004"):
        raw = seed_text(prefix)
        assert to_simplified(raw)[0] == raw


def test_simplified_mixed_text():
    text, _ = to_simplified("堅持动态清零，這是總方针")
    assert text == "坚持动态清零，这是总方针"


def test_width_normalises_only_ascii_letters_and_digits():
    text, edits = normalize_width("２０２２年ＡＢｃ，“动态清零”、。")
    assert text == "2022年ABc，“动态清零”、。"
    assert [e.old for e in edits] == ["２０２２", "ＡＢｃ"]


def test_invisible_characters_removed():
    text, edits = remove_invisible("动态\u200b清零\ufeff")
    assert text == "动态清零" and len(edits) == 2


def test_ascii_punctuation_after_chinese_becomes_chinese():
    text, _ = normalize_punctuation("会议指出,当前形势严峻(记者 陈某)。时间12:01,版本1.2")
    # only marks right after Chinese change; "12:01," and "1.2" are left as they are
    assert text == "会议指出，当前形势严峻（记者 陈某）。时间12:01,版本1.2"


def test_chinese_punctuation_never_rewritten():
    s = "早发现、早报告、早隔离、早治疗。“动态清零”！"
    assert clean(s).text == s


def test_repair_joins_page_break_inside_word_seed_003():
    text = clean(seed_text("003")).text
    assert "作为当前工作的重中之重" in text
    assert "不得限制生产生活" in text
    # headings and the speech's title block keep their own lines
    lines = text.split("\n")
    assert any(l.startswith("一、清醒认识复杂严峻形势") and l.endswith("使命感") for l in lines)
    assert "赵一德" in lines


def test_repair_joins_pdf_lines_seed_000():
    text = clean(seed_text("000")).text
    assert "系列部署要求" in text and "部\n署" not in text
    lines = text.split("\n")
    assert any(l.startswith("一、深入学习领会") and "坚决守好祖国南大门" in l for l in lines)
    assert any(l.startswith("二、从严从紧从细") for l in lines)
    assert any(l.startswith("三、狠抓工作落实") for l in lines)


def test_repair_joins_title_broken_over_lines_seed_000():
    result = clean(seed_text("000"))
    first = result.text.split("\n")[0]
    assert first.startswith("广西壮族自治区新型冠状病毒感染的肺炎疫情防控工作领导小组指挥部关于对2022年元旦春节期间")
    assert first.endswith("再部署再检查再落实的通知")
    audit = result.audit()
    assert (audit.rule == "join_title_lines").sum() == 3  # four lines, three joins
    assert clean(result.text).text == result.text


@pytest.mark.parametrize("head, joined", [
    # a notice's title over three lines, blank lines between: one line
    ("XX市人民政府办公室关于进一步做好\n\n冬春季疫情防控工作\n的通知\n", "XX市人民政府办公室关于进一步做好冬春季疫情防控工作的通知"),
    # a single-line title, and a title followed by its subtitle: untouched
    ("关于做好疫情防控工作的通知\n", None),
    ("坚定信心 迎难而上\n——在全市疫情防控工作会议上的讲话\n", None),
    # a letterhead with a document number is no title
    ("XX市人民政府文件\nX政发〔2022〕3号\n关于印发防控方案的通知\n", None),
    # the first line is prose; the title words come too late
    ("为做好防控工作，现通知如下\n具体事项见附件\n的通知\n", None),
])
def test_repair_title_lines_crafted(head, joined):
    text = head + "各区人民政府，市各有关单位：\n现将有关事项通知如下。\n"
    out, edits = join_title_lines(text)
    if joined is None:
        assert not [e for e in edits if e.rule == "join_title_lines"]
    else:
        assert out.split("\n")[0] == joined
        assert out.split("\n")[1] == "各区人民政府，市各有关单位："  # the salutation keeps its line


def test_repair_keeps_headings_and_short_titles():
    text = "一、总体要求\n各地要坚持“动态清零”总方针，做好防控工作。\n（一）加强领导\n要压实责任。"
    assert repair_lines(text)[0] == text


def test_repair_crafted_hard_wrapped_text():
    paras = [
        "一、各地各部门要认真贯彻落实党中央国务院决策部署把疫情防控作为重要工作全力以赴抓好各项措施落实。",
        "全区各级指挥部要保持应急状态建立值班值守制度确保一旦发生疫情能够第一时间报告第一时间处置。",
        "二、要加强宣传引导倡导广大干部群众在节日期间非必要不离开本地不前往中高风险地区提倡就地过年。",
    ]
    wrapped = "\n\n".join(p[i:i + 20] for p in paras for i in range(0, len(p), 20))
    out = clean(wrapped).text
    # hard-wrapped lines are rejoined; a heading (二、) still starts its own paragraph
    assert out.split("\n") == paras


def test_boilerplate_removed_from_seed_002_and_audited():
    result = clean(seed_text("002"))
    text, audit = result.text, result.audit()
    assert "当前位置" not in text and "首页" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
    assert "版权" not in text and "仅供交流学习" not in text
    assert "http" not in text and "本文链接" not in text
    rules = set(audit.loc[audit.step == "boilerplate", "rule"])
    assert {"breadcrumb", "web_timestamp", "copyright_footer", "url_line"} <= rules
    removed = " ".join(audit.loc[audit.step == "boilerplate", "old"])
    assert "当前位置" in removed and "hnhuayukeji" in removed and "2024-03-19" in removed


def test_stray_pipe_removed_seed_001():
    text = clean(seed_text("001")).text
    assert "|" not in text and text.endswith("设分会场。")


def test_boilerplate_rules_are_data(tmp_path):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("- name: ad\n  description: an ad\n  pattern: '^广告.*$'\n", encoding="utf-8")
    rules = cleaning.load_boilerplate_rules(rules_file)
    text, edits = remove_boilerplate("正文。\n广告：买一送一\n结尾。", rules)
    assert text == "正文。\n\n结尾。" and edits[0].rule == "ad"


def test_bad_boilerplate_pattern_is_reported(tmp_path):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("- name: broken\n  pattern: '(unclosed'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken"):
        cleaning.load_boilerplate_rules(rules_file)


# ------------------------------------------------------------------ notices: footers and headers only

BODY = "各级版权管理部门要加强监督检查，依法保护版权所有人的合法权益。"
FOOTER = ["本网站所载文章仅供交流学习，版权归属原作者，转载请注明出处。",
          "版权所有 © 2024 某某市人民政府 未经授权禁止转载",
          "Copyright © 2024 All Rights Reserved"]


def _paragraphs(prefix: str = "004") -> list[str]:
    return clean(seed_text(prefix)).text.split("\n")


def test_body_paragraph_that_mentions_copyright_stays():
    paras = _paragraphs()
    paras.insert(len(paras) // 2, BODY)
    text = "\n\n".join(paras)
    result = clean(text)
    assert BODY in result.text.split("\n")
    assert result.text == "\n".join(paras)
    assert not [e for e in result.edits if e.step == "boilerplate"]


def test_one_line_scraped_document_that_mentions_copyright_stays_whole():
    # a scraped page with no line breaks: a rule that removes "the line" would remove the document
    paras = _paragraphs()
    paras.insert(len(paras) // 2, "本网站版权所有，转载请注明出处。")
    text = "".join(paras)
    assert "\n" not in text and len(text) > 3000
    result = clean(text)
    assert result.text == text and not result.edits


def test_footer_block_at_the_end_is_removed():
    paras = _paragraphs()
    result = clean("\n\n".join(paras + FOOTER) + "\n")
    assert result.text == "\n".join(paras)
    assert {e.rule for e in result.edits if e.step == "boilerplate"} == {"copyright_footer"}
    # a longer block of notices goes whole: the notices do not count as the document's lines
    result = clean("\n".join(paras + FOOTER * 3))
    assert result.text == "\n".join(paras)


def test_header_notice_at_the_start_is_removed():
    paras = _paragraphs()
    for header in ("转载请注明出处：某某市人民政府网", "Copyright © 2024 某某网 All Rights Reserved"):
        result = clean("\n".join([header, *paras]))
        assert result.text == "\n".join(paras)
        assert [e.rule for e in result.edits if e.step == "boilerplate"] == ["copyright_footer"]


@pytest.mark.parametrize("header", ["当前位置：首页 > 新闻", "转载请注明出处：某某网", "本文版权归原作者所有，仅供交流学习"])
def test_header_line_is_never_joined_to_the_title(header):
    # the lines step used to glue the header to the title (or the salutation) below it, and the
    # boilerplate rule then removed the title with the header
    paras = _paragraphs()
    assert paras[0].endswith("的通知")
    result = clean("\n".join([header, *paras]))
    assert result.text == "\n".join(paras)
    broken = "\n".join([header, "XX市人民政府办公室关于进一步做好", "冬春季疫情防控工作", "的通知", *paras[1:]])
    assert clean(broken).text.split("\n") == ["XX市人民政府办公室关于进一步做好冬春季疫情防控工作的通知", *paras[1:]]
    assert clean("\n".join([header, *paras[1:]])).text == "\n".join(paras[1:])


def test_page_number_between_the_halves_of_a_sentence_goes():
    # a PDF page break: the page number used to be glued into the sentence ("全面— 1 —贯彻")
    text = ("一年来，面对严峻复杂的外部环境，我们坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻重要讲话精神，全面\n"
            "— 1 —\n贯彻落实党的二十大精神，较好地完成了目标任务。\n")
    result = clean(text)
    assert result.text == text.replace("\n— 1 —\n", "").strip()
    assert "page_number" in {e.rule for e in result.edits}


def test_lines_still_join_a_distribution_list_and_prose_that_mentions_copyright():
    body = _paragraphs()
    cc = "抄送：自治区新冠肺炎疫情防控工作领导小组组长、副组长，\n指挥部各工作组组长、副组长。"
    assert clean("\n".join([*body, cc])).text == "\n".join(body)
    middle = len(body) // 2
    wrapped = "各级版权管理部门要加强监督检查，依法保护版权所有人\n的合法权益，严厉打击侵权盗版行为。"
    out = clean("\n".join([*body[:middle], wrapped, *body[middle:]])).text
    assert wrapped.replace("\n", "") in out.split("\n")


def test_notice_line_in_the_middle_is_removed_but_prose_about_rights_holders_stays():
    paras = _paragraphs()
    middle = len(paras) // 2
    with_notice = paras[:middle] + ["版权所有 © 2024 某某网"] + paras[middle:]
    assert clean("\n".join(with_notice)).text == "\n".join(paras)
    heading = paras[:middle] + ["版权所有人的权利"] + paras[middle:]
    assert clean("\n".join(heading)).text == "\n".join(heading)


def test_edge_rules_leave_long_lines_and_the_middle_alone(tmp_path):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(
        "settings:\n  edge_lines: 2\n  max_line_chars: 10\n"
        "rules:\n- name: ad\n  where: edge\n  pattern: '^广告[^\\n]*$'\n", encoding="utf-8")
    rules = cleaning.load_boilerplate_rules(rules_file)
    assert (rules[0].where, rules[0].edge_lines, rules[0].max_line_chars) == ("edge", 2, 10)
    lines = ["广告一", "正文一。", "正文二。", "广告二", "正文三。", "正文四。", "正文五。", "广告三", "广告四很长很长很长很长很长"]
    text, edits = remove_boilerplate("\n".join(lines), rules)
    # the first line (head) and the short notice among the last two lines of text go; the
    # one in the middle and the long one stay
    assert [e.old for e in edits] == ["广告一", "广告三"]


@pytest.mark.parametrize("yaml_text, message", [
    ("- name: a\n  pattern: x\n  where: edges\n", r"rule 'a': 'where' must be 'anywhere' .* or 'edge'.*not 'edges'"),
    ("- name: a\n  pattern: x\n  wher: edge\n", r"rule 'a' has unknown key\(s\) \['wher'\]"),
    ("- name: a\n  pattern: x\n  edge_lines: 3\n", r"rule 'a': 'edge_lines' needs 'where: edge'"),
    ("- name: a\n  pattern: x\n  where: edge\n  max_line_chars: 0\n", r"rule 'a': max_line_chars must be a whole number of 1 or more"),
    ("- name: a\n  pattern: x\n- name: a\n  pattern: y\n", r"two rules are named 'a'"),
    ("settings:\n  warn_share: 20\nrules: []\n", r"warn_share must be a share above 0 and at most 1"),
    ("settings:\n  edge_line: 3\nrules: []\n", r"unknown setting\(s\) \['edge_line'\]"),
    ("setting:\n  edge_lines: 3\n", r"unknown top-level key\(s\) \['setting'\]"),
])
def test_bad_boilerplate_options_are_reported(tmp_path, yaml_text, message):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as exc:
        cleaning.load_boilerplate_rules(rules_file)
    assert str(rules_file) in str(exc.value)


def test_shipped_boilerplate_settings():
    settings = cleaning.boilerplate_settings()
    assert (settings.edge_lines, settings.max_line_chars, settings.warn_share) == (5, 100, 0.2)
    rules = {r.name: r for r in cleaning.load_boilerplate_rules()}
    assert rules["copyright_footer"].where == "edge" and rules["url"].where == "anywhere"


# ------------------------------------------------------------------ a rule that removes much of a document

BIG_FOOTER = "坚持动态清零。\n本网站文章仅供交流学习，不作为商用，版权归属原作者，若侵犯到您的权益烦请告知，我们将立即删除。"


def test_rules_over_share_names_a_rule_that_removes_much():
    result = clean(BIG_FOOTER)
    over = cleaning.rules_over_share(result)
    assert list(over["rule"]) == ["copyright_footer"]
    row = over.iloc[0]
    assert row.n_chars == len(BIG_FOOTER) and row.chars_removed == len(BIG_FOOTER.split("\n")[1])
    assert row.share == row.chars_removed / row.n_chars > 0.2
    assert cleaning.rules_over_share(result, 0.9).empty
    for prefix in ("000", "001", "002", "003", "004"):
        assert cleaning.rules_over_share(clean(seed_text(prefix))).empty


def test_check_warns_about_a_rule_that_removes_much(tmp_path):
    from conftest import make_corpus, run_cli
    from analysis.corpus import scan

    folder = make_corpus(tmp_path / "c", {"footer.txt": BIG_FOOTER, "seed.txt": seed_text("004")})
    n = len(BIG_FOOTER.split("\n")[1])
    expected = (f"WARNING: {folder / 'footer.txt'}: the cleaning rule copyright_footer removed {n} of "
                f"{len(BIG_FOOTER)} characters ({100 * n / len(BIG_FOOTER):.0f} %). Fix: check the rule in "
                "analysis/data/boilerplate.yaml")
    corp, problems = scan(folder)
    assert [str(p)[:len(expected)] for p in problems] == [expected]
    code, out, err = run_cli(["check", "--corpus", str(folder), "--by", "id"])  # each document its own group
    assert code == 0 and "Traceback" not in err
    assert [line for line in out.splitlines() if line.startswith("WARNING")][0].startswith(expected)
    assert "1 warning(s)" in out


# Patterns of every shape the fast scans treat specially (anchored at line starts, empty
# matches, leading repeats, look-arounds, groups and back-references, case-insensitive,
# possessive and atomic), and some they leave alone.
FAST_SCAN_PATTERNS = [
    r"^[ \t]*(?:当前位置|您的位置)[ \t]*[:：][^\n]*$", r"^[^\n]*(?:版权所有|Copyright)[^\n]*$",
    r"[|｜]+[ \t]*$|^[ \t]*[|｜]+[ \t]*", r"^", r"^$", r"^(?:|a)", r"^a*", r"\Aab", r"(?m:^b)|^a",
    r"^(a)\1", r"(^ab|^\n)", r"^(?>a+)b", r"^a++", r"^(?<=\n)a", r"(?i)^AB", r"^(?i:a)b", r"a+", r"[ab]{2,3}?b",
    r"\n\n+", r"a{2}b", r"x|ab", r"(?<=a)b", r"(?=ab)a", r"(?!a)b", r"ab$", r"[^a]b", r"\d+年", r"(?x) ^ a  b",
]
FAST_SCAN_TEXTS = ["", "\n", "ab", "aab\nab\n", "\nab\n\nAb\naab", "b\na\n\n\nb", "当前位置：首页\n正文|\n ｜版权所有 2024",
                   "2022年\nab ab\n  |x|  \n", "Copyright\nxab"]


@pytest.mark.parametrize("pattern", FAST_SCAN_PATTERNS)
def test_fast_scans_find_exactly_what_finditer_finds(pattern):
    compiled = re.compile(pattern, re.MULTILINE)
    for text in FAST_SCAN_TEXTS:
        want = [(m.span(), m.groups()) for m in compiled.finditer(text)]
        assert [(m.span(), m.groups()) for m in fastscan.finditer(compiled, text)] == want
        if fastscan.cannot_match(text, compiled, {}):  # a rule is skipped only when it finds nothing
            assert want == []


def test_fast_scans_facts():
    assert fastscan.parser_works()
    facts = fastscan.pattern_facts
    copyright = facts(re.compile(r"^[^\n]*(?:版权所有|Copyright)[^\n]*$", re.M))
    assert copyright.literals == (("版权所有", "Copyright"),) and copyright.after_newline is not None
    assert facts(re.compile(r"\n\n+")).literals == (("\n\n",), ("\n",))
    assert facts(re.compile("(?i)abc")).literals == ()  # other cases match too
    assert facts(re.compile("a(?:b)?c|d")).literals == (("a", "d"),)
    assert facts(re.compile("[ab]+c")).unrolled is not None
    # rules that cannot match are not scanned for, and the result is the same
    text = "正文。\n广告：买一送一\n结尾。"
    rules = [cleaning.BoilerplateRule(n, re.compile(p, re.M), "") for n, p in [("a", "^广告.*$"), ("b", "^版权.*$")]]
    assert remove_boilerplate(text, rules) == ("正文。\n\n结尾。", [cleaning.Edit("boilerplate", "a", 4, 11, "广告：买一送一", "")])


@pytest.fixture
def fresh_fastscan():
    """The optimiser's memos cleared before and after the test (it changes what they hold)."""
    fastscan.parser_works.cache_clear()
    fastscan.pattern_facts.cache_clear()
    yield fastscan
    fastscan.parser_works.cache_clear()
    fastscan.pattern_facts.cache_clear()


def _broken_parser(kind):
    import re._parser as real

    class Parser:
        @staticmethod
        def parse(pattern, flags=0):
            if kind == "raises":
                raise TypeError("a parser of another Python")
            # a parser that reads every pattern as another one: the facts would be wrong
            return real.parse("zq", flags)

    return Parser


@pytest.mark.parametrize("kind", ["missing", "raises", "wrong tree"])
def test_fast_scans_fall_back_to_finditer_without_a_working_parser(kind, fresh_fastscan, monkeypatch):
    assert fastscan.parser_works()  # on this Python the optimiser is on
    raw = seed_text("002")
    fast = clean(raw)
    fastscan.parser_works.cache_clear()
    fastscan.pattern_facts.cache_clear()
    monkeypatch.setattr(fastscan, "_sre_parse", None if kind == "missing" else _broken_parser(kind))
    assert not fastscan.parser_works()
    for pattern in FAST_SCAN_PATTERNS:
        compiled = re.compile(pattern, re.MULTILINE)
        assert fastscan.pattern_facts(compiled) == fastscan.PatternFacts()
        for text in FAST_SCAN_TEXTS:
            want = [(m.span(), m.groups()) for m in compiled.finditer(text)]
            assert [(m.span(), m.groups()) for m in fastscan.finditer(compiled, text)] == want
            assert not fastscan.cannot_match(text, compiled, {})
    # cleaning gives the same result, only slower
    assert clean(raw) == fast


def test_whitespace_between_chinese_and_digits():
    text, _ = tidy_whitespace("  2022 年 1 月 1 日\n\n\n关于 2022 年元旦  \n")
    assert text == "2022年1月1日\n关于2022年元旦"


# ------------------------------------------------------------------ whole pipeline

@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_clean_accounts_for_every_character_and_is_idempotent(prefix):
    raw = seed_text(prefix)
    result = clean(raw)
    audit = result.audit()
    assert len(raw) == len(result.text) + audit["chars_removed"].sum()
    assert clean(result.text).text == result.text
    # replaying the edits step by step reproduces the clean text
    assert result.text.strip() == result.text and "\n\n" not in result.text


def test_audit_lists_rule_and_text():
    result = clean("当前位置：首页 > 新闻\n\n坚持动态清零。")
    audit = result.audit()
    row = audit[audit.rule == "breadcrumb"].iloc[0]
    assert row.old.startswith("当前位置") and row.new == "" and row.step == "boilerplate"
    assert result.text == "坚持动态清零。"


@pytest.mark.parametrize(
    "text, n",
    [("", 0), ("abc 123", 0), ("疫情防控", 4), ("新冠 COVID-19 疫情，2022年", 5), ("㐀豈\U00020000中", 3),
     ("\n中\n\n文\n", 2)],
)
def test_count_cjk_known_answers(text, n):
    """Ideographs of the basic block, extension A and the compatibility block; not extension B, not punctuation."""
    from analysis.text import CJK_RE, count_cjk

    assert count_cjk(text) == n == len(CJK_RE.findall(text))


def test_count_cjk_on_the_seeds(seeds_corpus):
    from analysis.text import CJK_RE, count_cjk

    for doc in seeds_corpus:
        assert count_cjk(doc.text) == len(CJK_RE.findall(doc.text)) > 1000
