"""The front page: each goal indicator (an indicator with a target) in sentences."""

from __future__ import annotations

from typing import Any

from .content import GoalLine
from .story import Context, development, headline, reference_texts, target_story

__all__ = ["goal_line"]


def goal_line(ctx: Context, ind: Any) -> GoalLine:
    """Where the indicator is now (with its interval in words), how it developed, the target
    (judged in its target year and now) and the published figures beside it."""
    head, interval = headline(ctx, ind)
    story = target_story(ctx, ind)
    return GoalLine(
        ind.id, ind.labelled("da"), head, interval, development(ctx, ind), story.sentences, story.status, story.key,
        reference_texts(ctx, ind),
    )
