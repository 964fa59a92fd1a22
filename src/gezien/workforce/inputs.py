"""Checked, broadcast numpy arrays from what callers pass in (numbers or arrays of them)."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Targets count as met within this much: a service level of 0.8 computed as 0.7999999999999999 meets an
# 80% target, an occupancy of 0.8500000000000001 meets a cap of 85%.
TOLERANCE = 1e-12


def floats(name: str, value: ArrayLike, *, positive: bool = False) -> NDArray[np.float64]:
    """A float array of finite values >= 0 (> 0 with `positive`)."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, not {value!r}") from None
    if array.size and not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite")
    if positive and array.size and not (array > 0).all():
        raise ValueError(f"{name} must be > 0")
    if array.size and not (array >= 0).all():
        raise ValueError(f"{name} must be >= 0")
    return array


def _real(value: Any) -> bool:
    # The exact types first: an isinstance check against the numbers ABC costs a microsecond.
    kind = type(value)
    return kind is float or kind is int or (kind is not bool and isinstance(value, numbers.Real))


def number(name: str, value: Any, *, positive: bool = False) -> float:
    """One finite number >= 0 (> 0 with `positive`): the scalar fast path of `floats`."""
    if not _real(value):
        raise ValueError(f"{name} must be a number, not {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite")
    if positive and not result > 0:
        raise ValueError(f"{name} must be > 0")
    if not result >= 0:
        raise ValueError(f"{name} must be >= 0")
    return result


def count(name: str, value: Any) -> int:
    """One whole number >= 0 (agents): the scalar fast path of `whole`."""
    if not _real(value):
        raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or number != math.floor(number) or number < 0:
        raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")
    return math.floor(number)


def share(name: str, value: Any, *, low_open: bool, high_open: bool) -> float:
    """One number within [0, 1], either end open as asked: the scalar fast path of `fraction`."""
    result = number(name, value)
    if (low_open and result == 0) or result > 1 or (high_open and result == 1):
        low = "(0" if low_open else "[0"
        high = "1)" if high_open else "1]"
        raise ValueError(f"{name} must lie in {low}, {high}")
    return result


def is_scalar(*values: Any) -> bool:
    """Whether every value is a plain number (None counts as one: an absent option)."""
    return all(value is None or _real(value) for value in values)


def whole(name: str, value: ArrayLike) -> NDArray[np.int64]:
    """An integer array of whole numbers >= 0 (agents)."""
    array = floats(name, value)
    if array.size and not (array == np.floor(array)).all():
        raise ValueError(f"{name} must be whole numbers")
    return array.astype(np.int64)


def fraction(name: str, value: ArrayLike, *, low_open: bool, high_open: bool) -> NDArray[np.float64]:
    """A float array within [0, 1], either end open as asked."""
    array = floats(name, value)
    low_ok = (array > 0) if low_open else (array >= 0)
    high_ok = (array < 1) if high_open else (array <= 1)
    if array.size and not (low_ok & high_ok).all():
        low = "(0" if low_open else "[0"
        high = "1)" if high_open else "1]"
        raise ValueError(f"{name} must lie in {low}, {high}")
    return array


def concurrency(value: Any) -> int:
    """Contacts one agent handles at once: a whole number >= 1."""
    try:
        result = count("concurrency", value)
    except ValueError:
        result = 0
    if result < 1:
        raise ValueError(f"concurrency must be a whole number >= 1, not {value!r}")
    return result


def broadcast(*arrays: NDArray[Any]) -> tuple[tuple[int, ...], list[NDArray[Any]]]:
    """The common shape and each array broadcast to it, flattened (the kernels work on 1-d arrays)."""
    try:
        shaped = np.broadcast_arrays(*arrays)
    except ValueError:
        raise ValueError("the arrays do not broadcast to one shape") from None
    shape = shaped[0].shape
    return shape, [np.ascontiguousarray(array).reshape(-1) for array in shaped]
