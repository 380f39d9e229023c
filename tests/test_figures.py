"""Tests of figure ranges and their comparison (briefing.figures)."""

from __future__ import annotations

import math

import pytest

from briefing.figures import (
    Interval,
    Relation,
    compare,
    interval,
    rounding_half_unit,
    same_counts,
    same_quantity,
)
from briefing.models import Figure, format_figure

FIGHTERS = "Chinese nationals fighting for Russia"


def fig(value: float, qualifier: str = "exactly", unit: str = "people",
        counts: str = FIGHTERS, upper: float | None = None,
        quantity: str | None = None) -> Figure:
    return Figure(value=value, qualifier=qualifier, unit=unit, counts=counts, upper=upper,
                  quantity=quantity)


@pytest.mark.parametrize(("figure", "expected"), [
    (fig(11000), Interval(11000, 11000)),
    (fig(11000, "about"), Interval(10500, 11500, high_open=True)),
    (fig(155, "at least"), Interval(155, math.inf, high_open=True)),
    (fig(150, "more than"), Interval(150, math.inf, low_open=True, high_open=True)),
    (fig(5, "at most"), Interval(0, 5)),
    (fig(5, "up to"), Interval(0, 5)),
    (fig(5, "fewer than"), Interval(0, 5, high_open=True)),
    (fig(2, "between", upper=4), Interval(2, 4)),
    (fig(100, "several"), Interval(200, 2000, high_open=True)),
    (fig(-3, "at most", unit="degrees"), Interval(-math.inf, -3)),
])
def test_interval_of_each_qualifier(figure: Figure, expected: Interval) -> None:
    assert interval(figure) == expected


def test_about_uses_the_precision_the_value_is_written_with() -> None:
    assert rounding_half_unit(11000) == 500
    assert rounding_half_unit(2_000_000) == 500_000
    assert rounding_half_unit(155) == 0.5
    assert rounding_half_unit(2.5) == pytest.approx(0.05)


@pytest.mark.parametrize(("a", "b"), [
    (fig(155, "at least"), fig(150, "more than")),
    (fig(155, "at least"), fig(163, "at least")),
    (fig(163, "at least"), fig(100, "several")),
    (fig(150, "more than"), fig(100, "several")),
    (fig(11000, "about"), fig(11200)),
    (fig(2, "between", upper=4), fig(3, "up to")),
])
def test_overlapping_ranges_of_different_figures_are_compatible(a: Figure, b: Figure) -> None:
    assert compare(a, b) is Relation.COMPATIBLE
    assert compare(b, a) is Relation.COMPATIBLE


@pytest.mark.parametrize(("a", "b"), [
    (fig(11000), fig(12000)),
    (fig(11000, "about"), fig(12000)),
    (fig(11000, "about"), fig(12000, "about")),  # 10,500-11,500 and 11,500-12,500
    (fig(150), fig(150, "more than")),  # open end excludes the shared point
    (fig(5, "fewer than"), fig(5, "at least")),
    (fig(100, "several"), fig(2000, "at least")),
    (fig(100, "several"), fig(200, "fewer than")),
    (fig(1000, "several"), fig(25000, "about")),
])
def test_disjoint_ranges_conflict(a: Figure, b: Figure) -> None:
    assert compare(a, b) is Relation.CONFLICTING
    assert compare(b, a) is Relation.CONFLICTING


def test_closed_ends_that_touch_overlap() -> None:
    assert compare(fig(5, "at most"), fig(5, "at least")) is Relation.COMPATIBLE
    assert compare(fig(150), fig(150, "at least")) is Relation.COMPATIBLE


@pytest.mark.parametrize(("a", "b"), [
    (fig(155, "at least"), fig(155, "at least")),
    (fig(5, "at most"), fig(5, "up to")),
    (fig(11000), fig(11000.0)),
])
def test_same_range_is_same(a: Figure, b: Figure) -> None:
    assert compare(a, b) is Relation.SAME


