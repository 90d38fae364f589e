"""Pure statistics layer of trivsel: intervals, tests, effect sizes, design
effects, multiple-testing corrections, target checks, disclosure control and
Danish wording. No HTTP, no database; every function is synchronous and cheap.
"""

from __future__ import annotations

from .design_effect import DesignEffectResult, design_effect, design_effect_from_clusters
from .intervals import (
    IntervalArrays,
    ProportionIntervalResult,
    clopper_pearson_interval,
    wilson_interval,
    wilson_intervals,
)
from .mean_interval import MeanIntervalResult, Summary, mean_t_interval, summarize
from .mean_trend import MeanTrendResult, linear_trend_means
from .means import WelchResult, welch_test
from .multiple import AdjustedPValues, benjamini_hochberg, holm
from .effect_sizes import cohens_h, cramers_v
from .proportions import (
    CompareSharesResult,
    NewcombeResult,
    compare_shares,
    newcombe_interval,
)
from .ranks import MannWhitneyResult, mann_whitney, mann_whitney_counts
from .disclosure import Protection, protect
from .suppression import MIN_N_FOR_TEST, is_primary_suppressed, is_testable
from .target import TargetResult, target_check
from .trend import TrendResult, cochran_armitage
from .wording import (
    describe_difference,
    describe_mean_comparison,
    describe_share_comparison,
    describe_trend,
    format_ci,
    format_number,
    format_pct,
)

__all__ = [
    "MIN_N_FOR_TEST",
    "AdjustedPValues",
    "CompareSharesResult",
    "DesignEffectResult",
    "IntervalArrays",
    "MannWhitneyResult",
    "MeanIntervalResult",
    "MeanTrendResult",
    "NewcombeResult",
    "ProportionIntervalResult",
    "Summary",
    "Protection",
    "TargetResult",
    "TrendResult",
    "WelchResult",
    "benjamini_hochberg",
    "clopper_pearson_interval",
    "cochran_armitage",
    "cohens_h",
    "compare_shares",
    "cramers_v",
    "describe_difference",
    "describe_mean_comparison",
    "describe_share_comparison",
    "describe_trend",
    "design_effect",
    "design_effect_from_clusters",
    "format_ci",
    "format_number",
    "format_pct",
    "holm",
    "is_primary_suppressed",
    "is_testable",
    "linear_trend_means",
    "mann_whitney",
    "mann_whitney_counts",
    "mean_t_interval",
    "newcombe_interval",
    "summarize",
    "protect",
    "target_check",
    "welch_test",
    "wilson_interval",
    "wilson_intervals",
]
