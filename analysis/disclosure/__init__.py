"""Disclosure control: the one rule every publisher of trivsel uses.

Reports, per-school sheets, charts, results files, the console's progress page,
exports and theme-day reports all ask :func:`protect` which groups to hide, and
:mod:`.labels` for what to say about them. The rule (see :mod:`.rule`):

1. primary suppression: a group with 0 < n < k is hidden ("færre end k svar");
2. "unknown / vil ikke svare" is a group of its own in every dimension, so the
   total minus the shown groups never gives it away;
3. secondary suppression loses as little as possible: the small groups of a
   dimension are joined, with the smallest other groups only as far as needed, into
   one shown group ("Øvrige skoler (2)") of at least k; a group hidden only to
   protect another says so ("skjult for at beskytte en lille gruppe");
4. a linear-algebra certificate (:mod:`.certificate`) checks that no hidden group is
   determined by everything published together; if one is, the cheapest further
   group is hidden until none is.

Row-level exports use :func:`.kanon.k_anonymise` with the same threshold k: every
combination of the quasi-identifiers is shared by at least k rows.

Imports only numpy; no I/O.
"""

from __future__ import annotations

from .certificate import determined
from .kanon import Generalised, Step, k_anonymise, smallest_group
from .labels import OTHER_GROUPS, PROTECTING, merged_label, small_label
from .rule import PROTECT, SMALL, Protection, protect

__all__ = [
    "Generalised",
    "OTHER_GROUPS",
    "PROTECT",
    "PROTECTING",
    "SMALL",
    "Protection",
    "Step",
    "determined",
    "k_anonymise",
    "merged_label",
    "protect",
    "small_label",
    "smallest_group",
]
