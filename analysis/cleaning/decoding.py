"""Decoding: a document's bytes to text (UTF-8, BOMs, UTF-16, GB18030/GBK, Big5), or an error that says what the file is.

:func:`decode` is the one public function; see its docstring for the order in
which encodings are tried. Binary files (PDF, Word, images, archives) and
Japanese or Korean text in a legacy encoding are refused with a
:class:`~analysis.errors.DecodeError` that names the file and the fix.
"""
from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

from ..errors import DecodeError
from ..text import CJK_CLASS, is_cjk
from .steps import CONTROL_RE, t2s_converter

__all__ = ["decode"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_EXTRACT = "extract its text and save it as a UTF-8 .txt file"
#: magic bytes of files that are not plain text, what they are, and how to get text out of them
_SIGNATURES = (
    (b"%PDF-", "a PDF document",
     "extract its text (for example `pdftotext -enc UTF-8 FILE.pdf FILE.txt`) and list the .txt file instead"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx, Excel .xlsx, WPS or other zipped file)",
     "open it and save it as plain text (UTF-8 .txt), or unpack it"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office or WPS file (.doc, .xls, .wps)",
     "open it and save it as plain text (UTF-8 .txt)"),
    (b"{\\rtf", "an RTF document", "open it in a word processor and save it as plain text (UTF-8 .txt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "run OCR on it or find the document's text version; " + _EXTRACT),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it or find the document's text version; " + _EXTRACT),
    (b"GIF8", "a GIF image", "run OCR on it or find the document's text version; " + _EXTRACT),
    (b"\x1f\x8b", "a gzip archive", "unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
)

# characters that make up Chinese documents: ASCII, Latin-1, general punctuation, letterlike
# and number forms, enclosed numbers, box drawing, CJK symbols, kana, CJK ideographs, compatibility
# and vertical forms, full-width forms
_TEXT_RE = re.compile(
    "[\t\n\r\x0b\x0c\x20-\x7e\u00a0-\u024f\u2000-\u206f\u2100-\u218f\u2190-\u23ff\u2460-\u27bf"
    f"\u3000-\u30ff\u3100-\u312f\u3200-\u33ff{CJK_CLASS}\ufe30-\ufe4f"
    "\uff00-\uffef\ufeff]+"
)
_MIN_CJK_FOR_GUESS = 20  # too few Chinese characters to judge an encoding by them
# below this many, charset-normalizer takes short GBK text for Korean now and then (4 in 148
# samples of 20 characters, none of 50 or more)
_MIN_CJK_FOR_DETECTOR = 50
# Japanese and Korean legacy encodings, by Python codec name: their bytes are valid GBK too
# (EUC-JP and EUC-KR share its byte ranges), so GBK reads them into real but meaningless characters
_FOREIGN_CODECS = (
    ("Japanese", ("euc_jp", "euc_jis", "shift_jis", "cp932", "iso2022_jp")),
    ("Korean", ("euc_kr", "cp949", "johab", "iso2022_kr")),
)


def _text_share(text: str) -> float:
    """Share of characters of ``text`` that plain Chinese or English documents are made of."""
    return 1.0 - len(_TEXT_RE.sub("", text)) / max(1, len(text))


def _japanese_or_korean(data: bytes) -> tuple[str, str] | None:
    """``(language, codec)`` when charset-normalizer finds the bytes are Japanese or Korean, else None.

    Asked only once the bytes decode as GB18030 or Big5 into common Chinese
    characters: EUC-JP and EUC-KR text does that (its bytes land on GB2312's
    common characters), so only a detector that weighs the whole byte pattern
    tells them apart. The first 64 KB are enough.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name.replace("-", "_")
    for language, prefixes in _FOREIGN_CODECS:
        if name.startswith(prefixes):
            return language, best.encoding
    return None


def _common_share(text: str) -> tuple[float, int]:
    """Share of Chinese characters that are common ones (in GB2312 once made Simplified), and their number.

    Real text in any encoding scores above 0.99; bytes decoded with the wrong Chinese
    encoding (Big5 read as GBK, for instance) land on rare characters and score about 0.6.
    """
    counts = {ch: n for ch, n in Counter(text).items() if is_cjk(ch)}
    total = sum(counts.values())
    if not total:
        return 1.0, 0
    cc = t2s_converter()
    common = 0
    for ch, n in counts.items():
        try:
            cc.convert(ch).encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += n
    return common / total, total


def _check_controls(text: str, encoding: str, source: str) -> str:
    """``text``, unless so many of its characters are control characters that the file must be binary."""
    n = CONTROL_RE.subn("", text)[1]
    if n > max(8, len(text) // 200):
        raise DecodeError(
            source,
            f"decodes as {encoding} but {n:,} of its {len(text):,} characters are control characters: "
            "it looks like a binary file, not plain text",
            _EXTRACT,
        )
    return text


def _line_of(data: bytes, pos: int) -> str:
    """``line N, after «text before it»`` for byte offset ``pos`` (line breaks shown as ⏎)."""
    line = data.count(b"\n", 0, pos) + 1
    before = data[max(0, pos - 30) : pos].decode("utf-8", "ignore").replace("\r", "").replace("\n", "⏎").strip()
    return f"line {line}" + (f", after «{before}»" if before else "")


def decode(data: bytes, source: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode a document's bytes; return ``(text, encoding)``.

    Tries, in order:

    1. a byte-order mark (UTF-8, UTF-16, UTF-32), which is dropped;
    2. the magic bytes of files that are not text (PDF, Word/Excel/ZIP, images,
       archives): an error that says what the file is and how to get its text;
    3. UTF-16 without a BOM (the file has NUL bytes; the byte order whose text
       looks like text wins);
    4. strict UTF-8;
    5. strict GB18030 (a superset of GBK and GB2312), then Big5 (``cp950``,
       ``big5hkscs``) - each only when the Chinese characters it gives are
       common ones, so Big5 is never read as GBK mojibake; and, given 50 or
       more of them, when charset-normalizer does not find Japanese or Korean
       (EUC-JP and EUC-KR bytes are valid GBK, and land on common characters).

    A few stray control characters (a DOS end-of-file mark …) are kept here
    and removed, with an audit entry, by :func:`remove_invisible`; many mean a
    binary file. The encoding found is returned so it can be reported.

    Raises
    ------
    DecodeError
        Naming ``source``, what is wrong and the fix: binary files, bytes
        that no candidate decodes into plausible text, and Japanese or Korean
        in a legacy encoding.
    """
    source = str(source)
    found = _decode_bom(data, source)
    if found is None:
        _refuse_binary(data, source)
        if b"\x00" in data:
            found = _decode_with_nul(data, source)
        else:
            try:
                found = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError as exc:
                found = _decode_legacy(data, source, exc.start)
    text, encoding = found
    return _check_controls(text, encoding, source), encoding


def _decode_bom(data: bytes, source: str) -> tuple[str, str] | None:
    """Step 1: ``(text, encoding)`` of bytes that start with a byte-order mark (dropped), else None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    source,
                    f"starts with a {encoding} byte-order mark but byte {exc.start + len(bom)} is invalid {encoding}",
                    "re-save the file as UTF-8",
                ) from None
    return None


def _refuse_binary(data: bytes, source: str) -> None:
    """Step 2: raise a :class:`DecodeError` naming the kind of file when the bytes start with a known signature."""
    for magic, kind, fix in _SIGNATURES:
        if data.startswith(magic):
            raise DecodeError(source, f"is {kind}, a binary file, not plain text", fix)


#: Step 5's candidates: Python codec, and the name reported
_LEGACY_ENCODINGS = (("gb18030", "gb18030"), ("cp950", "big5"), ("big5hkscs", "big5"))


def _decode_legacy(data: bytes, source: str, first_bad: int) -> tuple[str, str]:
    """Step 5: bytes that are not UTF-8 (the first invalid byte at ``first_bad``), read as GB18030 or Big5.

    A candidate counts when the Chinese characters it gives are common ones
    (or too few to judge); Japanese or Korean bytes, which GBK reads into
    common characters too, are refused. When no candidate counts, the error
    says where UTF-8 fails and what each candidate gave.
    """
    tried = []
    for encoding, label in _LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share, n_cjk = _common_share(text)
        if n_cjk < _MIN_CJK_FOR_GUESS or share >= 0.9:
            if n_cjk >= _MIN_CJK_FOR_DETECTOR:
                _refuse_japanese_or_korean(data, text, label, source)
            return text, label
        tried.append(f"as {label} only {share:.0%} of its Chinese characters are common ones")
    lenient = data.decode("utf-8", "replace")
    mostly_utf8 = lenient.count("\ufffd") < 0.1 * len(re.sub(r"[\x00-\x7f]+", "", lenient))
    mostly = " (the rest is valid UTF-8: part of the file was saved in another encoding)" if mostly_utf8 else ""
    detail = f"; {'; '.join(tried)}" if tried else ""
    raise DecodeError(
        source,
        f"is not UTF-8 text: the first invalid byte is on {_line_of(data, first_bad)}{mostly}, and it is not "
        f"GB18030/GBK or Big5 text either{detail}",
        "open it in an editor that detects encodings and save it as UTF-8",
    )


def _refuse_japanese_or_korean(data: bytes, text: str, label: str, source: str) -> None:
    """Raise a :class:`DecodeError` when charset-normalizer finds that bytes read as ``label`` are Japanese or Korean."""
    foreign = _japanese_or_korean(data)
    if foreign:
        language, codec = foreign
        raise DecodeError(
            source,
            f"is {language} text ({codec}), not Chinese: read as {label.upper()} it gives characters that "
            f"exist but make no sense ({text.strip()[:12]!r} …)",
            "remove it from the manifest (this suite segments Chinese); if it is Chinese, open it in an "
            "editor that detects encodings and save it as UTF-8",
        )


def _decode_with_nul(data: bytes, source: str) -> tuple[str, str]:
    """Step 3: bytes with NULs: UTF-16 without a byte-order mark, UTF-8 with a stray NUL, or binary.

    ASCII characters put their NUL byte second in little-endian UTF-16, first in
    big-endian, so the byte order with more NULs in its place is tried first; it
    must give text made of the usual characters (a binary file does not).
    """
    if len(data) % 2 == 0:
        odd, even = data[1::2].count(0), data[0::2].count(0)
        order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
        for encoding in order:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _text_share(text) >= 0.95:
                return text, encoding
    if data.count(b"\x00") <= 8:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    raise DecodeError(
        source,
        "contains NUL bytes and is not UTF-16 text: it looks like a binary file "
        "(PDF, Word, image …), not plain text",
        _EXTRACT,
    )
