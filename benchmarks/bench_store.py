"""Time ``Archive.store`` per article on a crawl's items, without the whole crawl benchmark.

Why: bench_crawl.py takes minutes to reach its archive figure; this times the same thing (a first run
into a fresh archive, stemming timed apart, see ``bench_crawl.archive_store_cost``) in seconds, best
of several passes, each with a fresh archive and an empty stem cache, or profiles one pass.

Run:   python benchmarks/bench_store.py --site 2000      (generate and crawl a site once, then time)
       python benchmarks/bench_store.py --items x.jsonl  (a crawl's items, e.g. bench_crawl's ours-r1)
       python benchmarks/bench_store.py --profile        (cProfile of one pass)
Without --site or --items: the mirrors' expected items (few: dominated by the first words stemmed).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_crawl

from belitong_crawler import search


def mirror_items() -> list[dict]:
    roots = (bench_crawl.MIRRORS / "expected", bench_crawl.MIRRORS / "current" / "expected")
    return [json.loads(path.read_text("utf-8")) for root in roots for path in sorted(root.glob("*.json"))]


def crawled_items(articles: int, seed: int, workdir: Path) -> list[dict]:
    """The items of one crawl of a generated site of ``articles`` articles."""
    site = bench_crawl.build_site(articles, seed, workdir / "site")
    with bench_crawl.serving(site.root) as server:
        bench = bench_crawl.Bench(workdir, site, server, 900)
        print(f"crawl: {bench.crawl_ours('items').checked}", flush=True)
    return bench_crawl.read_items(workdir / "ours-items.jsonl")


def cold_pass(items: list[dict], path: Path) -> bench_crawl.StoreCost:
    """One pass into a fresh archive with no word's root cached (as a first crawl's process)."""
    search.stem_word.cache_clear()
    return bench_crawl.archive_store_cost(items, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=Path, help="a crawl's items (JSON lines)")
    parser.add_argument("--site", type=int, help="generate a site of this many articles and crawl it")
    parser.add_argument("--seed", type=int, default=20241001)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one pass instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.site:
            items = crawled_items(args.site, args.seed, workdir)
        elif args.items:
            items = bench_crawl.read_items(args.items)
        else:
            items = mirror_items()
        search._stemmer()  # the dictionary's load is start-up, not a write
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(cold_pass, items, workdir / "profiled.sqlite")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            return
        costs = [cold_pass(items, workdir / f"pass{n}.sqlite") for n in range(args.passes)]
    for cost in costs:
        print(f"  {cost.ms_per_article:.3f} ms/article (stemming {cost.stem_ms_per_article:.3f})")
    best = min(costs, key=lambda cost: cost.ms_per_article)
    print(
        f"{len(items)} items, best of {len(costs)}: {best.ms_per_article:.3f} ms/article, of which"
        f" stemming {best.stem_ms_per_article:.3f} ms"
    )


if __name__ == "__main__":
    main()
