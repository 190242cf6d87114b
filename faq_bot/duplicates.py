"""The near-duplicate measure the admin warns with and the gate rejects with: cosine similarity of
character 3-gram counts of the canonical texts (accent-folded, lowercased). Plain Python."""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer

NEAR_DUPLICATE_SIMILARITY = 0.9


def best_matches(mine: list[str], others: list[str]) -> list[tuple[int, float]]:
    """For each canonical text in `mine`, (index in `others`, similarity) of its closest text."""
    if not mine or not others:
        return []
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), use_idf=False)
    matrix = vectorizer.fit_transform(mine + others)
    similarity = (matrix[: len(mine)] @ matrix[len(mine) :].T).toarray()
    return [(int(row.argmax()), float(row.max())) for row in similarity]
