"""Rhetoric figures: the right panels, rows and labels, labels that do not overlap, files written."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import analysis  # noqa: E402
from analysis.methods.keyness import keyness, top_terms  # noqa: E402
from analysis.plots import rhetoric as R  # noqa: E402
from analysis.methods.similarity import doc_similarity  # noqa: E402


@pytest.fixture(scope="module")
def prepared(seeds_corpus):
    analysis.setup("test_rhetoric")
    kw = keyness(seeds_corpus, "region", drop_proper=True)
    kp = keyness(seeds_corpus, "region", compare="pairwise", drop_proper=True)
    yield seeds_corpus, kw, kp
    plt.close("all")


def _texts(fig):
    return {t.get_text() for ax in fig.axes for t in ax.texts}


def test_keyness_bars_one_panel_per_group(prepared, seed_manifest):
    _, kw, _ = prepared
    fig = R.keyness_bars(kw, n=5)
    groups = sorted(seed_manifest["region"].unique())
    visible = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in visible] == [f"{g} vs (rest)" for g in groups]
    top = top_terms(kw, 5, side="both")
    # each term with the documents behind it: k of the n documents of the side that uses it more
    k, n = R.doc_support(top)
    assert {f"{t} ({a}/{b})" for t, a, b in zip(top["term"], k, n)} <= _texts(fig)
    for ax in visible:
        lo, hi = ax.get_xlim()
        assert lo == pytest.approx(-hi)
    assert analysis.save_fig(fig, "bars")[0].is_file()
    # without the document columns (a grouped Dfm's table), the bare terms and token p-values
    plain = R.keyness_bars(kw.drop(columns=["docs", "docs_using", "ref_docs", "ref_docs_using", "doc_p_adj"]), n=5)
    assert set(top["term"]) <= _texts(plain)
    legend = [t.get_text() for t in plain.legends[0].get_texts()]
    assert "pale: p_adj ≥ 0.05" in legend


def test_keyness_bars_mark_terms_of_one_document(seeds_corpus, seed_manifest):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kw = keyness(seeds_corpus, "region", drop_proper=True, min_docs=None)
    several = seed_manifest["region"].value_counts().index[0]  # the region with three documents
    fig = R.keyness_bars(kw, n=8, groups=[several])
    ax = [a for a in fig.axes if a.axison][0]
    rows = top_terms(kw[kw["group"] == several], 8, side="both")
    k, n = R.doc_support(rows)
    hatched = [p.get_hatch() for p in ax.patches]
    assert hatched.count("////") == int(((k == 1) & (n > 1)).sum()) > 0
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(t.startswith("pale: doc_p_adj") for t in legend)


def test_frequency_scatter_labels_do_not_overlap(prepared, seed_manifest):
    _, _, kp = prepared
    g = sorted(seed_manifest["region"].unique())
    fig = R.frequency_scatter(kp, g[0], g[1], n_labels=14)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert 2 <= len(boxes) <= 14
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j])
    with pytest.raises(ValueError):
        R.frequency_scatter(kp, g[0], "no such group")


def test_dispersion_has_a_row_per_document(prepared):
    corp, kw, _ = prepared
    term = top_terms(kw, 1)["term"].iloc[0]
    lines = analysis.kwic(corp, term, by="region")
    groups = corp.group_column("region")
    fig = R.dispersion(lines, groups)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{d} · {groups[d]}" for d in corp.ids]
    counts = [t.get_text() for t in ax.texts]
    assert sum(map(int, counts)) == len(lines)
    xs = ax.collections[0].get_offsets()[:, 0]
    assert ((xs >= 0) & (xs <= 1)).all()


def test_similarity_figures(prepared):
    corp, _, _ = prepared
    sim = doc_similarity(corp)
    groups = corp.group_column("region")
    heat = R.similarity_heatmap(sim, labels=groups)
    ticks = [t.get_text() for t in heat.axes[0].get_yticklabels()]
    assert sorted(ticks) == sorted(f"{d} · {groups[d]}" for d in corp.ids)
    n = len(corp)
    assert len(heat.axes[0].texts) == n * (n - 1)  # annotated off-diagonal cells
    dend = R.dendrogram(sim, labels=groups)
    leaves = [t.get_text().split(" · ")[0] for t in dend.axes[0].get_yticklabels()]
    assert sorted(leaves) == sorted(corp.ids)


def test_clouds(prepared):
    _, kw, _ = prepared
    fig = R.comparison_cloud(kw, n=20)
    legend = fig.axes[0].get_legend()
    assert sorted(t.get_text() for t in legend.get_texts()) == sorted(kw["group"].unique())
    grid = R.keyness_clouds(kw, n=10)
    assert [ax.get_title() for ax in grid.axes if ax.get_title()] == sorted(kw["group"].unique())
