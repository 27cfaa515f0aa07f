"""Server-side SVG charts: where things are drawn, never what they are worth.

:func:`line_chart` takes values already computed by a service (ratios as their decimal text)
and places them on a plot: x per month, y scaled to the largest of the values and the target.
The template (``console_trend.svg.html``) draws the result; no JavaScript, nothing loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

__all__ = ["Bar", "BarChart", "Chart", "Point", "line_chart", "paired_bars"]

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    label: str  # the month
    value: str  # as the service gave it


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    points: list[Point]
    segments: list[list[Point]]  # runs of consecutive months that have a value
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target_y: float


def _percent(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def line_chart(months: Sequence[str], values: Sequence[str | None], target: str) -> Chart:
    """A line of ``values`` (one per month, ``None``: no value that month) against ``target``;
    the y axis runs from 0 to a round ceiling above both, ticked every 5 percentage points (10
    above 25%)."""
    numbers = [None if v is None else Decimal(v) for v in values]
    top_value = max([Decimal(target), *(n for n in numbers if n is not None)])
    step = Decimal("0.05") if top_value < Decimal("0.25") else Decimal("0.10")
    steps = int((top_value / step).to_integral_value(rounding=ROUND_CEILING))
    if step * steps == top_value:
        steps += 1  # the largest value not on the top edge
    ceiling = step * steps
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_w, plot_h = right - LEFT, bottom - TOP
    step_x = plot_w / max(len(months) - 1, 1)

    def y_of(value: Decimal) -> float:
        return round(bottom - float(value / ceiling) * plot_h, 2)

    points: list[Point] = []
    segments: list[list[Point]] = []
    run: list[Point] = []
    for index, (month, text, number) in enumerate(zip(months, values, numbers, strict=True)):
        if number is None or text is None:
            if run:
                segments.append(run)
            run = []
            continue
        point = Point(round(LEFT + index * step_x, 2), y_of(number), month, text)
        points.append(point)
        run.append(point)
    if run:
        segments.append(run)
    x_ticks = [Tick(round(LEFT + i * step_x, 2), m[2:]) for i, m in enumerate(months)]
    y_ticks = [Tick(y_of(step * i), _percent(step * i)) for i in range(steps + 1)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        points=points,
        segments=segments,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target_y=y_of(Decimal(target)),
    )


# -- paired bars (the what-if page: actual against what-if, per fund) ----------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # "actual" or "what_if"
    label: str  # the group's label
    value: str  # as the service gave it


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _amount_step(top_value: Decimal) -> Decimal:
    """A round tick step (1, 2 or 5 × a power of ten) giving at most 6 steps to ``top_value``."""
    if top_value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (top_value.adjusted())
    for factor in (Decimal("0.1"), Decimal("0.2"), Decimal("0.5"), Decimal(1), Decimal(2)):
        if top_value / (power * factor) <= 6:
            return power * factor
    return power * 5


def paired_bars(labels: Sequence[str], actual: Sequence[str], what_if: Sequence[str]) -> BarChart:
    """Two bars per label (amounts as the service wrote them, never negative here: what each
    fund paid), the y axis from 0 to a round ceiling above the largest."""
    numbers = [Decimal(v) for v in (*actual, *what_if)]
    top_value = max([Decimal(0), *numbers])
    step = _amount_step(top_value)
    steps = max(1, int((top_value / step).to_integral_value(rounding=ROUND_CEILING)))
    ceiling = step * steps
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_w, plot_h = right - LEFT, bottom - TOP
    group_w = plot_w / max(len(labels), 1)
    bar_w = round(group_w * 0.35, 2)

    def y_of(value: Decimal) -> float:
        return round(bottom - float(value / ceiling) * plot_h, 2)

    bars: list[Bar] = []
    x_ticks: list[Tick] = []
    for index, label in enumerate(labels):
        start = LEFT + index * group_w + group_w * 0.15
        for offset, kind, text in ((0, "actual", actual[index]), (1, "what_if", what_if[index])):
            y = y_of(Decimal(text))
            bars.append(
                Bar(
                    round(start + offset * bar_w, 2),
                    y,
                    bar_w,
                    round(bottom - y, 2),
                    kind,
                    label,
                    text,
                )
            )
        x_ticks.append(Tick(round(start + bar_w, 2), label))
    y_ticks = [Tick(y_of(step * i), f"{(step * i).normalize():f}") for i in range(steps + 1)]
    return BarChart(WIDTH, HEIGHT, LEFT, right, TOP, bottom, bars, x_ticks, y_ticks)
