"""The intent classifier: character n-grams + lemma word n-grams → LinearSVC → calibrated softmax.

Chosen by repeated stratified 5-fold cross-validation on two Portuguese data sets against the
char-n-gram + LinearSVC reference (benchmarks/faq_quality.py). Text is cleaned first (`nlp.clean`:
abbreviations, emoji, repeated letters) and short replies add a concept token (`nlp.reply_concepts`).
Probabilities come from a softmax over the SVM's decision scores with one temperature fitted on
out-of-fold scores (temperature scaling): the ranking stays the SVM's. How well a confidence matches
the share of right answers is measured per version (`reliability.py`, expected calibration error).

Plain Python: texts and labels in, rankings out. Nothing here knows about Django or HTTP.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from .nlp import Lemmatizer, canonical, clean, fold, reply_concepts
from .perturb import augmented

SEED = 42

DEFAULT_PARAMS: dict[str, Any] = {
    "char_ngrams": [1, 5],
    "word_ngrams": [1, 2],
    "word_weight": 0.6,
    "C": 1.0,
    "clean": True,
    "reply_concepts": True,
    "augment": False,  # typo copies in training: no gain beyond seed spread (BENCHMARKS.md), 2× fit time
    "seed": SEED,
}


def char_doc(text: str) -> str:
    """What the character n-grams see: the cleaned text without accents."""
    return fold(clean(text))


_is_a_column = functools.partial(operator.is_not, None)  # vocabulary.get gives None for unknown n-grams


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, label_index: np.ndarray) -> float:
    """The temperature minimising the negative log-likelihood of the true labels."""

    def nll(log_t: float) -> float:
        p = softmax(scores, float(np.exp(log_t)))
        return float(-np.log(p[np.arange(len(label_index)), label_index] + 1e-12).mean())

    result = minimize_scalar(nll, bounds=(np.log(0.005), np.log(20.0)), method="bounded")
    return float(np.exp(result.x))


def score_matrix(model: LinearSVC, x: sp.csr_matrix) -> np.ndarray:
    """Decision scores as (n_texts, n_labels), also for two labels (where sklearn gives one column)."""
    scores = model.decision_function(x)
    if scores.ndim == 1:
        scores = np.column_stack([-scores / 2, scores / 2])
    return scores


@dataclass
class IntentClassifier:
    params: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PARAMS))
    lemmatizer: Lemmatizer | None = None
    char_vectorizer: TfidfVectorizer | None = None
    word_vectorizer: TfidfVectorizer | None = None
    model: LinearSVC | None = None
    labels: list[str] = field(default_factory=list)
    temperature: float = 0.1
    # Chosen per version from out-of-fold scores (selective.choose_thresholds); None = settings.
    fallback_thresholds: dict[str, float] | None = None

    def documents(self, texts: list[str]) -> tuple[list[str], list[str]]:
        """(char docs, lemma docs). Cross-validation shares `doc_cache` across its fold models, so
        each text is cleaned, tokenised and lemmatised once per training instead of once per fit."""
        cache: dict[str, tuple[str, str]] | None = getattr(self, "doc_cache", None)
        if cache is None:
            return [self._char_doc(t) for t in texts], [self._lemma_doc(t) for t in texts]
        for t in texts:
            if t not in cache:
                cache[t] = (self._char_doc(t), self._lemma_doc(t))
        return [cache[t][0] for t in texts], [cache[t][1] for t in texts]

    def features(self, texts: list[str], *, fit: bool = False) -> sp.csr_matrix:
        char_docs, lemma_docs = self.documents(texts)
        if fit:
            chars = self.char_vectorizer.fit_transform(char_docs)
            words = self.word_vectorizer.fit_transform(lemma_docs)
        else:
            chars = self.char_vectorizer.transform(char_docs)
            words = self.word_vectorizer.transform(lemma_docs)
        return sp.hstack([chars, words * float(self.params["word_weight"])], format="csr")

    def fit(
        self,
        texts: list[str],
        labels: list[str],
        *,
        lemmatizer: Lemmatizer | None = None,
        calibration_scores: np.ndarray | None = None,
        calibration_labels: list[str] | None = None,
    ) -> IntentClassifier:
        """Fit on every text. Calibration uses the given out-of-fold scores, or an inner 3-fold split."""
        p = {**DEFAULT_PARAMS, **self.params}
        self.params = p
        self.lemmatizer = lemmatizer or Lemmatizer.for_texts(texts)
        self.char_vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(p["char_ngrams"]), sublinear_tf=True
        )
        self.word_vectorizer = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", ngram_range=tuple(p["word_ngrams"]), sublinear_tf=True
        )
        fit_texts, fit_labels = augmented(texts, labels, seed=p["seed"]) if p.get("augment") else (texts, labels)
        x = self.features(fit_texts, fit=True)
        self.model = LinearSVC(C=p["C"], random_state=p["seed"]).fit(x, np.asarray(fit_labels))
        self.labels = [str(c) for c in self.model.classes_]
        if calibration_scores is None:
            calibration_scores, calibration_labels = self._inner_scores(x[: len(texts)], labels)
        if calibration_scores is not None and len(calibration_scores):
            index = {label: i for i, label in enumerate(self.labels)}
            self.temperature = fit_temperature(calibration_scores, np.array([index[y] for y in calibration_labels]))
        return self

    def _inner_scores(self, x: sp.csr_matrix, labels: list[str]) -> tuple[np.ndarray | None, list[str] | None]:
        y = np.asarray(labels)
        counts = np.unique(y, return_counts=True)[1]
        if len(counts) < 2 or counts.max() < 3:
            return None, None
        # Only texts of intents with ≥ 3 examples are held out; the rest stay in every fit.
        keep = np.isin(y, np.unique(y)[counts >= 3])
        scores, truth = [], []
        for train, test in StratifiedKFold(3, shuffle=True, random_state=self.params["seed"]).split(x[keep], y[keep]):
            train_idx = np.concatenate([np.flatnonzero(keep)[train], np.flatnonzero(~keep)])
            test_idx = np.flatnonzero(keep)[test]
            fold = LinearSVC(C=self.params["C"], random_state=self.params["seed"]).fit(x[train_idx], y[train_idx])
            if list(fold.classes_) != self.labels:
                continue
            scores.append(score_matrix(fold, x[test_idx]))
            truth.extend(y[test_idx])
        return (np.vstack(scores), truth) if scores else (None, None)

    def decision_scores(self, texts: list[str]) -> np.ndarray:
        return score_matrix(self.model, self.features(texts))

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return softmax(self.decision_scores(texts), self.temperature)

    def predict(self, texts: list[str]) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def rank(self, text: str, top: int = 10) -> list[tuple[str, float]]:
        """Intents by descending probability for one text: [(intent, probability 0–1)], at most `top`."""
        proba = softmax(self._single_scores(text)[None, :], self.temperature)[0]
        order = np.argsort(-proba, kind="stable")[:top]
        return [(self.labels[i], float(proba[i])) for i in order]

    # --- serving fast path ----------------------------------------------------------------
    # sklearn's transform() costs ~0.5 ms per call in validation and matrix assembly; for one text
    # the same TF-IDF (sublinear tf × idf, L2-normalised per block) is a few dict look-ups.

    def _prepare_fast_path(self) -> None:
        blocks = []
        offset = 0
        for vectorizer, weight, prep in (
            (self.char_vectorizer, 1.0, self._char_doc),
            (self.word_vectorizer, float(self.params["word_weight"]), self._lemma_doc),
        ):
            blocks.append((vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset, weight, prep))
            offset += len(vectorizer.vocabulary_)
        coef = self.model.coef_
        intercept = self.model.intercept_
        if coef.shape[0] == 1:  # two labels: one hyperplane, scores split like score_matrix()
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        self._fast = (blocks, np.ascontiguousarray(coef.T), intercept)

    # Artifacts trained before `clean` existed keep reading text exactly as they were trained to.
    def _char_doc(self, text: str) -> str:
        return char_doc(text) if self.params.get("clean") else canonical(text)

    def _lemma_doc(self, text: str) -> str:
        cleaned = clean(text) if self.params.get("clean") else text
        concepts = reply_concepts(cleaned) if self.params.get("reply_concepts") else []
        return " ".join(self.lemmatizer.lemmas(cleaned) + concepts)

    def _single_scores(self, text: str) -> np.ndarray:
        if getattr(self, "_fast", None) is None:
            self._prepare_fast_path()
        blocks, coef_t, intercept = self._fast
        columns, values = [], []
        for analyzer, vocabulary, idf, offset, weight, prep in blocks:
            counts = Counter(filter(_is_a_column, map(vocabulary.get, analyzer(prep(text)))))
            if not counts:
                continue
            block_columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            block_values = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[
                block_columns
            ]
            block_values *= weight / np.sqrt(block_values @ block_values)
            columns.append(block_columns + offset)
            values.append(block_values)
        if not columns:
            return intercept.astype(float)
        # one gather and one product for both blocks
        return intercept + np.concatenate(values) @ coef_t[np.concatenate(columns)]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_fast", None)  # rebuilt on first use; keeps the artifact small
        state.pop("doc_cache", None)  # a training-time memo, never part of the artifact
        return state
