"""Benchmarks of the workspace index: cold vs warm start, 1M-author completion, resident memory.

Run from the repository root (not collected by pytest):

    python tests/bench/bench_index.py [--runs 5] [--names 1000000] [--json out.json]

The machine is shared and noisy, so every figure is a median of runs
interleaved in this one script, and the claims are ratios:

- index: `WorkspaceIndex(...).scan()` over the dev corpus with an empty cache
  (cold) vs a restart on the unchanged workspace (warm), and a restart after
  one digest changed (delta). Every run is a fresh process (no warm caches of
  a previous run), timing the scan only; the warm child also times the
  first queries after the restart (they read what the scan left lazy);
- completion: `features.complete()` on an author line over an index of
  `--names` synthetic author names (many cultures, diacritics, long-tailed
  frequencies), after a warm restart, vs a plain `rapidfuzz.process.extract`
  (default WRatio) over the same normalised name list, query by query;
- year: the same cold scan and warm restart over a year of generated
  digests (`year.py`, 365 digests and their JSONL, 320 MB): the size the
  index's speed targets are set for. A cold scan reads its files in worker
  processes, so their CPU time is reported beside this process's;
- memory: the resident set of the real server (`python -m digest_ls serve`)
  once it has indexed the corpus (warm and cold cache), and after opening
  the largest digest.

The synthetic workspace (JSONL files) and its cache are built once per run
of this script in a temporary folder (`--keep DIR` keeps and reuses them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "server"  # `--server DIR` measures another copy of the package (e.g. an older commit)
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"

# --- synthetic author names ------------------------------------------------------------------------

_CULTURES = {
    "zh": (
        ["Wei", "Jing", "Li", "Xin", "Yu", "Hao", "Jie", "Lei", "Yang", "Ming", "Xiaoming", "Yifan", "Zihan",
         "Haoran", "Jiayi", "Shuai", "Qiang", "Yuxuan", "Zhiyuan", "Tianyu", "Ruoxi", "Siyu", "Kai", "Bo",
         "Chao", "Dong", "Fang", "Gang", "Hui", "Jun", "Lin", "Na", "Ping", "Qing", "Rui", "Tao", "Xu", "Yan",
         "Ying", "Yong", "Zhen", "Zhi", "Mingyu", "Junjie", "Xiaoyu", "Wenjie", "Yiming", "Zhihao", "Kaiyuan"],
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
         "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng",
         "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye",
         "Cheng", "Wei", "Su", "Lü", "Ding", "Ren", "Lu", "Yao", "Shen", "Zhong", "Jin", "Cui", "Qiu", "Fan"],
        [],
        [],
    ),
    "es": (
        ["José", "María", "Ángel", "Sofía", "Raúl", "Inés", "João", "Andrés", "Lucía", "Íñigo", "Jesús",
         "Martín", "Nicolás", "Sebastián", "Álvaro", "Julián", "Verónica", "Mónica", "Rocío", "Joaquín",
         "Héctor", "Ramón", "Tomás", "Óscar", "Adrián", "Beatriz", "Camila", "Daniela", "Gonçalo", "Conceição"],
        ["García", "Martínez", "López", "Hernández", "González", "Pérez", "Sánchez", "Gómez", "Fernández",
         "Díaz", "Álvarez", "Muñoz", "Jiménez", "Ruiz", "Gonçalves", "Peña", "Ibáñez", "Núñez", "Rodríguez",
         "Castaño", "Ordóñez", "Galván", "Cortés", "Méndez", "Suárez", "Guzmán", "Vázquez", "Simões", "Araújo"],
        ["Fern", "Rodr", "Gonz", "Mart", "Herr", "Dom", "Ben", "Agu", "Vel", "Marqu", "Ib", "Nav", "Bland",
         "Carr", "Esc", "Gal", "Lor", "Mol", "Ort", "Pad", "Quint", "Riv", "Sol", "Val", "Zam"],
        ["ández", "íguez", "ález", "ínez", "era", "ínguez", "ítez", "ilar", "ázquez", "ués", "arra", "ello"],
    ),
    "de": (
        ["Jürgen", "Jörg", "Björn", "Günter", "Stefan", "Katrin", "Jörn", "Sören", "Anja", "Matthias",
         "Tobias", "Lukas", "Jonas", "Frauke", "Dörte", "Uwe", "Henrik", "Ute", "Bärbel", "Käthe"],
        ["Müller", "Schröder", "Weiß", "Köhler", "Schäfer", "Groß", "Krüger", "Bäcker", "Schmidt", "Schneider",
         "Fischer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann"],
        ["Schwarz", "Hof", "Stein", "Brand", "Eisen", "Gold", "Grün", "Sommer", "Winter", "Lang", "Kirch",
         "Rosen", "Lind", "Berg", "Wald", "Feld", "Mühl", "Roth", "Weiß", "Blum"],
        ["mann", "berger", "er", "hauer", "müller", "bach", "feld", "stein", "hof", "bauer", "meier", "schläger"],
    ),
    "fr": (
        ["François", "Hélène", "Émilie", "Jérôme", "Anaïs", "Cécile", "Gaël", "Loïc", "Mathéo", "Noël",
         "Céline", "Frédéric", "Stéphane", "Sébastien", "Amélie", "Zoé", "Léa", "Raphaël", "Benoît", "Agnès"],
        ["Lefèvre", "Gauthier", "Bézier", "Dubois", "Fréchet", "Moreau", "Laurent", "Lefebvre", "Girard",
         "Mercier", "Bonnet", "Fontaine", "Chevalier", "Rousseau", "Gérard", "Hébert", "Bérubé", "Côté"],
        ["Beau", "Ber", "Char", "Dela", "Four", "Gre", "Lam", "Mar", "Mont", "Pel", "Rich", "Val", "Cha"],
        ["champ", "nier", "pentier", "croix", "nier", "ard", "ault", "elle", "mont", "eau", "tier", "ès"],
    ),
    "nordic": (
        ["Åsa", "Søren", "Ørjan", "Bjørn", "Sigríður", "Jón", "Päivi", "Jukka", "Åke", "Märta", "Kåre",
         "Tove", "Eirik", "Liv", "Hákon", "Þóra", "Ásgeir", "Mikael", "Sanna", "Ville"],
        ["Lindqvist", "Håkansson", "Sjöberg", "Ødegaard", "Nieminen", "Järvinen", "Korhonen", "Mäkinen",
         "Jónsson", "Guðmundsdóttir", "Ström", "Åberg", "Björklund", "Nørgaard", "Sørensen", "Løvås"],
        ["Berg", "Lind", "Sjö", "Ek", "Holm", "Dahl", "Sand", "Fors", "Ny", "Hag", "Lund", "Ström", "Ås"],
        ["qvist", "ström", "berg", "gren", "lund", "sson", "dahl", "man", "holm", "sen", "ström", "vik"],
    ),
    "pl": (
        ["Łukasz", "Paweł", "Małgorzata", "Michał", "Wojciech", "Agnieszka", "Bartłomiej", "Jiří", "Tomáš",
         "Zdeněk", "Kateřina", "Přemysl", "Grzegorz", "Jędrzej", "Żaneta", "Radosław", "Ondřej", "Lukáš"],
        ["Wójcik", "Kowalczyk", "Dvořák", "Novák", "Šimon", "Zieliński", "Kowalski", "Nowak", "Lewandowski",
         "Wiśniewski", "Dąbrowski", "Kamiński", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec"],
        ["Kowal", "Wiś", "Zieliń", "Szyman", "Woź", "Jank", "Mazur", "Krawc", "Piotr", "Grab", "Pawł",
         "Michal", "Król", "Wiecz", "Jabł", "Wróbl", "Majew", "Olsz", "Stęp", "Dudz"],
        ["ski", "ska", "czyk", "iak", "ewicz", "owski", "ński", "owicz", "ek", "ák", "ík", "ička"],
    ),
    "tr": (
        ["Çağrı", "Gökhan", "Şükrü", "Ayşe", "Gülşen", "Ömer", "Özge", "İbrahim", "Büşra", "Uğur", "Mert",
         "Elif", "Burak", "Zeynep", "Tuğba", "Onur"],
        ["Şahin", "Yılmaz", "Öztürk", "Çelik", "Kılıç", "Aydın", "Doğan", "Arslan", "Yıldız", "Koç", "Kurt",
         "Özdemir", "Aksoy", "Güneş", "Erdoğan", "Türkmen"],
        ["Ak", "Kara", "Öz", "Yıl", "Ay", "Gün", "Tek", "Er", "Bal", "Çak", "Demir", "Sarı"],
        ["soy", "kaya", "taş", "oğlu", "can", "demir", "türk", "al", "han", "göz"],
    ),
    "vi": (
        ["Minh", "Thảo", "Đức", "Hương", "Quang", "Phương", "Tuấn", "Lan", "Hùng", "Thị Thảo", "Văn Nam",
         "Ngọc Anh", "Hải", "Trung", "Khánh", "Linh"],
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Vũ", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"],
        [],
        [],
    ),
    "in": (
        ["Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya", "Rohan", "Divya", "Aditya",
         "Pooja", "Siddharth", "Lakshmi", "Karthik", "Meera", "Nikhil", "Shreya"],
        ["Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Singh", "Kumar", "Nair", "Rao", "Joshi", "Mehta",
         "Banerjee", "Chatterjee", "Mukherjee", "Krishnan", "Subramanian", "Venkatesan", "Pillai"],
        ["Ven", "Sub", "Rama", "Krish", "Bal", "Chan", "Gan", "Nara", "Sri", "Raj", "Siva", "Mohan"],
        ["an", "esan", "amanian", "aswamy", "murthy", "kumar", "raman", "nathan", "appa", "iah"],
    ),
    "jp_kr": (
        ["Haruto", "Yūki", "Sōta", "Yui", "Kenta", "Ayumi", "Takeshi", "Minji", "Jiwoo", "Seo-yeon", "Hyun",
         "Ji-hoon", "Daichi", "Rina", "Kōji", "Shōhei"],
        ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura", "Kobayashi",
         "Kim", "Park", "Lee", "Choi", "Jung", "Kang", "Yoon", "Ōno", "Saitō"],
        ["Yama", "Naka", "Taka", "Matsu", "Fuji", "Ishi", "Kawa", "Hashi", "Mori", "Ono", "Kita", "Hayashi"],
        ["moto", "mura", "da", "guchi", "shita", "kawa", "no", "zaki", "hara", "bayashi", "ta", "uchi"],
    ),
    "en": (
        ["John", "Sarah", "Michael", "Emily", "David", "Jessica", "James", "Olivia", "Robert", "Emma",
         "William", "Chloe", "Thomas", "Hannah", "Daniel", "Grace", "Matthew", "Zoë", "Seán", "Siobhán"],
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
         "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark", "O'Brien", "McAllister"],
        ["Ash", "Black", "Brad", "Craw", "Ed", "Fair", "Green", "Hart", "Kings", "Mor", "Ruther", "Wood"],
        ["ford", "ley", "ton", "well", "wood", "field", "worth", "by", "ham", "son", "more", "ington"],
    ),
}
# How often each culture appears, roughly as in arXiv author lists.
_WEIGHTS = {"zh": 30, "es": 8, "de": 8, "fr": 6, "nordic": 4, "pl": 5, "tr": 3, "vi": 3, "in": 10, "jp_kr": 8, "en": 15}
_ZH_SYLLABLES = (
    "an ang bai bin bo can chang chao chen cheng chun cong da dan de di dong fan fei feng gang guang hai han"
    " hao hong hua hui jia jian jiang jie jin jing jun kai kang lan lei li liang lin ling long lu lun mei"
    " meng min ming na nan ning peng ping qi qian qiang qin qing rong rui shan shu si song tao tian ting wei"
    " wen xi xia xiang xiao xin xing xiu xu xuan ya yan yang yao yi yin ying yong yu yuan yue yun ze zhe zhen"
    " zheng zhi zhong zhu zi"
).split()
# Rare surnames built from syllables: the long tail of distinct words a large corpus has.
_SYLLABLES = {
    "es": "ba be ca co da de ga go la lo ma me na no pa pe ra re sa se ta to va ve za ño ñe rí lá có dó".split(),
    "de": "ba be da de ha he ka ke la le ma me na ne ra re sa se ta te wa we bä kö mü rö sü".split(),
    "fr": "ba be ca ce da de la le ma me na ne pa pe ra re sa se ta te va ve bé cé dé lé mé ré".split(),
    "nordic": "bå be da dö ha he ka ke la lö ma mø na ne ra rø sa sö ta te va ve".split(),
    "pl": "ba bo ca ce da do ga go ka ko ła ło ma mo na no pa po ra ro sa so ta to wa wo śa źo ży ró".split(),
    "tr": "ba bü ca ça da dö ga gü ka kı la lü ma mı na nö pa pı ra rü sa şı ta tü ya yı za zü".split(),
    "in": "ba bha ca cha da dha ga gha ka kha la ma na pa ra sa sha ta tha va ya ri ni vi".split(),
    "jp_kr": "ka ki ku ko sa shi su so ta chi tsu to na ni no ha hi fu ho ma mi mo ya yu yo ra ri ro wa".split(),
    "en": "ash bur cal dar el far gar hal kel lar mar nor pem ros sel tam van wel york".split(),
}
_INITIALS = "ABCDEFGHIJKLMNOPRSTVWŁŠŽÉ"


def _surname(rng: random.Random, culture: str) -> str:
    _, surnames, stems, suffixes = _CULTURES[culture]
    roll = rng.random()
    syllables = _SYLLABLES.get(culture)
    if syllables and roll < 0.2:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
    if stems and roll < 0.6:
        name = rng.choice(stems) + rng.choice(suffixes)
        if rng.random() < 0.3:  # one more syllable: the long tail of rare surnames
            name = rng.choice(stems) + rng.choice(suffixes).lower() + rng.choice(suffixes)
        return name
    if culture == "es" and roll < 0.7:
        return f"{rng.choice(surnames)}-{rng.choice(surnames)}"
    return rng.choice(surnames)


def _name(rng: random.Random, culture: str) -> str:
    given = rng.choice(_CULTURES[culture][0])
    surname = _surname(rng, culture)
    roll = rng.random()
    if culture == "zh" and roll < 0.6:
        # Two-syllable given names: thousands of combinations, as in real author lists.
        given = rng.choice(_ZH_SYLLABLES).capitalize() + rng.choice(_ZH_SYLLABLES)
    if culture == "vi":
        return f"{surname} {given}"
    if roll > 0.75:
        return f"{given} {rng.choice(_INITIALS)}. {surname}"
    if roll > 0.7:
        return f"{given} {rng.choice(_CULTURES[culture][0])} {surname}"
    return f"{given} {surname}"


def author_names(count: int, seed: int = 7, key=lambda name: name) -> list[str]:
    """`count` names distinct under `key` (e.g. a normaliser); the same list for the same seed."""
    rng = random.Random(seed)
    cultures = list(_WEIGHTS)
    weights = list(_WEIGHTS.values())
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < count:
        for culture in rng.choices(cultures, weights, k=min(100_000, 2 * (count - len(names)))):
            name = _name(rng, culture)
            folded = key(name)
            if folded not in seen:
                seen.add(folded)
                names.append(name)
                if len(names) == count:
                    break
    return names


def mention_counts(count: int, seed: int = 7) -> list[int]:
    """Mentions per name, long-tailed: about 70% once, a handful in the hundreds."""
    rng = random.Random(seed + 1)
    return [max(1, int(rng.paretovariate(1.6))) for _ in range(count)]


# --- helpers -------------------------------------------------------------------------------------------


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size now (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(task: str, *args: str) -> dict:
    """Run one measurement in a fresh interpreter (no caches of an earlier run) and return its JSON."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--server", str(SERVER), "--child", task, *args],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


