"""Near-duplicate detection: MinHash signatures cut into LSH bands.

Wire services resend the same story with small edits; readers want one hit with
"3 similar", not three hits. Each article gets 64 MinHash values over 5-word shingles,
cut into 8 bands of 8; two articles sharing a band are near-duplicates (a Jaccard
similarity of 0.8 collides 83% of the time, 0.5 only 3%).
"""

from __future__ import annotations

import re
import zlib

import numpy as np

BANDS = 8
ROWS = 8
SHINGLE = 5
MIN_WORDS = 20  # shorter texts (headlines alone) say too little to call two copies the same
_WORD = re.compile(r"\w+")
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20180507)
_A = _rng.integers(1, 1 << 31, size=BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=BANDS * ROWS, dtype=np.uint64)


def lsh_bands(text: str) -> tuple[str, ...]:
    """Band tokens for an article's text; empty for texts too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return ()
    # The shingles of words i..i+4 are the zip of the word list with itself shifted.
    phrases = map(" ".join, zip(*(words[i:] for i in range(SHINGLE)), strict=False))
    shingles = set(map(zlib.crc32, map(str.encode, phrases)))
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    hashed = (values[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    signature = hashed.min(axis=0).reshape(BANDS, ROWS)
    return tuple(f"b{i}x{zlib.crc32(row.tobytes()):08x}" for i, row in enumerate(signature))
