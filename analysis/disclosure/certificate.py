"""The certificate of disclosure control: is a hidden cell determined by what is published?

Every published number of one table (a count, or a count of "yes" behind a share, or
a sum behind a mean) is a linear function of the *joint cells* - the finest
cross-classification of the respondents by every dimension published (school x
grade x gender x ...). A published group is the 0/1 vector of the joint cells it
adds up. A hidden group's value can be computed exactly from the published ones
(by any linear combination: subtraction, addition, differences of differences)
iff its vector lies in the row space of the published vectors (Cox 1980,
"Suppression methodology and statistical disclosure control", JASA 75:377-385;
Hundepool et al. 2012, *Statistical Disclosure Control*, 4.3). Joint cells with no
respondents are left out, i.e. treated as known zeros, as an attacker who knows a
school has no 9th grade would.
"""

from __future__ import annotations

import numpy as np

__all__ = ["determined"]

_TOLERANCE = 1e-9  # relative, on eigenvalues of the Gram matrix (squared singular values)


def _exact(x: np.ndarray) -> np.ndarray:
    """Integer copies of 0/1 (or any whole-number) vectors: numpy multiplies integer matrices
    without the threaded BLAS, which is far faster for these small products on a busy machine."""
    return x.astype(np.int64) if np.array_equal(x, np.round(x)) else x


def determined(published: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each row of ``targets`` (cells x joint cells), whether it lies in the row space
    of ``published`` (rows x joint cells): ``rank([published; t]) == rank(published)``.

    Computed for all targets at once from the small Gram matrix ``P P^T`` (rows x rows): with
    its eigen-decomposition ``V diag(w) V^T``, the squared distance of ``t`` from the row space
    is ``|t|^2 - sum_i ((V^T P t)_i^2 / w_i)`` over the non-zero ``w_i``."""
    targets = np.atleast_2d(np.asarray(targets, dtype=float))
    published = np.asarray(published, dtype=float)
    if targets.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    if published.size == 0:
        return np.zeros(targets.shape[0], dtype=bool)
    p, t = _exact(published), _exact(targets)
    gram = (p @ p.T).astype(float)
    values, vectors = np.linalg.eigh(gram)
    keep = values > _TOLERANCE * max(1.0, float(values.max()))
    coefficients = vectors[:, keep].T @ (p @ t.T).astype(float) / np.sqrt(values[keep])[:, None]
    length = (t * t).sum(axis=1).astype(float)
    distance = length - (coefficients * coefficients).sum(axis=0)
    return distance <= 1e-8 * np.maximum(1.0, length)
