"""A deterministic, clearly SYNTHETIC news corpus for load tests, made from real sentences.

    .venv/bin/python bench/make_corpus.py --size 200000 --out /tmp/newsearch-synthetic
    .venv/bin/python bench/make_corpus.py --size 1000 --offset 200000 --out DIR  # one more file

Every article recombines real sentences of Reuters-21578 and the BBC News dataset: a base
article gives the headline, the lead sentence and about half of the body (in its order),
and two or three articles on the same topic (Reuters TOPICS code or BBC category) give the
rest. People, countries, companies and numbers therefore occur in realistic mixtures and
frequencies, and the queries of bench/queries.json stay meaningful. Publication dates are
spread evenly over 1987-2024, so relative dates ("on Monday") resolve against the new date.

Output: JSON lines in the news-please layout the indexer reads (``indexer/sources/
jsonfiles.py``), ``part-NNNNN.jsonl`` with ``--per-file`` articles each (the indexer
parallelises per file), plus a README.md saying the data is synthetic. Every record says
so too: ``"synthetic": true`` and ``source_domain`` ``reuters.synthetic.newsearch`` or
``bbc.synthetic.newsearch``. Ids are ``part-NNNNN.jsonl#LINE``.

Article *i* depends only on the seed, *i* and the source corpora, never on ``--size``: the
first 25,000 articles of a 200,000-article corpus are the 25,000-article corpus, and
``--offset`` adds files later without changing the earlier ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED  # noqa: E402
from indexer.article import Article  # noqa: E402
from indexer.sources.bbc import read_bbc  # noqa: E402
from indexer.sources.reuters import read_reuters  # noqa: E402

SEED = 7
PER_FILE = 1000
FIRST_DAY = date(1987, 1, 1)
LAST_DAY = date(2024, 12, 31)
BBC_SHARE = 0.15  # BBC is ~10% of the source articles but its articles are longer
DOMAINS = {"reuters": "reuters.synthetic.newsearch", "bbc": "bbc.synthetic.newsearch"}

# No sentence break after these (they end with a full stop but not a sentence).
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|St|Mt|Jr|Sr|Inc|Corp|Co|Ltd|"
    r"Bros|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|est|dept|fig)"
    r"|\b[A-Z](?:\.[A-Z])*)\.$")
_BREAK = re.compile(r"(?<=[.!?])[\"']?\s+(?=[\"'(]?[A-Z0-9])")
_TRAILER = re.compile(r"\s*\bREUTER\b\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """One real article cut into sentences, with the topic used to pick donors."""

    id: str
    family: str  # "reuters" or "bbc"
    topic: str
    title: str
    sentences: tuple[str, ...]
    authors: tuple[str, ...]


def sentences(body: str) -> list[str]:
    """Sentences of a body, paragraph by paragraph, keeping abbreviations whole."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", _TRAILER.sub("", body)):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for m in _BREAK.finditer(para):
            head = para[start:m.start()].rstrip("\"'")
            if _ABBREV.search(head):
                continue
            out.append(para[start:m.start()].strip())
            start = m.end()
        out.append(para[start:].strip())
    return [s for s in out if len(s) > 1]


def _source(article: Article, family: str) -> Source | None:
    sents = tuple(sentences(article.body))
    if not article.title or not sents:
        return None
    # Topic for choosing donors: the first Reuters TOPICS code or BBC category, else the
    # first Reuters PLACES code, so untagged items still mix with stories about the same place.
    topic = article.category.split(",")[0] if article.category else ""
    if not topic and article.gold_places:
        topic = f"place:{article.gold_places[0]}"
    return Source(article.id, family, topic, article.title, sents, article.authors)


@lru_cache(maxsize=2)
def load_sources(shared: Path = SHARED) -> dict[str, list[Source]]:
    """Real articles with a title and a body, by family, in a fixed order."""
    reuters_dir = shared / "corpora" / "reuters21578"
    bbc_dir = shared / "corpora" / "bbc"
    if not reuters_dir.exists() or not bbc_dir.exists():
        raise SystemExit(f"source corpora not found under {shared / 'corpora'} "
                         "(need reuters21578/ and bbc/)")
    pools: dict[str, list[Source]] = {"reuters": [], "bbc": []}
    for path in sorted(reuters_dir.glob("reut2-*.sgm")):
        for item in read_reuters(path, path.name):
            if isinstance(item, Article) and (src := _source(item, "reuters")):
                pools["reuters"].append(src)
    for path in sorted(bbc_dir.glob("*/*.txt")):
        for item in read_bbc(path, f"{path.parent.name}/{path.name}"):
            if isinstance(item, Article) and (src := _source(item, "bbc")):
                pools["bbc"].append(src)
    return pools


