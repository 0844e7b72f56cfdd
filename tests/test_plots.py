"""Chinese renders with the bundled font; save_fig is deterministic; setup() is the one entry point."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

import analysis
from analysis.plots import font_path, save_fig, setup
from analysis.plots.corpus import cleaning_summary, document_lengths, wordcloud


def test_font_is_simplified_chinese_noto_and_covers_the_corpus(seeds_corpus):
    from matplotlib.ft2font import FT2Font

    cfg = setup("test")
    assert cfg.font == "Noto Sans SC"
    font = FT2Font(str(font_path()))
    chars = {ch for d in seeds_corpus for ch in d.text if not ch.isspace()}
    cmap = font.get_charmap()
    missing = sorted(ch for ch in chars if ord(ch) not in cmap)
    assert missing == []


def test_chinese_figure_has_no_missing_glyph_warning(tmp_path):
    setup("test")
    fig, ax = plt.subplots()
    ax.set_title("坚持“动态清零”总方针：外防输入、内防反弹")
    ax.bar(["广州", "西安", "南宁"], [1, 2, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "x.png")
    plt.close(fig)


def test_env_font_override(monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_FONT", str(tmp_path / "nope.ttf"))
    from analysis.config import ConfigError

    with pytest.raises(ConfigError, match="ANALYSIS_FONT"):
        font_path()


def test_save_fig_names_after_notebook_and_is_byte_identical():
    setup("01_corpus")
    paths = []
    for _ in range(2):
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3], [3, 1, 2])
        ax.set_title("疫情防控")
        paths.append([p.read_bytes() for p in save_fig(fig, "line", formats=("png", "svg"))])
        plt.close(fig)
    assert paths[0] == paths[1]
    assert (analysis.config.figures_dir() / "01_corpus-line.png").is_file()


def test_corpus_figures_render(seeds_corpus):
    setup("test")
    fig = document_lengths(seeds_corpus.to_frame(), by="region")
    assert len(fig.axes[0].patches) >= len(seeds_corpus)
    plt.close(fig)
    fig = cleaning_summary(seeds_corpus.accounting())
    assert fig.axes[0].get_legend() is not None
    plt.close(fig)


def test_wordcloud_is_deterministic_and_uses_chinese_font(seeds_corpus):
    setup("test")
    totals = analysis.dfm(seeds_corpus).totals().head(40)
    arrays = []
    for _ in range(2):
        fig = wordcloud(totals)
        arrays.append(fig.axes[0].images[0].get_array().copy())
        plt.close(fig)
    assert np.array_equal(arrays[0], arrays[1])
    assert arrays[0].std() > 10  # something was drawn
