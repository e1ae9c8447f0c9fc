"""Build a deterministic benchmark corpus of conflict-news articles as JSON Lines, streamed to disk.

    python bench/corpus.py --n 100000 --out bench/out/corpus.jsonl --seed 7

Every article (~4 KB) is assembled from the templates below, which are our own writing: sentences stating
people-figures of every category (killed, wounded, casualties, missing, captured, deployments, prisoner and
remains exchanges), with exact, approximate, bounded, ranged and vague numbers, mixed with filler sentences
whose numbers are not people (years, money, percentages, distances, times). Like real reporting, most articles
are typeset (curly quotes and apostrophes, en dashes). The same --n and --seed always give the same bytes;
articles are written one at a time, so memory does not grow with --n.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

TARGET_BYTES = 4000  # body size of an article, roughly

PARTIES = [
    "Ukrainian", "Russian", "Sudanese", "Malian", "Somali", "Nigerian", "Congolese", "Ethiopian", "Israeli",
    "Palestinian", "Syrian", "Yemeni", "Burkinabe", "Myanmar", "Afghan", "Libyan", "Cameroonian", "Mozambican",
]
ARMED = ["soldiers", "troops", "fighters", "servicemen", "militants", "rebels", "police officers", "guards"]
CIVIL = ["civilians", "people", "villagers", "residents", "children", "aid workers", "farmers", "students"]
PLACES = [
    "Kharkiv", "Bakhmut", "El Fasher", "Gao", "Mogadishu", "Maiduguri", "Goma", "Mekelle", "Aleppo", "Taiz",
    "Djibo", "Mandalay", "Kunduz", "Sirte", "Bamenda", "Palma", "Kherson", "Omdurman", "Timbuktu", "Bunia",
]
CLAIMANTS = [
    "the health ministry", "a military spokesman", "local officials", "the United Nations", "a regional governor",
    "the Red Cross", "witnesses", "a hospital director", "the defence ministry", "an army statement",
    "a rights group", "police",
]
VAGUE = ["dozens of", "hundreds of", "scores of", "several", "a handful of", "thousands of", "many", "a few"]
APPROX = ["about", "around", "roughly", "some", "an estimated", "approximately", "nearly", "almost"]
BOUNDS = ["more than", "at least", "over", "up to", "fewer than", "at most", "no fewer than"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
         "twenty", "thirty", "forty", "fifty", "a hundred"]
SOURCES = ["wire-a", "wire-b", "daily-courier", "frontline-post", "regional-herald", "field-notes"]

FIGURE_TEMPLATES = [
    "{claim} said {n} {armed} were killed in {place} on {weekday}.",
    "At least {n} {civil} died when shelling hit a market in {place}, according to {claimant}.",
    "{Claim} reported {n} {civil} wounded after an air strike near {place}.",
    "The attack left {n} dead and {m} injured, {claimant} said.",
    "{Claim} put the death toll at {n}, up from {m} a day earlier.",
    "{party} forces said they had killed {n} enemy {armed} over the past 24 hours.",
    "{q} {n} {civil} were wounded in the fighting around {place}.",
    "{Vague} {civil} were killed and {vague} more wounded, {claimant} said.",
    "Between {n} and {m} {armed} were reported missing after the assault on {place}.",
    "{n} to {m} {civil} are believed to have been killed, {claimant} said.",
    "The {party} side said it had captured {n} {armed} near {place}.",
    "{Claim} confirmed that {n} {armed} had been taken prisoner during the offensive.",
    "Some {n} {armed} remain unaccounted for, {claimant} said.",
    "The government will deploy {n} {armed} to {place} next month, {claimant} announced.",
    "{party} authorities have sent {q} {n} {armed} to reinforce the front near {place}.",
    "A contingent of {n} peacekeepers arrived in {place} on {weekday}.",
    "The two sides exchanged {n} prisoners of war on {weekday}, {claimant} said.",
    "In the latest swap, {n} {party} prisoners were returned in exchange for {m} captives.",
    "The bodies of {n} fallen {armed} were handed over to the {party} side in a repatriation of remains.",
    "{Claim} said the remains of {n} {armed} had been returned.",
    "Casualties among {armed} numbered {q} {n}, according to {claimant}.",
    "The conflict has claimed {q} {n} lives since it began, {claimant} estimates.",
    "{Vague} {armed} were captured in the raid, {claimant} said, without giving a figure.",
    "If the ceasefire fails, as many as {n} {civil} could be killed, {claimant} warned.",
    "{n_word} {civil}, including {m_word} children, were killed in the strike on {place}.",
    "{Claim} said {n} {armed} had been wounded and {m} were missing after the ambush.",
    "Up to {n} {armed} could be deployed to the border, {claimant} said.",
    "{q} {n} people have been killed in {place} this year, according to {claimant}.",
    "Hospitals in {place} treated {n} wounded on {weekday} alone.",
    "{Claim} said {n_word} {armed} died and {m_word} were hurt.",
]
FILLER_TEMPLATES = [
    "The offensive began in {month} {year}, after talks collapsed in {year2}.",
    "The government has pledged ${money} million in reconstruction aid for {place}.",
    "Prices of bread rose by {pct}% in {place} over the last {k} weeks.",
    "The convoy travelled {k2} kilometres along the highway towards {place}.",
    "The meeting is scheduled for {hour}:{minute} local time on {weekday}.",
    "Officials said the budget for {year} would rise to {money} billion.",
    "Turnout in the {year} election was {pct} percent, the commission said.",
    "The bridge, built in {year}, was {k2} metres long.",
    "Resolution {res} was adopted by the council in {month} {year}.",
    "The currency has lost {pct}% of its value since {month}.",
    "Analysts said the frontline had barely moved in {k} months.",
    "Power was cut to {place} for {k} hours on {weekday}.",
    "Fuel shipments of {k2} tonnes were expected at the port by {month}.",
    "The talks in {place} lasted until late on {weekday}, officials said.",
    "Satellite images showed damage across {pct} percent of the district.",
    "The aid agency said it needed ${money} million to reach the region before winter.",
    "Road {k} between {place} and {place2} remained closed.",
    "The story was updated at {hour}:{minute} GMT with new details.",
    "Schools in {place} have been shut since {month} {year}.",
    "A spokesperson declined to comment on the report.",
    "Negotiators are expected to meet again within {k} days.",
    "The region produces about {pct}% of the country's grain.",
]
# Sentences without numbers: most of a real news article (background, quotes, reactions). They set the
# "news" profile's density of numbers and figures close to real reporting's.
PROSE_TEMPLATES = [
    "{Claim} accused the other side of violating the truce around {place}.",
    "Residents of {place} described a night of heavy shelling and fires across the old town.",
    "\"We have nowhere left to go,\" said one woman who fled {place} with her family.",
    "Diplomats in {place2} said the talks would resume once both delegations had consulted their capitals.",
    "The {party} government has repeatedly denied targeting residential areas.",
    "Aid convoys have struggled to reach {place} because of damaged roads and checkpoints.",
    "The claims could not be independently verified.",
    "Both sides have traded accusations over the collapse of the ceasefire.",
    "{Claim} called for an independent investigation into the strike.",
    "Markets in {place} reopened briefly on {weekday} before sirens sounded again.",
    "Humanitarian groups warned that hospitals were running short of fuel and medicine.",
    "The {party} foreign minister is expected to raise the issue at the next summit.",
    "Footage shared online appeared to show smoke rising over the outskirts of {place}.",
    "Observers say the fighting has shifted towards the river crossings south of {place}.",
    "Officials in {place2} declined to say when the evacuation corridor would reopen.",
    "Local journalists reported long queues at bakeries and water points.",
    "The offensive has drawn condemnation from neighbouring governments and rights groups.",
    "{Claim} said the situation remained tense but under control.",
    "Electricity and mobile networks were down across much of the region.",
    "Analysts believe the push is aimed at cutting supply lines to {place}.",
    "The mayor of {place} urged people to stay in shelters until further notice.",
    "Envoys from the region met behind closed doors and issued no statement.",
    "The {party} army said its air defences had been active overnight.",
    "Families gathered outside the morgue in {place}, waiting for news of relatives.",
    "Satellite operators have restricted imagery of the area since the start of the operation.",
    "Talks on a prisoner release have stalled over the list of names, according to {claimant}.",
    "The region has seen repeated waves of displacement since the uprising began.",
    "Schools were turned into shelters for families arriving from the countryside.",
    "{Claim} described the attack as a grave breach of international law.",
    "Farmers near {place} said they could not reach their fields because of mines.",
    "\"The situation is getting worse by the hour,\" {claimant} told reporters in {place}.",
    "The army's statement gave no details of the unit's losses near {place}.",
    "\"We didn't sleep at all,\" said a teacher who sheltered in a basement in {place}.",
    "It's not clear who fired first, {claimant} said - a question both sides' envoys have dodged.",
    "The {party} government's spokesman called the report \"baseless\" and \"politically motivated\".",
    "Residents said the town's only hospital - already short of staff - was overwhelmed.",
]
TITLE_TEMPLATES = [
    "{n} killed in {place} as fighting intensifies",
    "{party} army says {n} {armed} captured near {place}",
    "Prisoner swap frees {n} as talks resume",
    "{place}: death toll rises to {n}",
    "Government to send {n} troops to {place}",
    "Strikes on {place} leave dozens wounded",
    "Talks stall as {place} reels from {year} offensive",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _number(rng: random.Random) -> int:
    """A people count: mostly small, sometimes large, the odd round thousand."""
    roll = rng.random()
    if roll < 0.55:
        return rng.randint(1, 60)
    if roll < 0.85:
        return rng.randint(61, 999)
    if roll < 0.95:
        return rng.randint(1, 40) * 100
    return rng.randint(1000, 150000)


def _fmt(n: int, rng: random.Random) -> str:
    return f"{n:,}" if n >= 1000 and rng.random() < 0.7 else str(n)


class _Slots(dict):
    """The values of one sentence's placeholders, drawn on first use only (a template uses a few of them)."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str):
        rng = self.rng
        if key in {"n", "m"}:
            n = _number(rng)
            m = n + rng.randint(1, max(2, n // 2))
            self["n"], self["m"] = _fmt(n, rng), _fmt(m, rng)
            return self[key]
        if key in {"claimant", "claim", "Claim"}:
            claimant = rng.choice(CLAIMANTS)
            self["claimant"] = self["claim"] = claimant
            self["Claim"] = claimant[0].upper() + claimant[1:]
            return self[key]
        if key in {"vague", "Vague"}:
            vague = rng.choice(VAGUE)
            self["vague"], self["Vague"] = vague, vague[0].upper() + vague[1:]
            return self[key]
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str):
        rng = self.rng
        simple = {"armed": ARMED, "civil": CIVIL, "place": PLACES, "place2": PLACES, "party": PARTIES,
                  "q": APPROX + BOUNDS, "weekday": WEEKDAYS, "month": MONTHS, "m_word": WORDS}
        if key in simple:
            return rng.choice(simple[key])
        if key == "n_word":
            return rng.choice(WORDS).capitalize()
        if key in {"year", "year2"}:
            return rng.randint(1991, 2025)
        if key == "money":
            return str(rng.randint(1, 900)) if rng.random() < 0.5 else f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"
        if key == "pct":
            return str(rng.randint(1, 99)) if rng.random() < 0.5 else f"{rng.randint(1, 99)}.{rng.randint(0, 9)}"
        if key == "k":
            return rng.randint(2, 48)
        if key == "k2":
            return rng.randint(10, 9000)
        if key == "hour":
            return f"{rng.randint(0, 23):02d}"
        if key == "minute":
            return f"{rng.randint(0, 59):02d}"
        if key == "res":
            return rng.randint(1000, 2800)
        raise KeyError(key)


def _fill(template: str, rng: random.Random) -> str:
    return template.format_map(_Slots(rng))


# Share of articles set with typographic punctuation: 29 of the 30 development articles hold characters beyond
# ASCII (curly quotes and apostrophes, dashes), and such a text takes the rule engine's slower Unicode paths.
TYPESET_SHARE = 0.95
_QUOTED_RE = re.compile(r'"([^"\n]*)"')


def typeset(text: str) -> str:
    """Return `text` with curly quotes and apostrophes and en dashes instead of their typewriter forms."""
    text = _QUOTED_RE.sub("\u201c\\1\u201d", text)
    return text.replace("'", "\u2019").replace(" - ", " \u2013 ")


# Share of an article's sentences drawn from FIGURE_TEMPLATES and FILLER_TEMPLATES (numbers that are not
# people); the rest comes from PROSE_TEMPLATES. "news" matches real reporting (~5 numbers per KB and ~4
# figures per article, as in the development articles); "dense" is a stress profile with ~6x the figures.
PROFILES = {"news": ((0.04, 0.10), (0.15, 0.25)), "dense": ((0.25, 0.5), (0.5, 0.75))}


def make_article(index: int, rng: random.Random, start: date, profile: str = "news") -> dict:
    """Return article number `index`: a title, ~4 KB of paragraphs, a date within three years of `start`."""
    paragraphs, paragraph, size = [], [], 0
    (fig_lo, fig_hi), (fill_lo, fill_hi) = PROFILES[profile]
    figure_share = rng.uniform(fig_lo, fig_hi)
    filler_share = rng.uniform(fill_lo, fill_hi) if profile == "news" else 1.0
    while size < TARGET_BYTES:
        roll = rng.random()
        if roll < figure_share:
            pool = FIGURE_TEMPLATES
        elif roll < figure_share + (1 - figure_share) * filler_share:
            pool = FILLER_TEMPLATES
        else:
            pool = PROSE_TEMPLATES
        sentence = _fill(rng.choice(pool), rng)
        paragraph.append(sentence)
        size += len(sentence) + 1
        if len(paragraph) >= rng.randint(2, 5):
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    published = start + timedelta(days=rng.randrange(3 * 365))
    text, title = "\n\n".join(paragraphs), _fill(rng.choice(TITLE_TEMPLATES), rng)
    if rng.random() < TYPESET_SHARE:
        text, title = typeset(text), typeset(title)
    return {
        "id": f"bench-{index:07d}",
        "title": title,
        "text": text,
        "published": published.isoformat(),
        "source": rng.choice(SOURCES),
    }


def write_corpus(n: int, out: Path, seed: int = 7, start_index: int = 0, profile: str = "news") -> int:
    """Write `n` articles as JSON Lines to `out` (atomically, streamed); return the bytes written."""
    rng = random.Random(seed)
    start = date(2022, 1, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    written = 0
    with open(tmp, "w", encoding="utf-8") as handle:
        for i in range(start_index, start_index + n):
            line = json.dumps(make_article(i, rng, start, profile), ensure_ascii=False) + "\n"
            handle.write(line)
            written += len(line.encode())
    tmp.replace(out)
    return written


def sample_articles(path: Path | None, n: int, seed: int) -> list[tuple[str, str | None]]:
    """Return (text, title) of the first `n` articles of a JSON Lines file, or of `n` fresh corpus articles."""
    if path is None:
        rng = random.Random(seed)
        made = (make_article(i, rng, date(2022, 1, 1)) for i in range(n))
        return [(a["text"], a["title"]) for a in made]
    out = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if len(out) >= n:
                break
            if line.strip():
                record = json.loads(line)
                out.append((record.get("text") or "", record.get("title")))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of articles (default 100000)")
    parser.add_argument("--out", type=Path, required=True, help="JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start-index", type=int, default=0, help="number of the first article (its id)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="news",
                        help="news: density of real reporting (default); dense: ~6x the figures, a stress test")
    args = parser.parse_args(argv)
    size = write_corpus(args.n, args.out, args.seed, args.start_index, args.profile)
    print(f"{args.out}: {args.n} articles, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
