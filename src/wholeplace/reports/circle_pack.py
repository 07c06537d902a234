"""Packing circles side by side, the front-chain way (Wang et al., "Visualization of large
hierarchical data by circle packing", CHI 2006), in the form d3-hierarchy's ``packSiblings``
gives it (ISC licence; read, and written again here in Python).

Written by hand because the library we used, ``circlify``, takes time that grows with the
cube of the number of circles: 100 s for 300 circles, minutes for a place whose partners
are every English authority (benchmarks/web_load.py found a home page of 324 s). This
takes 0.01 s for 300 (a circle is tried against the chain's ends only), and its packing is
the one most circle-packing pictures on the web use.

:func:`pack` returns each circle's centre and its radius (unchanged), and the enclosing
circle, centred on (0, 0). The enclosing circle is the smallest one about the centre of
the circles' bounding box, not the smallest of all (for three equal circles it is 8 %
wider); it sets only how much room a group's ring leaves about its members.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class _Node:
    x: float
    y: float
    r: float
    next: _Node | None = None
    prev: _Node | None = None


def _place(b: _Node, a: _Node, c: _Node) -> None:
    """Put ``c`` touching both ``a`` and ``b``, on the left of the line from ``a`` to ``b``."""
    dx, dy = b.x - a.x, b.y - a.y
    d2 = dx * dx + dy * dy
    if d2 == 0:
        c.x, c.y = a.x + c.r, a.y
        return
    a2 = (a.r + c.r) ** 2
    b2 = (b.r + c.r) ** 2
    if a2 > b2:
        x = (d2 + b2 - a2) / (2 * d2)
        y = math.sqrt(max(0.0, b2 / d2 - x * x))
        c.x, c.y = b.x - x * dx - y * dy, b.y - x * dy + y * dx
    else:
        x = (d2 + a2 - b2) / (2 * d2)
        y = math.sqrt(max(0.0, a2 / d2 - x * x))
        c.x, c.y = a.x + x * dx - y * dy, a.y + x * dy + y * dx


def _intersects(a: _Node, b: _Node) -> bool:
    dr = a.r + b.r - 1e-6
    dx, dy = b.x - a.x, b.y - a.y
    return dr > 0 and dr * dr > dx * dx + dy * dy


def _score(node: _Node) -> float:
    """How far from the centre the gap after ``node`` lies: the chain grows from the
    closest gap, which keeps the packing round."""
    a = node
    b = node.next
    assert b is not None
    ab = a.r + b.r
    dx = (a.x * b.r + b.x * a.r) / ab
    dy = (a.y * b.r + b.y * a.r) / ab
    return dx * dx + dy * dy


@dataclass(frozen=True)
class Packed:
    circles: list[tuple[float, float, float]]  # (x, y, r) in the order given
    radius: float  # of the enclosing circle, centred on (0, 0)


def pack(radii: Sequence[float]) -> Packed:
    """Circles of ``radii`` (each > 0) packed about (0, 0), none overlapping another."""
    nodes = [_Node(0.0, 0.0, float(r)) for r in radii]
    n = len(nodes)
    if n == 0:
        return Packed([], 0.0)
    if n >= 2:
        a, b = nodes[0], nodes[1]
        a.x, b.x = -b.r, a.r
    if n >= 3:
        _chain(nodes)
    xs = [(p.x - p.r, p.x + p.r) for p in nodes]
    ys = [(p.y - p.r, p.y + p.r) for p in nodes]
    cx = (min(lo for lo, _ in xs) + max(hi for _, hi in xs)) / 2
    cy = (min(lo for lo, _ in ys) + max(hi for _, hi in ys)) / 2
    out = [(p.x - cx, p.y - cy, p.r) for p in nodes]
    radius = max(math.hypot(x, y) + r for x, y, r in out)
    return Packed(out, radius)


def _chain(nodes: list[_Node]) -> None:
    a, b, c = nodes[0], nodes[1], nodes[2]
    _place(b, a, c)
    # the front chain: a ring of the circles on the outside, a -> b -> c -> a
    a.next = c.prev = b
    b.next = a.prev = c
    c.next = b.prev = a
    i = 3
    while i < len(nodes):
        c = nodes[i]
        _place(a, b, c)
        j, k = b.next, a.prev
        assert j is not None and k is not None
        sj, sk = b.r, a.r
        restart = False
        while True:
            if sj <= sk:
                if _intersects(j, c):
                    # c overlaps a circle after b: that circle becomes b, and c is tried again
                    b = j
                    a.next, b.prev = b, a
                    restart = True
                    break
                sj += j.r
                j = j.next  # type: ignore[assignment]
            else:
                if _intersects(k, c):
                    a = k
                    a.next, b.prev = b, a
                    restart = True
                    break
                sk += k.r
                k = k.prev  # type: ignore[assignment]
            if j is k.next:
                break
        if restart:
            continue
        c.prev, c.next = a, b
        a.next = b.prev = c
        b = c
        # the next circle goes by the gap closest to the centre
        best, best_score = a, _score(a)
        node: _Node | None = c.next
        while node is not None and node is not b:
            s = _score(node)
            if s < best_score:
                best, best_score = node, s
            node = node.next
        a = best
        assert a.next is not None
        b = a.next
        i += 1