class Generator:
    """Article ``i`` of the synthetic corpus, a pure function of (seed, i, sources)."""

    def __init__(self, pools: dict[str, list[Source]], seed: int = SEED) -> None:
        self.pools = pools
        self.seed = seed
        self.by_topic: dict[tuple[str, str], list[Source]] = {}
        for family, pool in pools.items():
            for src in pool:
                self.by_topic.setdefault((family, src.topic), []).append(src)
        self.days = (LAST_DAY - FIRST_DAY).days + 1

    def article(self, i: int) -> dict[str, object]:
        rng = random.Random(f"{self.seed}/{i}")
        family = "bbc" if rng.random() < BBC_SHARE else "reuters"
        base = rng.choice(self.pools[family])
        same_topic = self.by_topic[(family, base.topic)] if base.topic else []
        donors_from = same_topic if len(same_topic) > 3 else self.pools[family]
        donors = [rng.choice(donors_from) for _ in range(rng.randint(2, 3))]
        # Length follows the base article (at least 3 sentences, at most 40).
        length = min(max(len(base.sentences) + rng.randint(-2, 2), 3), 40)
        chosen = [base.sentences[0]]
        own = [s for s in base.sentences[1:] if rng.random() < 0.5]
        pool = [s for d in donors for s in d.sentences]
        rng.shuffle(pool)
        while len(chosen) + len(own) < length and pool:
            chosen.append(pool.pop())
        # Keep the base's own sentences in their order, spread among the donors'.
        body_sents = chosen[:1]
        rest = chosen[1:]
        for s in own:
            rest.insert(rng.randint(0, len(rest)), s)
        body_sents += rest
        paras, k = [], 0
        while k < len(body_sents):
            n = 1 if family == "reuters" and rng.random() < 0.6 else rng.randint(1, 3)
            paras.append(" ".join(body_sents[k:k + n]))
            k += n
        text = "\n\n".join(paras)
        if family == "reuters":
            text += "\n\nREUTER"
        day = FIRST_DAY + timedelta(days=rng.randrange(self.days))
        published = datetime(day.year, day.month, day.day, rng.randrange(24),
                             rng.randrange(60), rng.randrange(60))
        slug = hashlib.sha1(f"{self.seed}/{i}".encode()).hexdigest()[:10]
        return {
            "title": base.title,
            "text": text,
            "date_publish": published.strftime("%Y-%m-%d %H:%M:%S"),
            "url": f"https://{DOMAINS[family]}/{day:%Y/%m/%d}/{i}-{slug}",
            "source_domain": DOMAINS[family],
            "authors": list(base.authors),
            "category": "" if base.topic.startswith("place:") else base.topic,
            "synthetic": True,
            "derived_from": [base.id, *(d.id for d in donors)],
        }


README = """# SYNTHETIC news corpus (load-test data, not real news)

Made by `bench/make_corpus.py` of newsearch (seed {seed}): {count:,} articles in {files}
JSON-lines files of up to {per_file:,} articles (`part-NNNNN.jsonl`, news-please fields).

Every article is **synthetic**: real sentences from Reuters-21578 and the BBC News
dataset recombined into new articles (a base article's headline, lead and about half of
its sentences, plus sentences from two or three articles on the same topic), with a made-up
publication date between {first} and {last}. The facts they state, the combinations of people
and places and the dates are NOT real. Each record carries `"synthetic": true`, a
`source_domain` under `synthetic.newsearch`, and `derived_from` (ids of the real articles
its sentences come from). Use it only to measure speed and size.
"""


def file_name(number: int) -> str:
    return f"part-{number:05d}.jsonl"


def write_corpus(size: int, out: Path, *, offset: int = 0, seed: int = SEED,
                 per_file: int = PER_FILE, shared: Path = SHARED,
                 log=print) -> list[Path]:
    """Write articles [offset, offset + size) into ``out``; returns the files written.

    Files that already exist with the right number of lines are kept (article i never
    changes), so an interrupted or extended run only writes what is missing.
    """
    if offset % per_file:
        raise SystemExit(f"--offset must be a multiple of --per-file ({per_file})")
    out.mkdir(parents=True, exist_ok=True)
    generator: Generator | None = None
    written: list[Path] = []
    started = time.perf_counter()
    for first in range(offset, offset + size, per_file):
        count = min(per_file, offset + size - first)
        path = out / file_name(first // per_file)
        written.append(path)
        if path.exists() and sum(1 for _ in path.open("rb")) == count:
            continue
        if generator is None:
            generator = Generator(load_sources(shared), seed)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for i in range(first, first + count):
                fh.write(json.dumps(generator.article(i), ensure_ascii=False) + "\n")
        tmp.replace(path)
    total = sum(1 for p in sorted(out.glob("part-*.jsonl")) for _ in p.open("rb"))
    (out / "README.md").write_text(README.format(
        seed=seed, count=total, files=len(list(out.glob("part-*.jsonl"))), per_file=per_file,
        first=FIRST_DAY, last=LAST_DAY), "utf-8")
    log(f"{size:,} synthetic articles ({len(written)} files) in {out} "
        f"({time.perf_counter() - started:.1f} s)")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--offset", type=int, default=0,
                        help="number of the first article (a multiple of --per-file)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-file", type=int, default=PER_FILE)
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help="folder holding corpora/reuters21578 and corpora/bbc")
    args = parser.parse_args()
    write_corpus(args.size, args.out, offset=args.offset, seed=args.seed,
                 per_file=args.per_file, shared=args.shared)


if __name__ == "__main__":
    main()