# --- children: one measurement each ------------------------------------------------------------------


def child_scan(workspace: str, cache: str) -> dict:
    from digest_ls.config import Config
    from digest_ls.index import WorkspaceIndex

    started, cpu = time.perf_counter(), time.process_time()
    index = WorkspaceIndex([Path(workspace)], Config(), Path(cache))
    report = index.scan()
    seconds = time.perf_counter() - started
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the scan's worker processes, if it started any
    result = {
        "seconds": seconds, "cpu_s": time.process_time() - cpu, "workers_cpu_s": workers.ru_utime + workers.ru_stime,
        "parsed": report.parsed, "from_cache": report.from_cache, "papers": report.papers,
        "rss_mb": rss_mb(), "peak_mb": peak_mb(),
    }
    # What a lazy start leaves to the first queries: an author completion, a paper search, a hover card.
    for name, query in (
        ("first_author_search_ms", lambda: index.search_authors("wang", 50)),
        ("first_paper_search_ms", lambda: index.search_papers("language model", 50)),
        ("first_paper_ms", lambda: index.paper((index.search_papers("2503", 1)[0] or index.search_papers("", 1)[0])[0].paper.id)),
    ):
        began = time.perf_counter()
        query()
        result[name] = (time.perf_counter() - began) * 1000
    result["rss_after_queries_mb"] = rss_mb()
    index.close()
    return result


