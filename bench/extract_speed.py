"""Measure the rule engine's speed against a floor: one compiled ``\\d+`` findall over the same text.

Usage:
  python bench/extract_speed.py                      # synthetic corpus (2,000 articles of ~4 KB, seed 7)
  python bench/extract_speed.py --corpus FILE.jsonl  # articles with text (and optional title)
  python bench/extract_speed.py --write-synthetic OUT.jsonl  # save the synthetic corpus and exit

Everything runs in one process, so the ratio extractor/floor is comparable across noisy machines even
when the absolute numbers are not. Both are timed several times; best-of and median are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors import extract_figures  # noqa: E402

# --- synthetic corpus ------------------------------------------------------------------------------
_PARTIES = ["Russian", "Ukrainian", "Israeli", "Palestinian", "Sudanese", "Malian", "Nigerian", "Somali"]
_PLACES = ["Kursk Region", "Gaza", "Bakhmut", "Khartoum", "Mopti", "Borno State", "Mogadishu", "Donetsk"]
_CLAIMANTS = [
    "the Defense Ministry",
    "Ukraine's General Staff",
    "local officials",
    "the health ministry",
    "a military spokesman",
    "the UN",
    "witnesses",
    "Gen. Oleksandr Syrskyi",
]
_PEOPLE = ["soldiers", "civilians", "troops", "fighters", "militants", "people", "servicemen", "villagers"]
_SINGULAR = ["soldier", "civilian", "policeman", "child", "woman", "fighter", "journalist", "medic"]
_MODS = ["", "", "at least ", "more than ", "about ", "nearly ", "up to ", "some ", "over ", "an estimated "]
_WORDNUMS = ["two", "three", "five", "twelve", "twenty-one", "forty", "a hundred", "six thousand and sixty"]
_VAGUE = ["dozens of", "hundreds of", "several", "a few", "tens of thousands of", "scores of", "thousands of"]
_MONTHS = ["January", "March", "May", "July", "September", "November", "Jan.", "Oct."]


def _num(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return str(rng.choice([2, 3, 4, 7, 12, 15, 23, 40, 57, 120, 300]))
    if r < 0.6:
        return f"{rng.randint(1000, 90000):,}"
    if r < 0.75:
        return rng.choice(_WORDNUMS)
    if r < 0.85:
        return rng.choice(["1.2 million", "76k", "2.5 thousand", "6 060", "6.060", "between 10 and 15"])
    return rng.choice(_VAGUE)


def _sentence(rng: random.Random) -> str:
    p, q = rng.sample(_PARTIES, 2)
    place, who, ppl = rng.choice(_PLACES), rng.choice(_CLAIMANTS), rng.choice(_PEOPLE)
    n, m = _num(rng), _num(rng)
    mod = rng.choice(_MODS)
    sg = rng.choice(_SINGULAR)
    day = f"{rng.randint(1, 28)} {rng.choice(_MONTHS)} {rng.randint(2014, 2025)}"
    templates = [
        f"{mod.capitalize()}{n} {p} {ppl} were killed in {place} on {day}, {who} said.",
        f"A strike near {place} killed {mod}{n} {ppl} and wounded {m} others, according to {who}.",
        f"{p} forces said they had captured {n} {q} soldiers during the fighting.",
        f"{who.capitalize()} said {n} people were wounded and {m} are missing after the shelling.",
        f"The death toll rose to {n} on Tuesday, {who} said, adding that {m} were injured.",
        f"{p} officials returned the remains of {n} fallen soldiers to {q} authorities.",
        f"The two sides swapped {n} prisoners each in a deal brokered by the UAE.",
        f"{p} will send {n} troops to {place} next month, {who} announced.",
        f"A {sg} was killed and another was wounded when a drone hit a car in {place}.",
        f"No one was killed in the attack, but {n} buildings were damaged, {who} said.",
        f"There were no casualties among the {ppl}, the U.S. embassy said in a statement.",
        f"The talks lasted {rng.randint(2, 9)} hours and cost ${rng.randint(2, 90)} million, a {rng.randint(19, 60)}"
        f"-year-old aide said on {day}.",
        f"{p} losses since the start of the war exceed {n} personnel, {who} estimated.",
        f"Gunmen abducted {n} villagers in {place}; {m} were later freed.",
        f"In {rng.randint(1990, 2023)}, {n} percent of the {ppl} voted, and 30% stayed home.",
        f"The convoy of {n} tanks and {m} drones crossed the border at {rng.randint(1, 12)}:{rng.randint(10, 59)} "
        f"a.m. local time.",
        f"Rebels killed a {sg} in {place}, {who} said, and nobody was hurt in a second attack.",
        f"Hospitals in {place} treated {n} {ppl} with shrapnel wounds, {who} told reporters.",
        f"Between {rng.randint(2, 9)} and {rng.randint(10, 30)} {ppl} died in the fire, while {m} {ppl} fled.",
        f"{p} President said the army had lost no more than {n} men, a figure {q} officials disputed.",
        f"The F-16 and Su-34 jets flew {rng.randint(20, 900)} km over {place} without incident.",
        f"It was the {rng.choice(['first', 'third', '12th', '21st'])} attack on {place} this month, residents "
        f"said, as {n} families were evacuated.",
        f"According to {who}, {n} people have been killed and {m} injured so far in {place}.",
        f"Witnesses described chaos as emergency crews searched the rubble in {place} late into the night.",
        "Analysts expect the conflict to continue, with negotiations stalled and both sides blaming each other.",
    ]
    return rng.choice(templates)


def _headline(rng: random.Random) -> str:
    return rng.choice(
        [
            f"Read also: {rng.randint(3, 90)} killed in {rng.choice(_PLACES)} strike",
            f"RELATED: {rng.choice(_PARTIES)} army says {rng.randint(100, 900)} soldiers deployed",
            f"Photos: {rng.choice(_PLACES)} after the attack",
            "Most read",
            f"{rng.choice(_PARTIES)} troops advance near {rng.choice(_PLACES)}",
        ]
    )


def synthetic_corpus(n: int = 2000, size: int = 4096, seed: int = 7) -> list[dict]:
    """Return `n` varied articles of about `size` characters each, built from templates with a fixed seed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paras: list[str] = []
        length = 0
        while length < size:
            if rng.random() < 0.12:
                para = _headline(rng)
            else:
                para = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
            paras.append(para)
            length += len(para) + 2
        title = re.sub(r"[.]$", "", _sentence(rng))
        out.append({"id": f"syn{i:05d}", "title": title, "text": "\n\n".join(paras)})
    return out


