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

_TOLERANCE = 1e-7


def determined(published: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each row of ``targets`` (cells x joint cells), whether it lies in the row space
    of ``published`` (rows x joint cells): ``rank([published; t]) == rank(published)``,
    computed once for all targets from an orthonormal basis (SVD) of the row space."""
    targets = np.atleast_2d(np.asarray(targets, dtype=float))
    published = np.asarray(published, dtype=float)
    if targets.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    if published.size == 0:
        return np.zeros(targets.shape[0], dtype=bool)
    _u, s, vt = np.linalg.svd(published, full_matrices=False)
    basis = vt[s > _TOLERANCE * max(1.0, float(s[0]) if s.size else 1.0)]
    residual = targets - (targets @ basis.T) @ basis
    return np.linalg.norm(residual, axis=1) <= 1e-6 * np.maximum(1.0, np.linalg.norm(targets, axis=1))
