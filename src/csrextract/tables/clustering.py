"""One-dimensional clustering: snap nearly equal coordinates, merge touching intervals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cluster_values(values: Iterable[float], tol: float) -> list[list[float]]:
    """Group sorted values whose neighbours lie within ``tol`` (single linkage)."""
    ordered = sorted(values)
    groups: list[list[float]] = []
    for value in ordered:
        if groups and value - groups[-1][-1] <= tol:
            groups[-1].append(value)
        else:
            groups.append([value])
    return groups


def cluster_centres(values: Iterable[float], tol: float) -> list[float]:
    """Mean of each cluster of nearly equal values, ascending."""
    return [sum(g) / len(g) for g in cluster_values(values, tol)]


def merge_intervals(
    intervals: Iterable[tuple[float, float]], gap: float = 0.0
) -> list[list[float]]:
    """Union of intervals; intervals closer than ``gap`` are joined."""
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def nearest_index(positions: Sequence[float], value: float) -> int:
    """Index of the position closest to ``value``."""
    return min(range(len(positions)), key=lambda i: abs(positions[i] - value))
