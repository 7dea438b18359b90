"""The n-gram views: our direct computation must give exactly sklearn's TF-IDF matrix."""

from __future__ import annotations

import numpy as np
import pytest

from wegwijzer.backends.features import LinearHead, Views, mark_negation

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


@pytest.mark.parametrize("text, marked", [
    ("hij slaat me niet hoor", "hij neg_slaat neg_me niet neg_hoor"),
    # the scope ends at punctuation and at a word that turns the sentence; the text keeps its spacing and case
    ("hij heeft me nooit geslagen, maar gisteren kneep hij", "hij neg_heeft neg_me nooit neg_geslagen, maar gisteren kneep hij"),
    ("Ik durf NIET naar huis. Hij is er", "neg_Ik neg_durf NIET neg_naar neg_huis. Hij is er"),
    ("he doesnt hurt me", "neg_he doesnt neg_hurt neg_me"),
    ("geen negatie hier? nee", "geen neg_negatie neg_hier? nee"),
    # without a negation the text is unchanged, so its char n-grams are too ("112??" is not "112 ? ?")
    ("112??", "112??"),
    ("", ""),
])
def test_words_in_a_negations_scope_are_marked(text: str, marked: str) -> None:
    assert mark_negation(text) == marked


def test_views_with_negation_read_the_marked_text_and_keep_that_when_saved() -> None:
    from scipy import sparse

    v = Views(negation=True)
    v.fit(TRAIN + ["hij slaat me niet"], np.zeros((len(TRAIN) + 1, 3), np.float32))
    assert "neg_slaat" in v.word.vocabulary_
    text = "hij slaat me niet, echt niet"
    expected = sparse.hstack([v.char.transform([mark_negation(text)]), v.word.transform([mark_negation(text)])])
    np.testing.assert_allclose(v.ngrams([text]).toarray(), expected.toarray(), atol=1e-9)
    again = Views.from_arrays(*v.arrays())
    assert again.negation
    np.testing.assert_allclose(again.ngrams([text]).toarray(), v.ngrams([text]).toarray())
