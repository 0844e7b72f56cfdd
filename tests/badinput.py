"""The bad-input test set, built by code into a temporary folder (no binary file is committed).

Users bring their own documents: GBK files from government sites, files with a
BOM, empty files, badly exported PDFs, manifests typed by hand. Each case here
is a recipe plus the outcome the suite must give:

* ``"same"``: the file loads to exactly the clean text of a seed (``seed``), with
  the detected ``encoding``;
* ``"warning"``: it loads, and a warning matching ``message`` names the file;
* ``"error"``: it does not load, and an error matching ``message`` names the
  file, what is wrong and how to fix it (never a traceback);
* ``"ok"`` (manifest cases): the corpus loads; ``check`` (a callable) asserts more.

:data:`TEXT_CASES` are single documents; :func:`build_text_corpus` puts them all
in one folder (one manifest row each). :data:`MANIFEST_CASES` each change a copy
of ``seeds/``. :func:`build_many_problems` makes one folder with many different
problems at once, to show that ``check`` lists them all in one run.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


# --------------------------------------------------------------------------- seeds

#: a Japanese and a Korean notice on the same subject: valid GBK bytes in EUC-JP and EUC-KR
JAPANESE = ("新型コロナウイルス感染症の拡大を防ぐため、政府は緊急事態宣言を発出し、国民に不要不急の外出の自粛を"
            "要請しました。各都道府県知事は、飲食店に対して営業時間の短縮を求め、学校や職場における感染対策の徹底を"
            "呼びかけています。医療提供体制の確保とワクチン接種の推進が、引き続き最重要の課題です。\n")
KOREAN = ("정부는 신종 코로나바이러스 감염증 확산을 막기 위해 사회적 거리두기를 강화하고 국민들에게 불필요한 외출을 "
          "자제해 달라고 요청했습니다. 각 지방자치단체는 음식점의 영업시간을 단축하고 학교와 직장에서의 방역 수칙 "
          "준수를 당부했습니다. 의료 체계 확보와 예방접종 확대가 여전히 가장 중요한 과제입니다.\n")



def seed_rows() -> list[dict[str, str]]:
    """The seed manifest's rows, read with the csv module."""
    with open(SEEDS / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def seed_raw(i: int) -> str:
    """Raw text of the i-th seed document (manifest order)."""
    return (SEEDS / seed_rows()[i]["file"]).read_text(encoding="utf-8")


def copy_seeds(dest: Path) -> Path:
    """A copy of ``seeds/`` (documents and manifest) at ``dest``."""
    shutil.copytree(SEEDS, dest)
    return dest


def write_manifest(folder: Path, rows: list[dict[str, str]] | list[list[str]], *, encoding: str = "utf-8",
                   header: list[str] | None = None) -> Path:
    """Write ``manifest.csv`` from dict rows (header from the first) or from lists with ``header``."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    if rows and isinstance(rows[0], dict):
        header = header or list(rows[0])
        writer.writerow(header)
        writer.writerows([[r.get(c, "") for c in header] for r in rows])
    else:
        writer.writerow(header or [])
        writer.writerows(rows)
    path = folder / "manifest.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def manifest_text(folder: Path) -> str:
    return (folder / "manifest.csv").read_text(encoding="utf-8")


@contextmanager
def time_limit(seconds: int):
    """Fail with ``TimeoutError`` when the block runs longer than ``seconds`` (SIGALRM: the main thread, POSIX).

    A test of a bound on time fails instead of hanging on code that misses it.
    """
    def expired(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- binary files


def png_bytes() -> bytes:
    """A valid 2×2 grey PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([0x80, 0x40]) for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    """A small PDF with one page of (compressed) text, as a badly exported policy PDF would be."""
    stream = zlib.compress("BT /F1 12 Tf 72 712 Td (COVID-19 notice) Tj ET".encode("ascii"))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def docx_bytes(text: str = "坚持动态清零。") -> bytes:
    """A minimal Word .docx (a ZIP archive) holding ``text``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document><w:t>{text}</w:t></w:document>')
    return buf.getvalue()


def ole_bytes() -> bytes:
    """The header of an old .doc/.xls/.wps (OLE compound file)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def random_bytes(n: int = 4096, seed: int = 8) -> bytes:
    return np.random.default_rng(seed).bytes(n)


# --------------------------------------------------------------------------- text recipes


def with_invisible_and_fullwidth(text: str) -> str:
    """Zero-width characters every 37 characters; ASCII letters and digits made full-width."""
    full = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)
    marks = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
    return "".join(ch + (marks[i // 37 % len(marks)] if i % 37 == 36 else "") for i, ch in enumerate(full))


def mixed_traditional(text: str) -> str:
    """Every other line of a Traditional text converted to Simplified: a document of both scripts."""
    import opencc

    cc = opencc.OpenCC("t2s")
    return "\n".join(cc.convert(line) if i % 2 else line for i, line in enumerate(text.split("\n")))


def utf8_with_gbk_line(text: str, other: str) -> bytes:
    """UTF-8 text with one line pasted from a GBK file into its middle."""
    lines = text.split("\n")
    mid = len(lines) // 2
    gbk_line = next(l for l in other.split("\n") if len(l) > 10)
    return ("\n".join(lines[:mid]) + "\n").encode("utf-8") + gbk_line.encode("gbk") + (
        "\n" + "\n".join(lines[mid:])).encode("utf-8")


@dataclass(frozen=True)
class TextCase:
    name: str
    data: Callable[[], bytes]
    outcome: str  # "same" | "warning" | "error"
    message: str = ""  # regex the problem must match ("warning" and "error")
    seed: int | None = None  # "same": the seed whose clean text it must equal
    encoding: str | None = None  # "same": the encoding decode must report

    @property
    def file(self) -> str:
        return f"{self.name}.txt"


TEXT_CASES: list[TextCase] = [
    TextCase("gb18030", lambda: seed_raw(3).encode("gb18030"), "same", seed=3, encoding="gb18030"),
    TextCase("gbk", lambda: seed_raw(4).encode("gbk"), "same", seed=4, encoding="gb18030"),
    TextCase("gb18030_traditional", lambda: seed_raw(1).encode("gb18030"), "same", seed=1, encoding="gb18030"),
    TextCase("big5_traditional", lambda: seed_raw(1).encode("big5"), "same", seed=1, encoding="big5"),
    TextCase("utf8_bom", lambda: seed_raw(0).encode("utf-8-sig"), "same", seed=0, encoding="utf-8"),
    TextCase("utf8_double_bom", lambda: ("\ufeff" + seed_raw(0)).encode("utf-8-sig"), "same", seed=0, encoding="utf-8"),
    TextCase("utf16_le_bom", lambda: b"\xff\xfe" + seed_raw(2).encode("utf-16-le"), "same", seed=2, encoding="utf-16-le"),
    TextCase("utf16_be_bom", lambda: b"\xfe\xff" + seed_raw(2).encode("utf-16-be"), "same", seed=2, encoding="utf-16-be"),
    TextCase("utf16_le_no_bom", lambda: seed_raw(3).encode("utf-16-le"), "same", seed=3, encoding="utf-16-le"),
    TextCase("utf16_be_no_bom", lambda: seed_raw(4).encode("utf-16-be"), "same", seed=4, encoding="utf-16-be"),
    TextCase("utf32_bom", lambda: seed_raw(0).encode("utf-32"), "same", seed=0, encoding="utf-32-le"),
    TextCase("crlf", lambda: seed_raw(3).replace("\n", "\r\n").encode("utf-8"), "same", seed=3, encoding="utf-8"),
    TextCase("cr_only", lambda: seed_raw(0).replace("\n", "\r").encode("utf-8"), "same", seed=0, encoding="utf-8"),
    TextCase("zero_width_and_fullwidth", lambda: with_invisible_and_fullwidth(seed_raw(2)).encode("utf-8"), "same",
             seed=2, encoding="utf-8"),
    TextCase("mixed_traditional_simplified", lambda: mixed_traditional(seed_raw(1)).encode("utf-8"), "same",
             seed=1, encoding="utf-8"),
    TextCase("control_characters", lambda: (seed_raw(4)[:500] + "\x07" + seed_raw(4)[500:] + "\x1a").encode("gbk"),
             "same", seed=4, encoding="gb18030"),
    TextCase("stray_nul", lambda: (seed_raw(0)[:300] + "\x00" + seed_raw(0)[300:]).encode("utf-8"), "same",
             seed=0, encoding="utf-8"),
    TextCase("empty", lambda: b"", "error", r"is empty \(0 bytes\)"),
    TextCase("whitespace_only", lambda: " \n\u3000\r\n\t\n".encode("utf-8"), "error", r"contains only whitespace"),
    TextCase("png_image", png_bytes, "error", r"is a PNG image, a binary file.*Fix: run OCR"),
    TextCase("pdf_export", pdf_bytes, "error", r"is a PDF document.*Fix: extract its text"),
    TextCase("word_docx", docx_bytes, "error", r"is a ZIP archive \(a Word \.docx.*Fix: open it and save it as plain text"),
    TextCase("old_word_doc", ole_bytes, "error", r"old Microsoft Office.*Fix:"),
    TextCase("random_binary", random_bytes, "error", r"looks like a binary file"),
    TextCase("truncated_utf16", lambda: b"\xff\xfe" + seed_raw(2).encode("utf-16-le")[:-1], "error",
             r"utf-16-le byte-order mark but byte \d+ is invalid.*Fix: re-save the file as UTF-8"),
    TextCase("utf8_with_gbk_line", lambda: utf8_with_gbk_line(seed_raw(0), seed_raw(4)), "error",
             r"is not UTF-8 text: the first invalid byte is on line \d+, after «.+» \(the rest is valid UTF-8: "
             r"part of the file was saved in another encoding\).*Fix:"),
    TextCase("shift_jis_japanese", lambda: ("日本語のテキストです。東京都の会議で決定しました。" * 5).encode("shift_jis"),
             "error", r"is not UTF-8 text.*only \d+% of its Chinese characters are common ones"),
    TextCase("euc_jp_japanese", lambda: JAPANESE.encode("euc_jp"), "error",
             r"is Japanese text \(.+\), not Chinese.*Fix: remove it from the manifest"),
    TextCase("euc_kr_korean", lambda: KOREAN.encode("euc_kr"), "error",
             r"is Korean text \(.+\), not Chinese.*Fix: remove it from the manifest"),
    TextCase("japanese_utf8", lambda: JAPANESE.encode("utf-8"), "warning",
             r"looks like Japanese, not Chinese: \d+ of its characters are kana.*Fix: remove it from the manifest"),
    TextCase("korean_utf8", lambda: KOREAN.encode("utf-8"), "warning",
             r"looks like Korean, not Chinese: \d+ of its characters are Hangul.*Fix: remove it from the manifest"),
    TextCase("latin1", lambda: "Ça coûte très cher à Genève, résumé naïve.\n".encode("latin-1"), "error",
             r"is not UTF-8 text"),
    TextCase("no_chinese", lambda: b"Guidelines on epidemic prevention and control.\nStay at home.\n", "warning",
             r"contains no Chinese characters"),
    TextCase("html_page", lambda: ("<!DOCTYPE html><html><head><title>通知</title></head><body><p>坚持动态清零。</p>"
                                   "<script>var x = 1;</script></body></html>").encode("utf-8"),
             "warning", r"looks like an HTML or XML page"),
    TextCase("only_boilerplate", lambda: "当前位置：首页 > 新闻\nhttp://www.example.gov.cn/a.html\n版权所有 2024\n".encode(),
             "error", r"has no text left after cleaning.*breadcrumb.*Fix:"),
]


def build_text_corpus(folder: Path, cases: list[TextCase] = TEXT_CASES) -> Path:
    """One folder with every text case as a document (id = case name) and a manifest listing them."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for case in cases:
        (folder / case.file).write_bytes(case.data())
        rows.append({"id": case.name, "file": case.file, "region": case.outcome})
    write_manifest(folder, rows)
    return folder


# --------------------------------------------------------------------------- manifest recipes


def _rewrite(folder: Path, change: Callable[[list[dict[str, str]]], list[dict[str, str]]], **kw) -> None:
    rows = change([dict(r) for r in seed_rows()])
    write_manifest(folder, rows, header=kw.pop("header", None) or list(seed_rows()[0]), **kw)


def _set(i: int, **values) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        def change(rows):
            rows[i].update(values)
            return rows
        _rewrite(folder, change)
    return build


def _move_into_subfolder(folder: Path) -> None:
    (folder / "docs").mkdir()
    rows = [dict(r) for r in seed_rows()]
    for r in rows:
        shutil.move(folder / r["file"], folder / "docs" / r["file"])
        r["file"] = "docs\\" + r["file"]
    write_manifest(folder, rows)


def _outside_relative(folder: Path) -> None:
    (folder.parent / "outside.txt").write_text("坚持动态清零。", encoding="utf-8")
    _set(1, file="../outside.txt")(folder)


def _outside_absolute(folder: Path) -> None:
    target = folder.parent / "elsewhere.txt"
    target.write_text("坚持动态清零。", encoding="utf-8")
    _set(1, file=str(target.resolve()))(folder)


def _symlink_outside(folder: Path) -> None:
    target = folder.parent / "secret.txt"
    target.write_text("机密。", encoding="utf-8")
    os.symlink(target, folder / "link.txt")
    _set(1, file="link.txt")(folder)


def _symlink_inside(folder: Path) -> None:
    row = seed_rows()[1]
    os.symlink(folder / row["file"], folder / "alias.txt")
    _set(1, file="alias.txt")(folder)


def _directory(folder: Path) -> None:
    (folder / "chapter").mkdir()
    (folder / "chapter" / "part1.txt").write_text("坚持动态清零。", encoding="utf-8")
    _set(1, file="chapter")(folder)


def _raw_manifest(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / "manifest.csv").write_bytes(text.encode(encoding))
    return build


def _seed_manifest_as(encoding: str, newline: str = "\n") -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        text = (SEEDS / "manifest.csv").read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", newline)
        (folder / "manifest.csv").write_bytes(text.encode(encoding))
    return build


def _edit_manifest_text(edit: Callable[[str], str]) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        path = folder / "manifest.csv"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return build


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _blank_lines(text: str) -> str:
    head, *rows = _lines(text)
    return "\n".join([head, "", rows[0], "", " ", ",,,,,,,", *rows[1:], "", ""]) + "\n"


def _blank_lines_and_bad_date(text: str) -> str:
    # the bad date sits on physical line 7 of the file (3 blank lines before it)
    head, *rows = _lines(text)
    bad = rows[2].replace(",2022-02-08,", ",2022/02/08,")
    return "\n".join([head, "", rows[0], "", rows[1], "", bad, *rows[3:]]) + "\n"


def _unquoted_comma(text: str) -> str:
    # a comma typed into the (unquoted) title of the row on line 3: one value too many
    head, *rows = _lines(text)
    title = next(csv.reader([rows[1]]))[5]
    assert "," not in title and f",{title}," in rows[1]
    rows[1] = rows[1].replace(title, title[:6] + "," + title[6:], 1)
    return "\n".join([head, *rows]) + "\n"


def _unclosed_quote(text: str) -> str:
    head, *rows = _lines(text)
    rows[1] = rows[1].replace(",news,", ',news,"', 1)
    return "\n".join([head, *rows]) + "\n"


def _semicolons(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    return "\n".join(";".join(r[:4]) for r in rows) + "\n"


def _trailing_commas(text: str) -> str:
    return "\n".join(line + "," for line in _lines(text)) + "\n"


def _uppercase_header(text: str) -> str:
    head, *rest = _lines(text)
    return "\n".join([head.replace("id,file", "ID,File", 1), *rest]) + "\n"


def _duplicate_column(text: str) -> str:
    head, *rows = _lines(text)
    return "\n".join([head + ",region", *(r + ",X" for r in rows)]) + "\n"


def _extra_columns(text: str) -> str:
    head, *rows = _lines(text)
    return "\n".join([head + ",notes,reviewer", *(f'{r},"checked, ok",甲' for r in rows)]) + "\n"


def _remove(name: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).unlink()
    return build


def _remove_seed_file(i: int) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / seed_rows()[i]["file"]).unlink()
    return build


def _add_file(name: str, data: bytes) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).write_bytes(data)
    return build


def _drop_column(col: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        header = [c for c in seed_rows()[0] if c != col]
        write_manifest(folder, seed_rows(), header=header)
    return build


def _duplicate_id(folder: Path) -> None:
    _set(2, id=seed_rows()[1]["id"])(folder)


def _duplicate_file(folder: Path) -> None:
    def change(rows):
        rows.append(dict(rows[0], id="copy_of_first"))
        return rows
    _rewrite(folder, change)


def _case_mismatch(folder: Path) -> None:
    _set(1, file=seed_rows()[1]["file"].upper())(folder)


def _windows_absolute(folder: Path) -> None:
    _set(1, file="C:\\Users\\me\\Documents\\" + seed_rows()[1]["file"])(folder)


def _same_file_three_ways(folder: Path) -> None:
    # one file listed as itself, through a folder and "..", and through a symbolic link
    first = seed_rows()[0]["file"]
    (folder / "sub").mkdir()
    os.symlink(folder / first, folder / "same.txt")

    def change(rows):
        rows.append(dict(rows[0], id="via_dotdot", file=f"sub/../{first}"))
        rows.append(dict(rows[0], id="via_link", file="same.txt"))
        return rows
    _rewrite(folder, change)


NFC_FILE = unicodedata.normalize("NFC", "公告café.txt")
NFD_FILE = unicodedata.normalize("NFD", "公告café.txt")
NFC_E, NFD_E = "\u00e9", "e\u0301"


def _other_unicode_form(listed: str, on_disk: str) -> Callable[[Path], None]:
    # the file is named on disk in one Unicode form, the manifest writes the other
    def build(folder: Path) -> None:
        shutil.move(folder / seed_rows()[1]["file"], folder / on_disk)
        _set(1, file=listed)(folder)
    return build


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")  # opening it for reading would wait for a writer forever
    _set(1, file="pipe.txt")(folder)


def _add_column(name: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        write_manifest(folder, [dict(r, **{name: "x"}) for r in seed_rows()])
    return build


@dataclass(frozen=True)
class ManifestCase:
    name: str
    build: Callable[[Path], None]  # changes a copy of seeds/
    outcome: str  # "ok" | "warning" | "error"
    message: str = ""  # regex on the problem (str(Problem)), for "warning" and "error"
    names: str = ""  # text the problem must contain (a file name or the manifest)
    check: Callable | None = field(default=None, compare=False)  # more assertions on the loaded corpus


def _assert(condition: bool) -> None:
    assert condition


def _same_seed_texts(corp, seeds_corpus) -> None:
    assert [d.text for d in corp] == [d.text for d in seeds_corpus]


MANIFEST_CASES: list[ManifestCase] = [
    ManifestCase("missing_listed_file", _remove_seed_file(2), "error", r"is listed in the manifest \(line 4\) but does not exist",
                 names=seed_rows()[2]["file"]),
    ManifestCase("unlisted_file", _add_file("extra.txt", "没有列出的文件。".encode()), "warning",
                 r"is not listed in manifest.csv and is ignored", names="extra.txt"),
    ManifestCase("unlisted_pdf", _add_file("scan.pdf", pdf_bytes()), "warning", r"is a \.pdf file, not listed.*Fix: extract",
                 names="scan.pdf"),
    ManifestCase("duplicate_ids", _duplicate_id, "error", r"the id '[^']+' is used more than once \(lines 3, 4\)",
                 names="manifest.csv"),
    ManifestCase("duplicate_file", _duplicate_file, "warning", r"is listed more than once \(lines 2, 7\)", names="manifest.csv"),
    ManifestCase("missing_column_file", _drop_column("file"), "error", r"missing the required column\(s\) file",
                 names="manifest.csv"),
    ManifestCase("missing_column_id", _drop_column("id"), "error", r"missing the required column\(s\) id", names="manifest.csv"),
    ManifestCase("uppercase_header", _edit_manifest_text(_uppercase_header), "error",
                 r"missing the required column\(s\) id, file.*case-sensitive.*'ID', 'File'", names="manifest.csv"),
    ManifestCase("outside_relative", _outside_relative, "error", r"line 3: the file '\.\./outside\.txt' points outside",
                 names="manifest.csv"),
    ManifestCase("outside_absolute", _outside_absolute, "error", r"line 3: the file '/.*elsewhere\.txt' is an absolute path",
                 names="elsewhere.txt"),
    ManifestCase("windows_absolute", _windows_absolute, "error", r"is an absolute path", names="C:/Users/me"),
    ManifestCase("symlink_outside", _symlink_outside, "error", r"'link\.txt' is a symbolic link to .*secret\.txt, outside",
                 names="link.txt"),
    ManifestCase("symlink_inside", _symlink_inside, "ok", check=_same_seed_texts),
    ManifestCase("directory_not_file", _directory, "error", r"chapter: is a folder, not a file \(manifest line 3\)",
                 names="chapter"),
    ManifestCase("manifest_gbk", _seed_manifest_as("gb18030"), "ok", check=_same_seed_texts),
    ManifestCase("manifest_bom", _seed_manifest_as("utf-8-sig"), "ok", check=_same_seed_texts),
    ManifestCase("manifest_utf16", _seed_manifest_as("utf-16"), "ok", check=_same_seed_texts),
    ManifestCase("manifest_crlf", _seed_manifest_as("utf-8", "\r\n"), "ok", check=_same_seed_texts),
    ManifestCase("manifest_empty", _raw_manifest(""), "error", r"manifest\.csv: is empty", names="manifest.csv"),
    ManifestCase("manifest_only_commas", _raw_manifest(",,,\n , ,\n"), "error", r"manifest\.csv: is empty", names="manifest.csv"),
    ManifestCase("manifest_header_only", _raw_manifest("id,file,region\n"), "error", r"lists no documents",
                 names="manifest.csv"),
    ManifestCase("manifest_missing", _remove("manifest.csv"), "error", r"has no manifest\.csv.*Fix:.*manifest DIR",
                 names="manifest.csv"),
    ManifestCase("manifest_is_xlsx", _add_file("manifest.csv", docx_bytes()), "error",
                 r"is a ZIP archive.*Fix: save the sheet as “CSV UTF-8", names="manifest.csv"),
    ManifestCase("manifest_semicolons", _edit_manifest_text(_semicolons), "error", r"separates values with semicolons",
                 names="manifest.csv"),
    ManifestCase("extra_columns", _edit_manifest_text(_extra_columns), "ok", check=lambda corp, seeds: (
        _same_seed_texts(corp, seeds), _assert(list(corp.manifest["notes"]) == ["checked, ok"] * 5))),
    ManifestCase("trailing_commas", _edit_manifest_text(_trailing_commas), "ok", check=_same_seed_texts),
    ManifestCase("blank_lines", _edit_manifest_text(_blank_lines), "ok", check=_same_seed_texts),
    ManifestCase("blank_lines_and_bad_date", _edit_manifest_text(_blank_lines_and_bad_date), "error",
                 r"line 7: the date '2022/02/08' is not an ISO date", names="manifest.csv"),
    ManifestCase("impossible_date", _set(0, date="2022-02-30"), "error", r"line 2: the date '2022-02-30' is not an ISO date",
                 names="manifest.csv"),
    ManifestCase("unquoted_comma", _edit_manifest_text(_unquoted_comma), "error", r"line 3 has 9 values but the header has 8",
                 names="manifest.csv"),
    ManifestCase("unclosed_quote", _edit_manifest_text(_unclosed_quote), "error", r"is not valid CSV from line 3 on",
                 names="manifest.csv"),
    ManifestCase("duplicate_column", _edit_manifest_text(_duplicate_column), "error", r"has two columns named 'region'",
                 names="manifest.csv"),
    ManifestCase("empty_id", _set(1, id=""), "error", r"line 3 has an empty id", names="manifest.csv"),
    ManifestCase("empty_file", _set(1, file=""), "error", r"line 3 has an empty file", names="manifest.csv"),
    ManifestCase("case_mismatch", _case_mismatch, "error", r"does not exist\. Fix: .*did you mean '001_471ce3cab423fa07\.txt'",
                 names=seed_rows()[1]["file"].upper()),
    ManifestCase("windows_backslashes", _move_into_subfolder, "ok", check=_same_seed_texts),
    # issue 20: one file under three spellings; Unicode forms of a name; a named pipe; a NUL byte;
    # columns named like the suite's own
    ManifestCase("same_file_three_ways", _same_file_three_ways, "warning",
                 r"the file '000_ab321823261458f1\.txt' is listed more than once \(lines 2, 7, 8, written "
                 r"'000_ab321823261458f1\.txt', 'sub/\.\./000_ab321823261458f1\.txt', 'same\.txt': one file on disk\)",
                 names="manifest.csv", check=lambda corp, seeds: _assert(
                     len(corp) == 7 and corp["via_link"].text == corp["via_dotdot"].text == seeds.docs[0].text)),
    ManifestCase("nfc_name_nfd_file", _other_unicode_form(NFC_FILE, NFD_FILE), "warning",
                 rf"line 3: the file '{re.escape(NFC_FILE)}' is named on disk in another Unicode form \(NFC in the manifest, "
                 rf"NFD on disk: '{NFC_E}' U\+00E9 against '{NFD_E}' U\+0065 U\+0301\); the file on disk is read",
                 names="manifest.csv", check=lambda corp, seeds: (
                     _same_seed_texts(corp, seeds), _assert(corp.manifest["file"][1] == NFD_FILE))),
    ManifestCase("nfd_name_nfc_file", _other_unicode_form(NFD_FILE, NFC_FILE), "warning",
                 rf"\(NFD in the manifest, NFC on disk: '{NFD_E}' U\+0065 U\+0301 against '{NFC_E}' U\+00E9\)",
                 names="manifest.csv", check=_same_seed_texts),
    ManifestCase("fifo", _fifo, "error", r"pipe\.txt: is a named pipe \(FIFO\), not a regular file \(manifest line 3\); "
                 r"it is not read", names="pipe.txt"),
    ManifestCase("nul_in_file", _set(1, file="001_471ce3cab423fa07\x00.txt"), "error",
                 r"line 3: the file '001_471ce3cab423fa07\\x00\.txt' contains the control character\(s\) U\+0000 \(NUL\)",
                 names="manifest.csv"),
    ManifestCase("column_chars_removed", _add_column("chars_removed"), "error",
                 r"has a column named 'chars_removed', a name the suite's tables use.*Fix: rename the column",
                 names="manifest.csv"),
    *[ManifestCase(f"column_{name}", _add_column(name), "error", rf"has a column named '{name}', a name the suite's tables use",
                   names="manifest.csv") for name in ("text", "raw", "encoding", "n_chars", "n_chars_raw")],
]


def build_manifest_case(root: Path, case: ManifestCase) -> Path:
    """A copy of seeds/ under ``root/case.name``, changed by the case's recipe."""
    folder = copy_seeds(root / case.name / "corpus")
    case.build(folder)
    return folder


# --------------------------------------------------------------------------- one corpus, many problems


#: manifest rows with problems added to the text cases by :func:`build_bad_corpus`:
#: (id, file, date) and the problem each must produce (severity, text in the line, regex)
MANIFEST_PROBLEMS = [
    (("gone", "missing.txt", "2022-01-01"), ("ERROR", "missing.txt", r"is listed in the manifest \(line \d+\) but does not exist")),
    (("gbk", "gbk.txt", "2022-01-01"), ("ERROR", "manifest.csv", r"the id 'gbk' is used more than once \(lines 3, \d+\)")),
    (("escape", "../outside.txt", "2022-01-01"), ("ERROR", "manifest.csv", r"'\.\./outside\.txt' points outside the corpus folder")),
    (("folder", "sub", "2022-01-01"), ("ERROR", "sub", r"is a folder, not a file")),
    (("late", "cr_only.txt", "31/12/2021"), ("ERROR", "manifest.csv", r"the date '31/12/2021' is not an ISO date")),
    (("no_file", "", "2022-01-01"), ("ERROR", "manifest.csv", r"line \d+ has an empty file")),
]
#: files in the folder that the manifest does not list
UNLISTED = {"unlisted.txt": "未列出的文件。".encode("utf-8"), "scan.pdf": pdf_bytes()}
UNLISTED_PROBLEMS = [
    ("WARNING", "unlisted.txt", r"is not listed in manifest.csv and is ignored"),
    ("WARNING", "scan.pdf", r"is a \.pdf file, not listed, and is ignored"),
]


def build_bad_corpus(folder: Path) -> tuple[Path, list[tuple[str, str, str]]]:
    """Every text case, plus manifest rows and files with problems, in one folder.

    Returns the folder and, for each problem it must produce, ``(severity, name,
    regex)`` with ``name`` a text its line must contain (the file it is about).
    Documents of ``"same"`` cases that the added rows do not touch still load.
    """
    build_text_corpus(folder)
    rows = list(csv.DictReader(io.StringIO(manifest_text(folder))))
    for (doc_id, file, date), _ in MANIFEST_PROBLEMS:
        rows.append({"id": doc_id, "file": file, "region": "X", "date": date})
    for r in rows:
        r.setdefault("date", "2022-01-01")
    write_manifest(folder, rows, header=["id", "file", "region", "date"])
    (folder / "sub").mkdir()
    (folder.parent / "outside.txt").write_text("外部文件。", encoding="utf-8")
    for name, data in UNLISTED.items():
        (folder / name).write_bytes(data)
    expected = [(c.outcome.upper(), c.file, c.message) for c in TEXT_CASES if c.outcome != "same"]
    expected += [problem for _, problem in MANIFEST_PROBLEMS] + UNLISTED_PROBLEMS
    expected += [("WARNING", "manifest.csv", r"the file 'cr_only\.txt' is listed more than once"),
                 ("WARNING", "manifest.csv", r"the file 'gbk\.txt' is listed more than once")]
    return folder, expected


#: "same" cases whose documents the added manifest rows make fail (a duplicate id)
TOUCHED = {"gbk"}


# --------------------------------------------------------------------------- a fresh interpreter


def fingerprint(corp) -> str:
    """SHA-256 of every clean text and edit, every token list and the grouped document-term matrix."""
    import analysis

    h = hashlib.sha256()
    for d in corp:
        h.update(repr((d.id, d.encoding, d.text, [tuple(e) for e in d.result.edits])).encode("utf-8"))
    for doc_id, toks in analysis.tokens(corp).items():
        h.update(repr((doc_id, toks)).encode("utf-8"))
    d = analysis.dfm(corp, by="region", drop_proper=True)
    h.update(repr((d.rows, d.terms, d.matrix.toarray().tolist(), d.n_chars.tolist())).encode("utf-8"))
    return h.hexdigest()


_FRESH_SCRIPT = """
import pkgutil, socket, sys, warnings
def refuse(*args, **kwargs):
    print("NETWORK", args, file=sys.stderr)
    raise OSError("network access")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = socket.gethostbyname = refuse
import analysis
modules = sorted(m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis."))
for name in modules:
    if name != "analysis.__main__":
        __import__(name)
print(len(modules))
sys.path.insert(0, sys.argv[1])
from badinput import fingerprint
from analysis.corpus import scan
warnings.simplefilter("ignore")
print(fingerprint(analysis.load_corpus()))
print(fingerprint(scan(sys.argv[2])[0]))
"""
_KEEP: list = []


@lru_cache(maxsize=1)
def fresh_interpreter_run() -> tuple[Path, subprocess.CompletedProcess]:
    """One run, per test session, of a fresh Python that blocks sockets before importing anything.

    It imports every module of the package, then prints the number of modules and
    :func:`fingerprint` of the seeds and of :func:`build_bad_corpus`, with another hash
    seed than this process (other set and dict orders) and no on-disk cache. Returns
    the bad-corpus folder (to fingerprint here too) and the finished process.
    """
    tmp = tempfile.TemporaryDirectory(prefix="analysis-fresh-")
    _KEEP.append(tmp)  # removed when the test session ends
    folder, _ = build_bad_corpus(Path(tmp.name) / "bad")
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    env = dict(os.environ, PYTHONHASHSEED=seed, ANALYSIS_CACHE="off", ANALYSIS_WORKERS="1")
    env.pop("ANALYSIS_CORPUS", None)
    res = subprocess.run([sys.executable, "-c", _FRESH_SCRIPT, str(Path(__file__).parent), str(folder)],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=600, cwd=str(ROOT))
    return folder, res
