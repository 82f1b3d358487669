"""Synthetic lineup data of a given size, the same every time, in lineup's canonical layout.

Brands of 25 models each, sold in the US and in seven other markets; a window each per model and
market, some closed, some open, dated at every precision, the US ones with model years, each with a
source and some with a note. Made up, for measuring: never mix it with real data.

    python benchmarks/synthetic.py PATH WINDOWS [FILES]

writes PATH (one file), or with FILES a folder PATH of that many files, each with brands of its own.
"""

import random
import sys
from pathlib import Path
from typing import Any

from lineup import layout

BRAND = "brand0000"  # a brand of every size, sold in the US
MODELS = 25
MARKETS = ["US", "TW", "JP", "DE", "FR", "GB", "CN", "KR", "AU", "CA", "IT", "ES", "BR", "MX", "IN", "TH"]
BODIES = ["sedan", "coupe", "suv", "crossover", "hatchback", "wagon", "convertible", "pickup", "van"]


def document(windows: int, seed: int = 1, first: int = 0) -> dict[str, Any]:
    """Brands brand{first}, brand{first + 1}... with `windows` windows in all."""
    rng = random.Random(seed)
    brands: dict[str, Any] = {}
    made = 0
    while made < windows:
        number = first + len(brands)
        brand_id = f"brand{number:04d}"
        models = {f"m{m:02d}": {"name": f"Model {m}", "body": BODIES[(m + number) % len(BODIES)]}
                  for m in range(MODELS)}  # fmt: skip
        markets: dict[str, Any] = {}
        for code in ["US", *rng.sample(MARKETS[1:], 7)]:
            entries = {}
            for model_id in models:
                if made == windows:
                    break
                entries[model_id] = _window(rng, code, brand_id, model_id)
                made += 1
            markets[code] = entries
        brands[brand_id] = {"name": f"Brand {number}", "origin": "JP", "models": models, "markets": markets}
    return {"brands": brands}


def _window(rng: random.Random, code: str, brand_id: str, model_id: str) -> dict[str, Any]:
    start = rng.randint(1995, 2020)
    window: dict[str, Any] = {
        "since": rng.choice([start, f"{start}-H{rng.randint(1, 2)}", f"{start}-{rng.randint(1, 12):02d}"]),
        "source": f"https://example.com/{brand_id}/{model_id}/{code.lower()}",
    }
    if rng.random() < 0.6:
        window["until"] = start + rng.randint(1, 8)
    if code == "US":
        window["model_years"] = f"{start + 1}-{window['until'] + 1}" if "until" in window else f"{start + 1}-"
    if rng.random() < 0.2:
        window["note"] = "Launched with one engine; more came a year later."
    return window


def write(path: Path, windows: int, files: int = 0) -> list[Path]:
    """Write the data (if it is not there yet); the files written."""
    if not files:
        if not path.exists():
            path.write_text(layout.dumps(document(windows)), encoding="utf-8")
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    each, brands = windows // files, -(-windows // files // 200)  # 200 windows a brand: 25 models in 8 markets
    out = []
    for n in range(files):
        part = path / f"part-{n:02d}.toml"
        if not part.exists():
            part.write_text(layout.dumps(document(each, seed=1 + n, first=n * brands)), encoding="utf-8")
        out.append(part)
    return out


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
