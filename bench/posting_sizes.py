"""What zlib buys in newsearch's posting format: one index's postings sized three ways.

    .venv/bin/python bench/posting_sizes.py --index DIR

Reads every posting list of every segment in ``ArrayCodec``'s format and adds up their
bytes (framing and info tuples included) as written (zlib on the values part only, when it
shrinks them), with no zlib at all, and with zlib over each whole block's data (as W3
does), plus the time to inflate the values and the whole blocks. The rest of the index (terms, stored fields, columns) does
not change with the choice.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh import index as whoosh_index  # noqa: E402

from indexer.engines.whoosh import codec  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args()
    ix = whoosh_index.open_dir(str(args.index))
    stored = plain = whole = blocks = 0
    inflate_values = inflate_whole = 0.0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            terms = leaf._terms
            if not isinstance(terms._codec, codec.ArrayCodec):
                continue
            for _key, info in terms.items():
                if info.is_inlined():
                    continue
                offset, length = info.extent()
                data = terms._postfile.get(offset, length[0] if isinstance(length, tuple) else length)
                codec.read_postings(data, leaf.doc_count_all())  # it parses
                pos = len(codec.WHOOSH3_HEADER_MAGIC)
                stored += len(data)
                plain += len(data)
                whole += len(data)
                while pos < len(data):
                    (size,) = codec._BLOCK_LENGTH.unpack_from(data, pos)
                    end = pos + codec._INT_SIZE + abs(size)
                    (datasize,) = codec._TRAILER.unpack_from(data, end - codec._TRAILER.size)
                    values = codec._parse(data, end)[-1]
                    packed = bytes(values._packed)
                    raw = packed
                    if values._kind & codec._ZLIB:
                        started = time.perf_counter()
                        raw = zlib.decompress(packed)
                        inflate_values += time.perf_counter() - started
                    plain += len(raw) - len(packed)
                    block = data[end - datasize:end - len(packed) - codec._TRAILER.size] + raw
                    squeezed = zlib.compress(block, 3)
                    started = time.perf_counter()
                    zlib.decompress(squeezed)
                    inflate_whole += time.perf_counter() - started
                    whole += len(squeezed) + codec._TRAILER.size - datasize
                    blocks += 1
                    if size < 0:
                        break
                    pos = end
    print(f"{blocks:,} blocks")
    print(f"as written (zlib on values only, when smaller): {stored / 1e6:.1f} MB, "
          f"inflating them {inflate_values:.2f} s")
    print(f"no zlib: {plain / 1e6:.1f} MB")
    print(f"zlib over each whole block: {whole / 1e6:.1f} MB, inflating them {inflate_whole:.2f} s")


if __name__ == "__main__":
    main()
