"""Synthetic lineup data of a given size, the same every time, in lineup's canonical layout.

Brands of 25 models each, sold in the US and in seven other markets; a window each per model and
market, some closed, some open, dated at every precision, the US ones with model years, each with a
source and some with a note. Made up, for measuring: never mix it with real data.
"""

import random
from pathlib import Path
from typing import Any

from lineup import fmt

BRAND = "brand0000"  # a brand of every size, sold in the US
MODELS = 25
MARKETS = ["US", "TW", "JP", "DE", "FR", "GB", "CN", "KR", "AU", "CA", "IT", "ES", "BR", "MX", "IN", "TH"]
BODIES = ["sedan", "coupe", "suv", "crossover", "hatchback", "wagon", "convertible", "pickup", "van"]


def document(windows: int, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    brands: dict[str, Any] = {}
    made = 0
    while made < windows:
        brand_id = f"brand{len(brands):04d}"
        models = {
            f"m{m:02d}": {"name": f"Model {m}", "body": BODIES[(m + len(brands)) % len(BODIES)]} for m in range(MODELS)
        }
        markets: dict[str, Any] = {}
        for code in ["US", *rng.sample(MARKETS[1:], 7)]:
            entries = {}
            for model_id in models:
                if made == windows:
                    break
                entries[model_id] = _window(rng, code, brand_id, model_id)
                made += 1
            markets[code] = entries
        brands[brand_id] = {"name": f"Brand {len(brands)}", "origin": "JP", "models": models, "markets": markets}
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


def write(path: Path, windows: int) -> Path:
    if not path.exists():
        path.write_text(fmt.dumps(document(windows)), encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    write(Path(sys.argv[1]), int(sys.argv[2]))
