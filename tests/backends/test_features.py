"""The n-gram views: our direct computation must give exactly sklearn's TF-IDF matrix."""

from __future__ import annotations

import numpy as np
import pytest

from wegwijzer.backends.features import LinearHead, Views

TRAIN = ["hij slaat me nu", "hoe lang duurt een huisverbod", "ik ben bang, hij komt eraan",
         "wat is dwingende controle", "mijn vriend leest al mijn berichten"]


@pytest.fixture(scope="module")
def views() -> Views:
    v = Views()
    v.fit(TRAIN, np.zeros((len(TRAIN), 3), np.float32))
    return v


@pytest.mark.parametrize("text", ["Hij SLAAT me nu!!", "huisverbot hoe lang", "", "🙂 onbekende woorden xyz",
                                  "ik ben bang bang bang"])
def test_direct_ngrams_equal_sklearns_transform(views: Views, text: str) -> None:
    from scipy import sparse

    expected = sparse.hstack([views.char.transform([text]), views.word.transform([text])]).toarray()
    np.testing.assert_allclose(views.ngrams([text]).toarray(), expected, atol=1e-9)


def test_saved_views_give_the_same_matrix(views: Views) -> None:
    arrays, meta = views.arrays()
    again = Views.from_arrays(arrays, meta)
    texts = ["hij komt eraan", "wat is controle"]
    np.testing.assert_allclose(again.ngrams(texts).toarray(), views.ngrams(texts).toarray())


def test_a_linear_head_adds_the_ngram_and_embedding_parts(views: Views) -> None:
    n = views.ngram_size
    coef = np.zeros((2, n + 3), np.float32)
    coef[1, n:] = [1.0, 2.0, 3.0]
    head = LinearHead(views, coef, np.array([0.5, -0.5], np.float32))
    out = head.logits(["iets"], np.array([[1.0, 1.0, 1.0]], np.float32))
    np.testing.assert_allclose(out, [[0.5, 5.5]])
