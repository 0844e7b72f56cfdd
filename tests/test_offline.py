"""The suite never touches the network: every analysis runs with sockets blocked.

Blocked calls are also recorded, so an attempt that library code catches and
works around (falling back quietly) still fails the test.
"""
from __future__ import annotations

import importlib
import importlib.util
import socket
import urllib.error
import urllib.request

import pytest

import analysis
import badinput as bi


class NetworkBlocked(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Make every outgoing connection and name lookup fail; yield the list of attempts."""
    attempts: list[tuple] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(what, *args):
        attempts.append((what, args))
        raise NetworkBlocked(f"network access during an offline test: {what}{args}")

    def connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):  # local pipes of worker processes are fine
            return real_connect(self, address)
        refuse("connect", address)

    def connect_ex(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect_ex(self, address)
        refuse("connect_ex", address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse("create_connection", *a))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse("getaddrinfo", *a))
    monkeypatch.setattr(socket, "gethostbyname", lambda *a, **k: refuse("gethostbyname", *a))
    monkeypatch.setenv("ANALYSIS_WORKERS", "1")  # everything in this process, where the guard is
    yield attempts


def test_the_guard_blocks_the_network(no_network):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("example.com", 80), timeout=1)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen("http://example.com/", timeout=1)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        s.connect(("93.184.216.34", 80))
    s.close()
    assert len(no_network) == 3


def _optional(module: str, name: str):
    """``analysis.<module>.<name>`` when that part of the suite exists, else None."""
    if importlib.util.find_spec(f"analysis.{module}") is None:
        return None
    return getattr(importlib.import_module(f"analysis.{module}"), name, None)


def test_every_analysis_runs_offline(no_network, tmp_path):
    # one seed per region, each with a new last line, so nothing comes from a memo filled by
    # other tests: every step really runs here, under the guard
    folder = tmp_path / "corpus"
    folder.mkdir()
    rows = list({row["region"]: row for row in bi.seed_rows()}.values())
    for i, row in enumerate(rows):
        text = (bi.SEEDS / row["file"]).read_text(encoding="utf-8") + f"\n离线检查第{i + 1}号文件。\n"
        (folder / row["file"]).write_text(text, encoding="utf-8")
    bi.write_manifest(folder, rows)
    corp = analysis.load_corpus(folder)
    n = len(rows)
    assert n >= 2 and len(corp) == n and all("离线检查" in d.text for d in corp)
    assert analysis.clean(bi.seed_raw(1)).text
    assert "".join(analysis.segment(corp.docs[0].text)["token"]) == corp.docs[0].text
    toks = analysis.tokens(corp)
    assert all(toks[d] for d in corp.ids)
    d = analysis.dfm(corp, by="region")
    assert d.matrix.sum() > 0
    assert not analysis.tfidf(corp, by="region").empty
    assert len(analysis.kwic(corp, "离线检查")) == n

    ran = ["load", "clean", "segment", "tokens", "dfm", "tfidf", "kwic"]
    keyness = _optional("keyness", "keyness")
    if keyness is not None:
        assert not keyness(corp, by="region").empty
        ran.append("keyness")
    find_slogans = _optional("methods.slogans", "find_slogans")
    if find_slogans is not None:
        assert find_slogans(corp, by="region") is not None
        ran.append("slogans")
    emphasis = _optional("methods.emphasis", "emphasis")
    if emphasis is not None:
        assert not emphasis(corp, by="region", n_boot=50).empty
        ran.append("emphasis")
    doc_similarity = _optional("similarity", "doc_similarity")
    if doc_similarity is not None:
        assert doc_similarity(corp).shape == (n, n)
        ran.append("similarity")
    assert no_network == [], no_network
    assert len(ran) >= 8, ran


def test_fresh_interpreter_imports_and_analyses_without_network():
    # sockets are blocked before the package is imported: nothing at import time, and no
    # loading, cleaning, segmentation or counting afterwards, may touch the network
    # (the same run checks determinism across hash seeds in test_properties.py)
    _, res = bi.fresh_interpreter_run()
    assert res.returncode == 0, res.stderr
    assert "NETWORK" not in res.stderr
    assert int(res.stdout.split()[0]) >= 10