def read_corpus(path: str) -> list[dict]:
    """Return the articles of a JSONL file as dicts with text and title."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                out.append({"id": d.get("id"), "title": d.get("title"), "text": d.get("text") or ""})
    return out


# --- timing --------------------------------------------------------------------------------------
_clock = time.perf_counter  # --cpu: time.process_time, this process's CPU time, on a busy shared machine


def _time(fn, articles: list[dict], reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        t0 = _clock()
        for a in articles:
            fn(a)
        times.append(_clock() - t0)
    return times


def measure(articles: list[dict], reps: int = 5, floor_reps: int = 9) -> dict:
    """Return floor and extractor timings (best and median seconds for the whole corpus) and their ratio."""
    digits = re.compile(r"\d+").findall
    floor = _time(lambda a: digits(a["text"]), articles, floor_reps)
    ext = _time(lambda a: extract_figures(a["text"], a["title"]), articles, reps)
    n = len(articles)
    mb = sum(len(a["text"].encode("utf-8")) for a in articles) / 1e6
    res = {
        "articles": n,
        "mb": mb,
        "floor_best": min(floor),
        "floor_median": statistics.median(floor),
        "ext_best": min(ext),
        "ext_median": statistics.median(ext),
    }
    res["ratio_best"] = res["ext_best"] / res["floor_best"]
    res["ratio_median"] = res["ext_median"] / res["floor_median"]
    return res


def report(name: str, r: dict) -> str:
    """Return the timings of `measure` as text."""
    n, mb = r["articles"], r["mb"]
    lines = [
        f"{name}: {n} articles, {mb * 1e6 / n / 1000:.1f} KB/article, {mb:.2f} MB",
        f"  floor  \\d+ findall: best {n / r['floor_best']:>12,.0f} art/s {mb / r['floor_best']:>9.1f} MB/s"
        f"   median {n / r['floor_median']:>12,.0f} art/s",
        f"  extract_figures:    best {n / r['ext_best']:>12,.0f} art/s {mb / r['ext_best']:>9.2f} MB/s"
        f"   median {n / r['ext_median']:>12,.0f} art/s  ({r['ext_best'] / n * 1000:.2f} ms/article)",
        f"  ratio extractor/floor: best {r['ratio_best']:.1f}x   median {r['ratio_median']:.1f}x",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", help="JSONL articles (text, title); may repeat")
    ap.add_argument("--n", type=int, default=2000, help="synthetic articles")
    ap.add_argument("--size", type=int, default=4096, help="synthetic article size in characters")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--write-synthetic", metavar="OUT", help="write the synthetic corpus as JSONL and exit")
    ap.add_argument("--cpu", action="store_true", help="time CPU time of this process, not wall time")
    args = ap.parse_args(argv)
    if args.cpu:
        global _clock
        _clock = time.process_time
    if args.write_synthetic:
        with open(args.write_synthetic, "w", encoding="utf-8") as fh:
            for a in synthetic_corpus(args.n, args.size, args.seed):
                fh.write(json.dumps(a, ensure_ascii=False) + "\n")
        return 0
    corpora = (
        [(p, read_corpus(p)) for p in args.corpus]
        if args.corpus
        else [(f"synthetic (seed {args.seed})", synthetic_corpus(args.n, args.size, args.seed))]
    )
    for name, arts in corpora:
        print(report(name, measure(arts, reps=args.reps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
