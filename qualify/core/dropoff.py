"""Drop-off per wizard step, from where each response stopped: pure arithmetic.

A response's ``step`` is the furthest step it completed (0: started, nothing completed),
so it *reached* steps 1 .. step + 1. An in-progress response dropped off at the step it
reached last; a submitted (or quarantined) one completed every step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StepDropoff:
    step: int
    reached: int  # responses that saw this step
    dropped: int  # of those, in progress and stopped here
    completed: int  # of those, went past it (or submitted)

    @property
    def rate(self) -> float:
        """Share of the responses that reached the step and left there (0 when none did)."""
        return self.dropped / self.reached if self.reached else 0.0


def dropoff_by_step(responses: Iterable[tuple[int, str]], total_steps: int) -> list[StepDropoff]:
    """Per step 1..``total_steps``: how many responses reached it and how many stopped there.

    ``responses`` are ``(furthest step completed, status)`` pairs; status ``in_progress``
    means not submitted yet (partial), anything else means completed.
    """
    reached = [0] * (total_steps + 2)
    dropped = [0] * (total_steps + 2)
    for step_done, status in responses:
        if status == "in_progress":
            last_seen = min(max(step_done, 0) + 1, total_steps)
            dropped[last_seen] += 1
        else:
            last_seen = total_steps
        for number in range(1, last_seen + 1):
            reached[number] += 1
    return [
        StepDropoff(n, reached[n], dropped[n], reached[n] - dropped[n])
        for n in range(1, total_steps + 1)
    ]
