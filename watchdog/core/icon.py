"""The extension's icon, drawn in code: an amber clock face with its hands. Pure.

    icon_png(128) -> PNG bytes (RGBA, 128x128)

Drawing it here keeps binary files out of the repository and every size sharp; each pixel
is supersampled so the edges are smooth.
"""

from __future__ import annotations

import math
import struct
import zlib

_FACE = (249, 171, 0)  # amber
_HANDS = (32, 33, 36)
_SAMPLES = 3


def _coverage(x: float, y: float) -> tuple[tuple[int, int, int], float] | None:
    """Colour at (x, y) in a unit square centred on 0.5, 0.5; None outside the face."""
    dx, dy = x - 0.5, y - 0.5
    r = math.hypot(dx, dy)
    if r > 0.47:
        return None
    width = 0.06
    minute_hand = abs(dx) <= width / 2 and -0.33 <= dy <= 0.03
    hour_hand = abs(dy) <= width / 2 and -0.03 <= dx <= 0.24
    ring = r >= 0.40
    return (_HANDS if minute_hand or hour_hand or ring else _FACE), 1.0


def _pixel(px: int, py: int, size: int) -> bytes:
    corners = {_coverage((px + cx) / size, (py + cy) / size) for cx in (0, 1) for cy in (0, 1)}
    if len(corners) == 1:  # no edge crosses the pixel: one colour, no supersampling
        only = corners.pop()
        return b"\x00\x00\x00\x00" if only is None else bytes(only[0]) + b"\xff"
    total = [0.0, 0.0, 0.0]
    alpha = 0.0
    for sy in range(_SAMPLES):
        for sx in range(_SAMPLES):
            hit = _coverage(
                (px + (sx + 0.5) / _SAMPLES) / size, (py + (sy + 0.5) / _SAMPLES) / size
            )
            if hit is None:
                continue
            colour, weight = hit
            alpha += weight
            for i in range(3):
                total[i] += colour[i] * weight
    if alpha == 0:
        return b"\x00\x00\x00\x00"
    rgb = bytes(round(c / alpha) for c in total)
    return rgb + bytes([round(255 * alpha / _SAMPLES**2)])


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def icon_png(size: int) -> bytes:
    """A `size` x `size` RGBA PNG of the icon."""
    if size < 1:
        raise ValueError(f"icon size must be positive, not {size}")
    rows = b"".join(
        b"\x00" + b"".join(_pixel(x, y, size) for x in range(size)) for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )
