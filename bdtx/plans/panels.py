"""Panels that apps above plans add to a personal plan's page, without plans importing them (the
layers only import down): training registers the core teacher's tiết quy đổi. A provider gets the
plan and returns a panel (a template and its context) or None; it runs a constant number of queries."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bdtx.plans.models import PersonalPlan


@dataclass(frozen=True)
class PlanPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[[PersonalPlan], PlanPanel | None]
_PROVIDERS: list[PanelProvider] = []


def register_plan_panel(provider: PanelProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def plan_panels(plan: PersonalPlan) -> list[PlanPanel]:
    return [panel for provider in _PROVIDERS if (panel := provider(plan)) is not None]
