"""Figures draw the user's text literally and legibly: group names with $…$, the cleaning legend, long slogans."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import analysis  # noqa: E402
from analysis.plots import corpus as C, emphasis as E, rhetoric as R, slogans as S  # noqa: E402
from conftest import make_corpus, seed_text  # noqa: E402

#: group names and ids that matplotlib's mathtext cannot parse (an unfinished superscript, an unknown command)
GROUPS = ["$x^$", "$\\frac$"]


@pytest.fixture(scope="module")
def dollars(tmp_path_factory):
    docs = {f"d{i}.txt": seed_text(f"00{i}") for i in range(4)}
    folder = make_corpus(tmp_path_factory.mktemp("dollars"), docs, manifest="id,file,region\n" + "".join(
        f"${i}$,d{i}.txt,{GROUPS[i % 2]}\n" for i in range(4)))
    analysis.setup("test_figure_text")
    return analysis.load_corpus(folder)


def _draw(fig):
    fig.canvas.draw()  # mathtext parses at draw time
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    plt.close(fig)
    return texts


def test_group_names_and_ids_with_dollars_draw_in_every_figure(dollars):
    corp = dollars
    frame = corp.to_frame()
    kw = analysis.keyness(corp, min_count=1)
    pair = analysis.keyness(corp, compare="pairwise", min_count=1)
    sim = analysis.doc_similarity(corp)
    groups = corp.groups()
    lines = analysis.kwic(corp, "疫情")
    slogans = analysis.find_slogans(corp)
    occ = analysis.slogan_occurrences(corp, slogans, top=20)
    scores = analysis.emphasis(corp, n_boot=20)
    figures = [
        C.document_lengths(frame), C.cleaning_summary(corp.accounting()),
        R.keyness_bars(kw, n=3, title="$x^$"), R.keyness_clouds(kw, n=10), R.comparison_cloud(kw, n=10),
        R.frequency_scatter(pair, GROUPS[0], GROUPS[1], n_labels=4), R.dispersion(lines, groups, title="“$x^$”"),
        R.similarity_heatmap(sim, labels=groups), R.dendrogram(sim, labels=groups),
        S.slogan_heatmap(analysis.slogan_matrix(occ, corp)), S.slogan_positions(occ),
        E.emphasis_heatmap(scores), E.emphasis_intervals(scores, categories=["obligation"]),
        E.position_profile(analysis.emphasis_curve(corp), categories=["obligation"]),
        E.robustness_plot(analysis.emphasis_robustness(corp)),
    ]
    drawn = [t for fig in figures for t in _draw(fig)]
    assert any("x^" in t for t in drawn) and any("$0$" in t.replace("\\$", "$") for t in drawn)


def test_plain_escapes_only_dollars():
    from analysis.plots import plain

    assert plain("$x^$ 疫情") == "\\$x^\\$ 疫情" and plain("A") == "A" and plain(3) == "3"


def test_cleaning_legend_has_distinct_colours_and_pools_the_small_rules(seeds_corpus):
    analysis.setup("test_figure_text")
    acc = seeds_corpus.accounting()
    fig = C.cleaning_summary(acc)
    legend = fig.axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    colours = [mcolors.to_rgb(h.get_facecolor()) for h in legend.legend_handles]
    plt.close(fig)
    assert len(labels) <= 8 and labels[-1].endswith(")") and "other rules" in labels[-1]
    # every pair of colours differs clearly (the old legend had near-identical pinks)
    for i in range(len(colours)):
        for j in range(i + 1, len(colours)):
            assert np.abs(np.subtract(colours[i], colours[j])).sum() > 0.25, (labels[i], labels[j])
    totals = [int(label.rsplit("(", 1)[1].rstrip(")").replace(",", "")) for label in labels[:-1]]
    assert totals == sorted(totals, reverse=True)


def test_slogan_heatmap_keeps_long_formulations_whole(seeds_corpus):
    analysis.setup("test_figure_text")
    slogans = analysis.find_slogans(seeds_corpus)
    occ = analysis.slogan_occurrences(seeds_corpus, slogans, top=30)
    matrix = analysis.slogan_matrix(occ, seeds_corpus)
    long = "坚持以人民为中心的发展思想毫不动摇"  # a crafted formulation longer than any label was allowed to be
    matrix = matrix.rename(columns={matrix.columns[0]: long})
    fig = S.slogan_heatmap(matrix)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    plt.close(fig)
    assert any(len(s) > 14 for s in matrix.columns)
    assert labels == [str(s) for s in matrix.columns] and not any("…" in t for t in labels)