def child_completion(workspace: str, cache: str, queries_file: str, baseline_every: str) -> dict:
    from rapidfuzz import process

    from digest_ls.config import Config
    from digest_ls.features.completion import complete
    from digest_ls.index import WorkspaceIndex
    from digest_ls.parser.document import parse

    config = Config()
    started = time.perf_counter()
    index = WorkspaceIndex([Path(workspace)], config, Path(cache))
    report = index.scan()
    restart = time.perf_counter() - started
    queries = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    head = "### [1] [A Paper](https://arxiv.org/abs/2601.00001)\n"
    documents = []
    for kind, typed, normalised in queries:
        text = head + f"*Someone Else, {typed}*\n"
        documents.append((kind, typed, normalised, parse(text), 1, len(f"*Someone Else, {typed}")))
    began = time.perf_counter()
    complete(documents[0][3], 1, documents[0][5], index, config)
    first = time.perf_counter() - began
    lists = index._lists
    if hasattr(lists, "name_index"):  # the same normalised names the index holds
        names = list(lists.name_index(index._tables).names)
    else:  # an older index (`--server`): its sorted name list
        names = sorted(index._tables.spellings)
    ours: dict[str, list[float]] = {}
    baseline: list[float] = []
    ours_when_baseline: list[float] = []
    sizes = []
    every = int(baseline_every)
    for number, (kind, typed, normalised, document, line, col) in enumerate(documents):
        with_baseline = number % every == 0
        if with_baseline and number % (2 * every) == 0:  # interleaved, in both orders
            began = time.perf_counter()
            process.extract(normalised, names, limit=config.completion_limit)
            baseline.append(time.perf_counter() - began)
        began = time.perf_counter()
        result = complete(document, line, col, index, config)
        elapsed = time.perf_counter() - began
        ours.setdefault(kind, []).append(elapsed)
        sizes.append(len(result.items))
        if with_baseline:
            ours_when_baseline.append(elapsed)
            if number % (2 * every) != 0:
                began = time.perf_counter()
                process.extract(normalised, names, limit=config.completion_limit)
                baseline.append(time.perf_counter() - began)
    index.close()
    return {
        "names": len(names), "restart_s": restart, "from_cache": report.from_cache, "first_query_ms": first * 1000,
        "ours": ours, "baseline": baseline, "ours_when_baseline": ours_when_baseline,
        "empty_results": sum(1 for size in sizes if size == 0), "rss_mb": rss_mb(),
    }