def test_different_units_are_incomparable() -> None:
    assert compare(fig(2, unit="USD"), fig(2, unit="RUB")) is Relation.INCOMPARABLE
    assert compare(fig(2, unit="people"), fig(3, unit="weeks")) is Relation.INCOMPARABLE
    assert compare(fig(2, unit="Weeks"), fig(3, unit="week")) is Relation.CONFLICTING


def test_different_counted_things_are_incomparable() -> None:
    nk = fig(12000, counts="North Korean troops in Russia")
    assert compare(fig(155, "at least"), nk) is Relation.INCOMPARABLE


def test_counts_match_despite_wording() -> None:
    assert same_counts(fig(1, counts="Chinese citizens fighting for Russia"),
                       fig(1, counts="Chinese nationals fighting for Russia"))
    assert same_counts(fig(1, counts="North Korean soldiers"),
                       fig(1, counts="North Korean soldiers sent to Russia"))
    assert same_counts(fig(1, counts="Chinese nationals serving in Russia's armed forces"),
                       fig(1, counts="Chinese citizens fighting for Russia, by Kyiv's estimate"))
    assert not same_counts(fig(1, counts="Indian nationals in the Russian army"),
                           fig(1, counts="Chinese recruits selected"))
    assert not same_counts(fig(1, counts="Chinese fighters Kovalenko supposes for comparison"),
                           fig(1, counts="Chinese nationals fighting for Russia"))


def test_same_quantity_is_compared_whatever_the_counts_say() -> None:
    # The bundled story's case: word overlap alone misses it.
    sent = fig(12000, "about", counts="North Korean soldiers sent by Pyongyang, by Kyiv's estimate",
               quantity="north-korean-troops")
    arrived = fig(11000, counts="North Korean soldiers who arrived to fight for Russia about "
                                "six months earlier", quantity="north-korean-troops")
    assert not same_counts(sent, arrived)
    assert same_quantity(sent, arrived)
    assert compare(sent, arrived) is Relation.CONFLICTING


def test_different_quantities_are_incomparable_whatever_the_counts_say() -> None:
    real = fig(150, "more than", quantity="chinese-fighters")
    hypothetical = fig(150, counts=FIGHTERS, quantity="hypothetical-chinese-fighters")
    assert same_counts(real, hypothetical)
    assert compare(real, hypothetical) is Relation.INCOMPARABLE


def test_units_still_count_with_the_same_quantity() -> None:
    rub = fig(2_000_000, unit="RUB", quantity="recruit-payment")
    usd = fig(24_000, "fewer than", unit="USD", quantity="recruit-payment")
    assert compare(rub, usd) is Relation.INCOMPARABLE


@pytest.mark.parametrize("quantities", [("chinese-fighters", None), (None, "chinese-fighters"),
                                        (None, None)])
def test_without_two_quantities_the_counts_decide(quantities: tuple) -> None:
    left, right = quantities
    alike = (fig(155, "at least", counts="Chinese citizens fighting for Russia", quantity=left),
             fig(150, "more than", counts="Chinese nationals fighting for Russia", quantity=right))
    assert compare(*alike) is Relation.COMPATIBLE
    unlike = (fig(155, "at least", quantity=left),
              fig(12000, counts="North Korean troops in Russia", quantity=right))
    assert compare(*unlike) is Relation.INCOMPARABLE


@pytest.mark.parametrize(("figure", "text"), [
    (fig(155, "at least"), "at least 155 people"),
    (fig(100, "several"), "several hundred people"),
    (fig(11000), "11,000 people"),
    (fig(2, "between", unit="weeks", upper=3), "between 2 and 3 weeks"),
    (fig(2.5, "about", unit="USD"), "about 2.5 USD"),
    (fig(7, "several", unit=""), "several times 7"),
])
def test_format_figure(figure: Figure, text: str) -> None:
    assert format_figure(figure) == text