# --- the synthetic 1M-author workspace --------------------------------------------------------------


def build_name_workspace(folder: Path, count: int) -> tuple[Path, Path, float]:
    """JSONL files whose papers mention `count` distinct authors, and a cache built from them.

    Returns (workspace, cache, seconds of the cold scan). Reused when `folder` already holds them.
    """
    from digest_ls.index.names import normalize_name

    workspace, cache, marker = folder / "workspace", folder / "cache", folder / f"built-{count}"
    if marker.exists():
        return workspace, cache, float(marker.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    workspace.mkdir(parents=True)
    names = author_names(count, key=normalize_name)
    counts = mention_counts(count)
    rng = random.Random(5)
    mentions = [rank for rank, times in enumerate(counts) for _ in range(times)]
    rng.shuffle(mentions)
    position = paper = 0
    file_number = 0
    while position < len(mentions):
        lines = []
        while len(lines) < 8000 and position < len(mentions):
            size = rng.randint(3, 60)  # from small teams to collaborations
            group = list(dict.fromkeys(mentions[position : position + size]))
            position += size
            paper += 1
            record = {
                "id": f"{2101 + paper // 99_000:04d}.{paper % 99_000 + 1:05d}",
                "title": f"Synthetic paper {paper}",
                "authors": [names[rank] for rank in group],
                "summary": "An abstract.",
                "categories": ["cs.LG"],
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        (workspace / f"papers-{file_number:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        file_number += 1
    seconds = child("scan", str(workspace), str(cache))["seconds"]
    marker.write_text(str(seconds))
    return workspace, cache, seconds


def completion_queries(count: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """(kind, typed text, normalised text) as a user types names on an author line."""
    from digest_ls.index.names import normalize_name

    rng = random.Random(seed)
    # Names typed are drawn from the same generator (a later seed: some are in the index, some not).
    typed_names = author_names(max(count // 5, 1), seed=seed)
    queries = []
    for name in typed_names:
        words = name.split()
        first, last = words[0], words[-1]
        typo = list(last)
        if len(typo) >= 5:
            typo[rng.randrange(1, len(typo))] = rng.choice("aeioustnr")
        for kind, text in (
            ("one letter", first[:1]),
            ("surname prefix", last[: rng.randint(2, 6)]),
            ("first name + surname prefix", f"{first} {last[: rng.randint(1, 4)]}"),
            ("whole name prefix", name[: rng.randint(4, len(name))].rstrip()),
            ("typo in surname", "".join(typo)),
        ):
            queries.append((kind, text, normalize_name(text)))
    return queries


# --- the server's memory -------------------------------------------------------------------------------


class LspClient:
    """Just enough JSON-RPC over stdio to start the real server and wait for its index."""

    def __init__(self, cache: Path):
        environment = dict(os.environ, DIGEST_LS_CACHE_DIR=str(cache), PYTHONPATH=str(SERVER))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "digest_ls", "serve", "--log-level", "info"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment,
        )
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def receive(self) -> dict:
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if not line.strip():
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def wait_for(self, predicate, timeout: float = 120.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self.receive()
            if "method" in message and "id" in message:  # a request from the server: accept it
                self.send({"id": message["id"], "result": None})
            if predicate(message):
                return message
        raise TimeoutError("the server did not answer in time")

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.send({"method": "exit"})
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


def server_memory(corpus: Path, cache: Path) -> dict:
    """RSS of the real server after indexing `corpus` (cache as it is), and after opening its largest digest."""
    client = LspClient(cache)
    started = time.perf_counter()
    uri = corpus.resolve().as_uri()
    asked = client.request("initialize", {
        "processId": os.getpid(), "rootUri": uri, "capabilities": {},
        "workspaceFolders": [{"uri": uri, "name": corpus.name}],
    })
    client.wait_for(lambda message: message.get("id") == asked)
    client.send({"method": "initialized", "params": {}})
    client.wait_for(lambda m: m.get("method") == "window/logMessage" and "indexed" in m["params"]["message"])
    indexed = time.perf_counter() - started
    time.sleep(0.5)  # let the loop settle (the index is in place; nothing else is pending)
    after_index = rss_mb(client.process.pid)
    largest = max(corpus.glob("*.md"), key=lambda path: path.stat().st_size)
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": largest.resolve().as_uri(), "languageId": "markdown", "version": 1,
        "text": largest.read_text(encoding="utf-8"),
    }}})
    client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    time.sleep(0.5)
    after_open = rss_mb(client.process.pid)
    client.close()
    return {"seconds_to_indexed": indexed, "rss_indexed_mb": after_index, "rss_with_largest_open_mb": after_open}


# --- main ---------------------------------------------------------------------------------------------


def bench_index(corpus: Path, runs: int, scratch: Path) -> dict:
    workspace = scratch / "corpus"
    shutil.copytree(corpus, workspace)
    warm_cache = scratch / "warm-cache"
    child("scan", str(workspace), str(warm_cache))  # builds the cache the warm runs restart from
    delta_workspace = scratch / "corpus-delta"
    shutil.copytree(corpus, delta_workspace)
    delta_cache = scratch / "delta-cache"
    child("scan", str(delta_workspace), str(delta_cache))
    digests = sorted(delta_workspace.glob("*.md"))
    cold, warm, delta = [], [], []
    for run in range(runs):
        cache = scratch / f"cold-cache-{run}"
        cold.append(child("scan", str(workspace), str(cache)))
        shutil.rmtree(cache)
        warm.append(child("scan", str(workspace), str(warm_cache)))
        touched = digests[run % len(digests)]
        touched.write_text(touched.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        delta.append(child("scan", str(delta_workspace), str(delta_cache)))
    assert all(r["parsed"] == 0 for r in warm) and all(r["parsed"] == 1 for r in delta)
    cold_s, warm_s, delta_s = (median(r["seconds"] for r in rows) for rows in (cold, warm, delta))
    # Laziness must not just move the cost: the restart plus the first queries that read what it left.
    warm_and_first = median(
        r["seconds"] + (r["first_author_search_ms"] + r["first_paper_search_ms"] + r["first_paper_ms"]) / 1000
        for r in warm
    )
    return {
        "files": len(list(corpus.iterdir())), "papers": warm[0]["papers"], "runs": runs,
        "cold_s": cold_s, "warm_s": warm_s, "delta_s": delta_s, "cold_over_warm": cold_s / warm_s,
        "cold_over_delta": cold_s / delta_s,
        "warm_with_first_queries_s": warm_and_first, "cold_over_warm_with_first_queries": cold_s / warm_and_first,
        "cold_cpu_s": median(r["cpu_s"] for r in cold), "warm_cpu_s": median(r["cpu_s"] for r in warm),
        "warm_first_author_search_ms": median(r["first_author_search_ms"] for r in warm),
        "warm_first_paper_search_ms": median(r["first_paper_search_ms"] for r in warm),
        "warm_first_paper_ms": median(r["first_paper_ms"] for r in warm),
        "cold_rss_mb": median(r["rss_mb"] for r in cold), "cold_peak_mb": median(r["peak_mb"] for r in cold),
        "warm_rss_mb": median(r["rss_mb"] for r in warm),
        "warm_rss_after_queries_mb": median(r["rss_after_queries_mb"] for r in warm),
        "cold_runs_s": [r["seconds"] for r in cold], "warm_runs_s": [r["seconds"] for r in warm],
        "delta_runs_s": [r["seconds"] for r in delta],
    }


def bench_year(corpus: Path, runs: int, scratch: Path) -> dict:
    """The cold index of a year of digests (tests/bench/year.py) and a warm restart on it."""
    from workspaces import build_workspace

    workspace = build_workspace("year", scratch / "year", corpus)
    warm_cache = scratch / "year-warm-cache"
    child("scan", str(workspace), str(warm_cache))
    cold, warm = [], []
    for run in range(runs):
        cache = scratch / f"year-cold-cache-{run}"
        cold.append(child("scan", str(workspace), str(cache)))
        shutil.rmtree(cache)
        warm.append(child("scan", str(workspace), str(warm_cache)))
    return {
        "files": len(list(workspace.iterdir())), "papers": cold[0]["papers"], "runs": runs,
        "megabytes": sum(path.stat().st_size for path in workspace.iterdir()) / 1e6,
        "cold_s": median(r["seconds"] for r in cold), "cold_cpu_s": median(r["cpu_s"] for r in cold),
        "cold_workers_cpu_s": median(r["workers_cpu_s"] for r in cold),
        "cold_rss_mb": median(r["rss_mb"] for r in cold), "cold_peak_mb": median(r["peak_mb"] for r in cold),
        "warm_s": median(r["seconds"] for r in warm), "warm_rss_mb": median(r["rss_mb"] for r in warm),
        "warm_rss_after_queries_mb": median(r["rss_after_queries_mb"] for r in warm),
        "cold_runs_s": [r["seconds"] for r in cold], "warm_runs_s": [r["seconds"] for r in warm],
    }


def bench_completion(count: int, queries: int, scratch: Path, keep: Path | None, runs: int) -> dict:
    folder = keep if keep is not None else scratch / "names"
    workspace, cache, build_s = build_name_workspace(folder, count)
    chosen = completion_queries(queries)
    queries_file = scratch / "queries.json"
    queries_file.write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
    results = [child("completion", str(workspace), str(cache), str(queries_file), "10") for _ in range(max(1, runs // 2))]
    ours = [t for r in results for times in r["ours"].values() for t in times]
    paired = [t for r in results for t in r["ours_when_baseline"]]
    baseline = [t for r in results for t in r["baseline"]]
    kinds = {}
    for r in results:
        for kind, times in r["ours"].items():
            kinds.setdefault(kind, []).extend(times)
    return {
        "names": results[0]["names"], "queries": len(ours), "baseline_queries": len(baseline),
        "cold_index_build_s": build_s, "restart_s": median(r["restart_s"] for r in results),
        "first_query_ms": median(r["first_query_ms"] for r in results),
        "ours_median_ms": median(ours) * 1000, "ours_p95_ms": percentile(ours, 0.95) * 1000,
        "ours_max_ms": max(ours) * 1000,
        "ours_median_on_baseline_queries_ms": median(paired) * 1000,
        "rapidfuzz_extract_median_ms": median(baseline) * 1000,
        "speedup": median(baseline) / median(paired),
        "by_kind_ms": {kind: {"median": median(times) * 1000, "p95": percentile(times, 0.95) * 1000}
                       for kind, times in kinds.items()},
        "empty_results": sum(r["empty_results"] for r in results),
        "rss_mb": median(r["rss_mb"] for r in results),
    }


def bench_memory(corpus: Path, scratch: Path) -> dict:
    cache = scratch / "server-cache"
    cold = server_memory(corpus, cache)
    warm = server_memory(corpus, cache)
    return {"cold": cold, "warm": warm}


def main() -> None:
    global SERVER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--names", type=int, default=1_000_000, help="author names in the completion index")
    parser.add_argument("--queries", type=int, default=500, help="completion queries per run")
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the synthetic workspace here")
    parser.add_argument("--year-runs", type=int, default=3, help="cold scans of the year (15 s or more each)")
    parser.add_argument("--skip", action="append", default=[], choices=("index", "year", "completion", "memory"))
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--server", type=Path, default=SERVER, help="the folder holding the digest_ls package")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    SERVER = args.server.resolve()
    sys.path.insert(0, str(SERVER))
    if args.child:
        task, *rest = args.child
        result = {"scan": child_scan, "completion": child_completion}[task](*rest)
        print(json.dumps(result))
        return
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="digest-ls-bench-index-") as folder:
        scratch = Path(folder)
        if "index" not in args.skip:
            results["index"] = bench_index(args.corpus, args.runs, scratch)
        if "year" not in args.skip:
            results["year"] = bench_year(args.corpus, args.year_runs, scratch)
        if "completion" not in args.skip:
            results["completion"] = bench_completion(args.names, args.queries, scratch, args.keep, args.runs)
        if "memory" not in args.skip:
            results["memory"] = bench_memory(args.corpus, scratch)
    report(results)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def report(results: dict) -> None:
    index = results.get("index")
    if index:
        print(f"\nindex: {index['files']} files, {index['papers']} papers (medians of {index['runs']} interleaved runs, "
              "fresh process each)")
        print(f"  {'cold scan (empty cache)':<44}{index['cold_s']:>9.3f} s   RSS {index['cold_rss_mb']:.0f} MB"
              f" (peak {index['cold_peak_mb']:.0f} MB)")
        print(f"  {'warm restart (unchanged workspace)':<44}{index['warm_s']:>9.3f} s   RSS {index['warm_rss_mb']:.0f} MB")
        print(f"  {'restart after one digest changed':<44}{index['delta_s']:>9.3f} s")
        print(f"  {'cold / warm':<44}{index['cold_over_warm']:>9.1f} x   (CPU: {index['cold_cpu_s']:.3f} s"
              f" / {index['warm_cpu_s']:.3f} s)")
        print(f"  {'warm restart + the three first queries':<44}{index['warm_with_first_queries_s']:>9.3f} s"
              f"   cold / that: {index['cold_over_warm_with_first_queries']:.1f} x")
        print(f"  {'after warm: first author search':<44}{index['warm_first_author_search_ms']:>9.1f} ms")
        print(f"  {'after warm: first paper search':<44}{index['warm_first_paper_search_ms']:>9.1f} ms")
        print(f"  {'after warm: first paper card':<44}{index['warm_first_paper_ms']:>9.1f} ms"
              f"   RSS {index['warm_rss_after_queries_mb']:.0f} MB")
    year = results.get("year")
    if year:
        print(f"\nyear workspace: {year['files']} files, {year['megabytes']:.0f} MB, {year['papers']} papers "
              f"(medians of {year['runs']} interleaved runs, fresh process each)")
        print(f"  {'cold scan (empty cache)':<44}{year['cold_s']:>9.3f} s   RSS {year['cold_rss_mb']:.0f} MB"
              f" (peak {year['cold_peak_mb']:.0f} MB)")
        print(f"  {'  CPU: this process / its workers':<44}{year['cold_cpu_s']:>9.3f} s / {year['cold_workers_cpu_s']:.3f} s")
        print(f"  {'warm restart (unchanged workspace)':<44}{year['warm_s']:>9.3f} s   RSS {year['warm_rss_mb']:.0f} MB"
              f" ({year['warm_rss_after_queries_mb']:.0f} MB after the first queries)")
    completion = results.get("completion")
    if completion:
        print(f"\nauthor completion over {completion['names']:,} names ({completion['queries']} queries; "
              f"index built cold in {completion['cold_index_build_s']:.1f} s, restarted in {completion['restart_s']:.3f} s)")
        print(f"  {'complete() median':<44}{completion['ours_median_ms']:>9.2f} ms   p95 {completion['ours_p95_ms']:.2f} ms"
              f"   max {completion['ours_max_ms']:.1f} ms")
        for kind, times in completion["by_kind_ms"].items():
            print(f"    {kind:<42}{times['median']:>9.2f} ms   p95 {times['p95']:.2f} ms")
        print(f"  {'first query after restart':<44}{completion['first_query_ms']:>9.1f} ms")
        print(f"  {'rapidfuzz.process.extract median':<44}{completion['rapidfuzz_extract_median_ms']:>9.1f} ms"
              f"   ({completion['baseline_queries']} queries; ours on those: "
              f"{completion['ours_median_on_baseline_queries_ms']:.2f} ms)")
        print(f"  {'speedup':<44}{completion['speedup']:>9.0f} x   RSS {completion['rss_mb']:.0f} MB")
    memory = results.get("memory")
    if memory:
        print("\nserver memory (python -m digest_ls serve, dev corpus)")
        for label, row in memory.items():
            print(f"  {label + ' cache: indexed':<44}{row['rss_indexed_mb']:>9.0f} MB   "
                  f"(indexed after {row['seconds_to_indexed']:.2f} s)")
            print(f"  {label + ' cache: largest digest open':<44}{row['rss_with_largest_open_mb']:>9.0f} MB")
    print("\n" + json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
