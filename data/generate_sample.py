"""Generate the bundled sample corpus and its ground truth (``data/sample/``).

Run ``python data/generate_sample.py --out data/sample --seed 20251 --docs 3000`` (the
defaults) to reproduce the committed sample byte for byte. Only the standard library is used;
every random draw comes from one ``random.Random(seed)`` (Mersenne Twister, whose stream is
stable across Python versions), drawn in a fixed order, and never from global state. Nothing
iterates over a set or a hash-ordered structure, JSON is written with sorted keys, and floats
are rounded to 12 significant digits, so the same seed gives byte-identical files. Documents
are drawn one after the other after the population, so ``--docs 200`` yields the first 200
documents of ``--docs 3000``.

The model
=========

Population (drawn first, then fixed).
    ``P`` fictional people (``--people``, default 1,500). Each has a gender (which fixes the
    pronoun He/She and His/Her), a unique full name "First Surname" built from built-in lists
    of ~150 first names (half male, half female) and ~150 surnames of diverse origins (a few
    surnames have several words, e.g. "Van der Merwe", "De la Cruz"), an occupation, and, for
    2% of people, an honorific ("Dr.", "Prof.", "Sir" for men, "Dame" for women) that the text
    puts before the name on 70% of the occasions the name is written (the entity is always the
    bare full name, which is also each document's ``title``).
    True facts: ``birth_date`` (uniform day in 1800–1990), ``birth_place`` (uniform over ~200
    real cities), and for 70% of people ``death_date`` (a day in the year birth + L, L uniform
    in 18..min(98, 2024 − birth year), after the birth date) and ``death_place``.
    Conflicting values, fixed per person: an alternative birth date (the year ±1 with the same
    day and month; 29 February becomes 28 February) and an alternative birth city (another
    city). Death facts have no alternatives.

Popularity.
    Each person gets a rank from a shuffled permutation of 0..P−1; the person of rank k is a
    document's subject with probability π = (k+1)^(−s) / Σ_m (m+1)^(−s), s = 1.1 (Zipf).

Documents (``--docs``, default 3,000; each independent given the population).
    ``id`` ``"sample-{k:05d}"`` (k from 0), ``source`` "encyclopedia.example" 0.6,
    "news.example" 0.25, "blog.example" 0.15, ``title`` the subject's full name, ``text`` of
    3–8 sentences. For one document:

    1. Draw the subject j ~ π.
    2. Each attribute a the person has is stated with probability q_a (birth_date 0.6,
       birth_place 0.5, death_date 0.4, death_place 0.3), independently; a stated attribute is
       stated twice with probability r = 0.15, else once. The two statements are "slot 1" and
       "slot 2".
    3. Each statement draws, independently of every other draw, its value and its form:

       * value: the alternative with probability 0.05 (birth_date) or 0.03 (birth_place),
         else the true value (death facts: always the true value);
       * date precision: birth_date slot 1: day 0.6, month 0.15, year 0.25; birth_date slot 2:
         day 0.7, year 0.3 (no month: a month-precision date fits only the lead, and a
         document has one lead); death_date, both slots: day 0.65, year 0.35;
       * a day-precision date is written "7 November 1867", "November 7, 1867" or
         "7 Nov. 1867" (1/3 each); month precision "November 1867"; year precision "1867".
       * a place is written "City, Country" with probability 0.2 when the city has a
         country in the list, else "City".

       The fact (the unit counted) is the key (entity, attribute, value) where value is the ISO
       date truncated to the stated precision ("1867-11-07", "1867-11", "1867") or the
       canonical city name (never with ", Country"). So "1867" and "1867-11-07" are different
       facts, as are the true and the alternative value.
    4. Layout, which changes where statements are written but never which facts are stated:
       the first sentence is the lead. Lead forms that hold facts, each usable only if the
       slot-1 statements it needs exist: lifespan "{Full} ({bdate} – {ddate}) was a {occ}."
       (both day precision), "{Full} (born {date}) was a {occ}.", "{Full} (born {date} in
       {place}) was a {occ}." and "{Full}, born in {place}, was a {occ}.". A month-precision
       birth date must use one of the two "(born …)" leads (chosen 1/2 each when both fit);
       otherwise, when any fact lead fits, one is used with probability 0.6 (uniformly among
       those that fit), else the lead is "{Full} was a {occ}.". Remaining statements become
       body sentences; a day-precision birth_date and a birth_place statement are combined
       into one sentence with probability 0.5 ("born in {place} on {date}" or "born on {date}
       in {place}", 1/2 each), likewise death_date (day) with death_place ("died in {place} on
       {date}" / "died at {place} on {date}"); the others use "was born in {place}", "was born
       on {date}", "was born in {year}", "died in {place}", "died on {date}", "died in {year}".
       If this gives more than 8 fact sentences, the layout is redone taking the lead that
       holds the most facts and combining whenever possible (this always fits).
    5. The document gets T − (fact sentences) distractor sentences, T uniform in
       max(3, fact sentences)..8, templates drawn without replacement from: studied {subject}
       at the University of {place}; moved to {place} in {year}; "In {year}, {S} published a
       book about {place}."; worked as a {occupation} for many years; "{His/Her} father was a
       {occupation}."; "{S} was not born in {other place}." (a negation, never the true or
       alternative birth city); visited {place} on {date}; "The museum in {place} was founded
       in {year}." (the years of "moved", "published" and "visited" fall at age 15 to 54 and
       never after the death year). Distractors state no catalog fact and write no truth
       rows. Body sentences and distractors are shuffled together after the lead.
    6. Each non-lead sentence's subject S is the full name 0.45, the pronoun 0.35 or the
       surname 0.2 (for Dr./Prof. the surname gets the honorific too, 70% of the time).

Files written to ``--out``
==========================

``corpus.jsonl``
    the documents: ``id``, ``title``, ``text``, ``source``.
``truth_mentions.jsonl``
    one row per fact statement: ``doc_id``, ``entity``, ``attribute``, ``value``,
    ``precision`` (day|month|year, null for places), ``alternative`` (the conflicting value),
    ``surface`` (the value's text as written) with ``start``/``end`` offsets into the
    document text (``text[start:end] == surface``), ``phrasing`` (id of the template),
    ``subject_form`` (name|pronoun|surname|lead), ``subject`` (the subject as written) and
    ``sentence`` (index in the document).
``truth_facts.jsonl``
    one row per fact observed in the sample: its ``mentions`` and ``documents`` counts and its
    exact probabilities ``p_mention`` and ``p_document`` (below).
``truth.json``
    the parameters and seed, counts, and for both units the true missing mass, the oracle
    Good–Turing estimate and their expectations, overall and per attribute.

True missing mass
=================

Given the population, let, for the fact i = (j, a, v), P1(v) and P2(v) be the probabilities
that a slot-1 / slot-2 statement of attribute a has key v (value probability × precision
probability), and b = π_j · q_a. Per document, the number of statements of i is 1 with
probability c1 = b[(1−r)P1 + r(P1(1−P2) + (1−P1)P2)] and 2 with probability c2 = b·r·P1·P2.

* Mention unit (an occurrence is one statement): p_i = E[count_i] / Σ_k E[count_k] with
  E[count_i] = c1 + 2·c2 = b(P1 + r·P2): the probability that one statement, drawn from the
  process's long-run statement distribution, states fact i.
* Document unit (an occurrence is a (document, fact) pair): p_i = u_i / Σ_k u_k with
  u_i = c1 + c2, the probability that a document states fact i at all.

The true missing mass of a unit is M = Σ p_i over facts i NOT stated anywhere in the generated
sample, the quantity the Good–Turing estimate N1/N targets (N: occurrences in the sample, N1:
facts with exactly one occurrence). ``truth.json`` also gives the oracle N1/N computed from
``truth_mentions.jsonl`` (no extraction error), and the exact expectations over corpora from
the same population: E[M] = Σ p_i (1 − u_i)^D, E[N1] = D·c1_i(1 − u_i)^(D−1) (mention unit)
or D·u_i(1 − u_i)^(D−1) (document unit), E[N] = D·Σ E[count] or D·Σ u. Per attribute the
same numbers are given for the process restricted to that attribute (p_i renormalised within
the attribute), plus the attribute's share of all occurrences.

Occurrences within a document are not independent: a document's statements share one subject,
and a repeated statement recurs in the same document, so the mention unit is a clustered
sample (its N overstates the number of independent draws) and repeats turn would-be
singletons into doubletons. Documents, in contrast, are independent draws and a fact occurs at
most once per document, so a fact's presence is independent across documents. Good–Turing's
guarantees assume independent occurrences, which is why both units are reported. In the
default sample this shows: the document unit's E[N1]/E[N] equals E[M] to four decimals, while
the mention unit's E[N1]/E[N] is about 0.036 below its E[M] (see ``truth.json``); both oracle
estimates still lie inside the distribution-free 95% interval
w = 1/N + (1+√2)·√(ln(4/0.05)/N) around the true missing mass.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

GENERATOR_VERSION = 1
DEFAULT_SEED = 20251
DEFAULT_DOCS = 3000
DEFAULT_PEOPLE = 1500
DEFAULT_OUT = Path(__file__).resolve().parent / "sample"

ATTRIBUTES = ("birth_date", "birth_place", "death_date", "death_place")
ZIPF_S = 1.1
DEATH_SHARE = 0.7
HONORIFIC_SHARE = 0.02
HONORIFIC_IN_TEXT_PROB = 0.7
STATE_PROB = {"birth_date": 0.6, "birth_place": 0.5, "death_date": 0.4, "death_place": 0.3}
REPEAT_PROB = 0.15
ALT_PROB = {"birth_date": 0.05, "birth_place": 0.03, "death_date": 0.0, "death_place": 0.0}
PRECISION_SLOT1 = {
    "birth_date": (("day", 0.6), ("month", 0.15), ("year", 0.25)),
    "death_date": (("day", 0.65), ("year", 0.35)),
}
PRECISION_SLOT2 = {
    "birth_date": (("day", 0.7), ("year", 0.3)),
    "death_date": (("day", 0.65), ("year", 0.35)),
}
DAY_FORMS = ("d_month_y", "month_d_y", "d_mon_y")
PLACE_VARIANT_PROB = 0.2
LEAD_FACT_PROB = 0.6
COMBINE_PROB = 0.5
SUBJECT_FORM_PROB = (("name", 0.45), ("pronoun", 0.35), ("surname", 0.2))
SOURCE_PROB = (("encyclopedia.example", 0.6), ("news.example", 0.25), ("blog.example", 0.15))
MIN_SENTENCES = 3
MAX_SENTENCES = 8
LAST_YEAR = 2024
DELTA = 0.05  # the confidence parameter of the interval the tests use

MALE_FIRST = (
    "James", "William", "Henry", "Thomas", "Edward", "Arthur", "George", "Walter", "Frederick",
    "Samuel", "Hugo", "Pierre", "Louis", "Jules", "Étienne", "Luca", "Marco", "Giovanni",
    "Matteo", "Pablo", "Diego", "Javier", "Mateo", "Joaquim", "Tiago", "Hans", "Friedrich",
    "Klaus", "Johannes", "Lars", "Nils", "Sven", "Anders", "Mikhail", "Ivan", "Dmitri",
    "Sergei", "Pavel", "Jan", "Tomasz", "Piotr", "Karel", "Miklós", "Andrei", "Yusuf", "Omar",
    "Karim", "Tariq", "Hassan", "Amir", "Reza", "Darius", "Kwame", "Kofi", "Chidi", "Emeka",
    "Tunde", "Sipho", "Thabo", "Haruto", "Kenji", "Hiroshi", "Takeshi", "Wei", "Jun", "Raj",
    "Arjun", "Vikram", "Rohan", "Anand", "Minh", "Quang", "Rafael", "Alejandro", "Emil",
    "Oskar", "Ibrahim", "Mehmet",
)  # fmt: skip
FEMALE_FIRST = (
    "Mary", "Elizabeth", "Margaret", "Alice", "Eleanor", "Harriet", "Ada", "Edith", "Beatrice",
    "Marie", "Camille", "Élodie", "Juliette", "Colette", "Giulia", "Francesca", "Chiara",
    "Lucia", "Isabel", "Carmen", "Pilar", "Inês", "Beatriz", "Greta", "Ingrid", "Astrid",
    "Sigrid", "Freya", "Liesel", "Anneliese", "Katarzyna", "Agnieszka", "Zofia", "Olga",
    "Natalia", "Tatiana", "Irina", "Svetlana", "Fatima", "Leila", "Yasmin", "Aisha", "Zainab",
    "Amara", "Ngozi", "Adaeze", "Ama", "Nomvula", "Thandiwe", "Yuki", "Sakura", "Hana", "Aiko",
    "Mei", "Lin", "Xiu", "Priya", "Ananya", "Lakshmi", "Meera", "Kavya", "Lan", "Hoa", "Rosa",
    "Ximena", "Valentina", "Maja", "Elif", "Zeynep", "Nadia", "Sophie", "Hedda", "Ottilie",
    "Rahel", "Miriam",
)  # fmt: skip
SURNAMES = (
    "Smith", "Turner", "Whitfield", "Hargreaves", "Ashworth", "Blackwood", "Fairbanks",
    "Pemberton", "Thornton", "Caldwell", "Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau",
    "Fontaine", "Rossi", "Bianchi", "Esposito", "Romano", "Conti", "García", "Fernández",
    "López", "Martínez", "Navarro", "Herrera", "Oliveira", "Pereira", "Costa", "Almeida",
    "Müller", "Schneider", "Fischer", "Weber", "Hoffmann", "Becker", "Lindqvist", "Johansson",
    "Andersson", "Nyström", "Halvorsen", "Kowalski", "Nowak", "Wiśniewski", "Dvořák", "Novák",
    "Horváth", "Nagy", "Popescu", "Ionescu", "Petrov", "Volkov", "Sokolov", "Morozov",
    "Kuznetsov", "Yilmaz", "Demir", "Öztürk", "Haddad", "Khalil", "Mansour", "Nasser",
    "Rahimi", "Tehrani", "Karimi", "Okafor", "Adeyemi", "Mensah", "Owusu", "Nkosi", "Dlamini",
    "Mwangi", "Otieno", "Kamau", "Tesfaye", "Bekele", "Tanaka", "Suzuki", "Watanabe",
    "Yamamoto", "Nakamura", "Kobayashi", "Chen", "Wang", "Zhang", "Liu", "Huang", "Zhao",
    "Kim", "Park", "Choi", "Sharma", "Patel", "Iyer", "Reddy", "Banerjee", "Chatterjee",
    "Mehta", "Nguyen", "Tran", "Pham", "Reyes", "Cruz", "Bautista", "Mendoza", "O'Brien",
    "Murphy", "Kelly", "Gallagher", "MacLeod", "Campbell", "Fraser", "Jones", "Evans",
    "Davies", "Hughes", "Cohen", "Levi", "Friedman", "Rosenberg", "Van der Merwe",
    "De la Cruz", "Da Silva", "Van Dijk", "De Vries", "Von Arnim", "Del Toro", "Le Roux",
    "Ben-David", "Al-Rashid", "Lloyd-Jones", "Kowalczyk", "Svoboda", "Lindgren", "Eriksen",
    "Jensen", "Virtanen", "Korhonen", "Papadopoulos", "Georgiou", "Castellanos", "Quispe",
    "Mamani", "Takahashi", "Sato", "Bui", "Hakimi", "Amari", "Abara", "Mbeki", "Achebe",
)  # fmt: skip
# (city, country for a "City, Country" surface variant or None)
CITIES: tuple[tuple[str, str | None], ...] = (
    ("London", "England"), ("Paris", "France"), ("Berlin", "Germany"), ("Rome", "Italy"),
    ("Madrid", "Spain"), ("Lisbon", "Portugal"), ("Vienna", "Austria"), ("Prague", None),
    ("Warsaw", "Poland"), ("Kraków", "Poland"), ("Budapest", "Hungary"), ("Bucharest", None),
    ("Sofia", None), ("Athens", "Greece"), ("Istanbul", "Turkey"), ("Ankara", None),
    ("Moscow", "Russia"), ("Saint Petersburg", "Russia"), ("Kyiv", "Ukraine"), ("Odesa", None),
    ("Minsk", None), ("Vilnius", "Lithuania"), ("Riga", "Latvia"), ("Tallinn", None),
    ("Helsinki", "Finland"), ("Stockholm", "Sweden"), ("Gothenburg", None), ("Malmö", None),
    ("Oslo", "Norway"), ("Bergen", None), ("Copenhagen", "Denmark"), ("Aarhus", None),
    ("Reykjavík", "Iceland"), ("Dublin", "Ireland"), ("Cork", None), ("Edinburgh", "Scotland"),
    ("Glasgow", None), ("Manchester", None), ("Liverpool", None), ("Birmingham", None),
    ("Bristol", None), ("Leeds", None), ("Cardiff", "Wales"), ("Belfast", None),
    ("Amsterdam", "Netherlands"), ("Rotterdam", None), ("The Hague", None),
    ("Brussels", "Belgium"), ("Antwerp", None), ("Luxembourg City", None),
    ("Zürich", "Switzerland"), ("Geneva", None), ("Basel", None), ("Munich", "Germany"),
    ("Hamburg", None), ("Cologne", None), ("Frankfurt am Main", None), ("Dresden", None),
    ("Leipzig", None), ("Lyon", "France"), ("Marseille", None), ("Bordeaux", None),
    ("Toulouse", None), ("Strasbourg", None), ("Milan", "Italy"), ("Naples", None),
    ("Turin", None), ("Venice", None), ("Bologna", None), ("Palermo", None),
    ("Barcelona", "Spain"), ("Seville", None), ("Valencia", None), ("Bilbao", None),
    ("Porto", "Portugal"), ("Zagreb", "Croatia"), ("Belgrade", "Serbia"), ("Ljubljana", None),
    ("Sarajevo", None), ("Thessaloniki", None), ("Cairo", "Egypt"), ("Alexandria", None),
    ("Tunis", "Tunisia"), ("Algiers", "Algeria"), ("Casablanca", "Morocco"), ("Marrakesh", None),
    ("Lagos", "Nigeria"), ("Abuja", None), ("Ibadan", None), ("Accra", "Ghana"), ("Kumasi", None),
    ("Dakar", "Senegal"), ("Bamako", None), ("Nairobi", "Kenya"), ("Mombasa", None),
    ("Addis Ababa", "Ethiopia"), ("Dar es Salaam", "Tanzania"), ("Kampala", "Uganda"),
    ("Kigali", None), ("Kinshasa", None), ("Luanda", None), ("Harare", "Zimbabwe"),
    ("Lusaka", None), ("Johannesburg", "South Africa"), ("Cape Town", "South Africa"),
    ("Durban", None), ("Tehran", "Iran"), ("Isfahan", None), ("Baghdad", "Iraq"),
    ("Damascus", "Syria"), ("Beirut", "Lebanon"), ("Amman", None), ("Jerusalem", None),
    ("Tel Aviv", "Israel"), ("Riyadh", None), ("Abu Dhabi", None), ("Dubai", None),
    ("Kabul", None), ("Tashkent", None), ("Almaty", None), ("Karachi", "Pakistan"),
    ("Lahore", None), ("New Delhi", "India"), ("Mumbai", "India"), ("Kolkata", None),
    ("Chennai", None), ("Bengaluru", None), ("Hyderabad", None), ("Dhaka", "Bangladesh"),
    ("Colombo", None), ("Kathmandu", "Nepal"), ("Yangon", None), ("Bangkok", "Thailand"),
    ("Hanoi", "Vietnam"), ("Ho Chi Minh City", "Vietnam"), ("Phnom Penh", None),
    ("Kuala Lumpur", "Malaysia"), ("Singapore", None), ("Jakarta", "Indonesia"),
    ("Manila", "Philippines"), ("Beijing", "China"), ("Shanghai", "China"), ("Guangzhou", None),
    ("Hong Kong", None), ("Taipei", None), ("Seoul", "South Korea"), ("Busan", None),
    ("Tokyo", "Japan"), ("Kyoto", "Japan"), ("Osaka", None), ("Nagoya", None),
    ("Sapporo", None), ("Ulaanbaatar", None), ("Sydney", "Australia"), ("Melbourne", None),
    ("Brisbane", None), ("Perth", None), ("Auckland", "New Zealand"), ("Wellington", None),
    ("New York City", None), ("Los Angeles", None), ("Chicago", None), ("Boston", None),
    ("Philadelphia", None), ("San Francisco", None), ("New Orleans", None), ("Seattle", None),
    ("Detroit", None), ("Baltimore", None), ("Salt Lake City", None), ("Toronto", "Canada"),
    ("Montreal", "Canada"), ("Vancouver", None), ("Quebec City", None), ("Winnipeg", None),
    ("Mexico City", "Mexico"), ("Guadalajara", None), ("Havana", "Cuba"),
    ("Port-au-Prince", None), ("San Juan", None), ("Panama City", None), ("Bogotá", "Colombia"),
    ("Medellín", None), ("Caracas", "Venezuela"), ("Quito", "Ecuador"), ("Lima", "Peru"),
    ("La Paz", "Bolivia"), ("Buenos Aires", "Argentina"), ("Córdoba", None),
    ("Montevideo", "Uruguay"), ("Asunción", None), ("Rio de Janeiro", "Brazil"),
    ("São Paulo", "Brazil"), ("Salvador", None), ("Recife", None), ("Belo Horizonte", None),
    ("Porto Alegre", None), ("Valparaíso", "Chile"), ("Kingston", "Jamaica"),
    ("Reims", None), ("Nantes", None), ("Salzburg", None),
)  # fmt: skip
OCCUPATIONS = (
    "painter", "poet", "novelist", "chemist", "physicist", "physician", "composer", "pianist",
    "violinist", "botanist", "mathematician", "philosopher", "historian", "journalist",
    "sculptor", "photographer", "diplomat", "politician", "lawyer", "banker", "merchant",
    "surgeon", "nurse", "teacher", "linguist", "cartographer", "geologist", "zoologist",
    "playwright", "singer", "dancer", "film director", "theologian", "pharmacist", "sailor",
    "soldier", "carpenter", "jeweller", "tailor", "printer", "publisher", "librarian", "judge",
    "mountaineer", "cyclist", "footballer", "chess player", "sociologist", "biologist",
    "critic", "novelist and critic", "missionary", "translator", "civil servant",
)  # fmt: skip
STUDY_SUBJECTS = (
    "medicine", "law", "chemistry", "music", "painting", "philosophy", "history",
    "mathematics", "physics", "botany", "theology", "engineering", "economics", "architecture",
    "linguistics", "geography",
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
MONTH_ABBR = (
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
)  # fmt: skip
DISTRACTORS = (
    "studied", "moved", "published", "worked", "father", "negation", "visited", "museum",
)  # fmt: skip


# ----------------------------------------------------------------------------- random helpers


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """A uniform choice: one ``rng.random()`` draw."""
    return items[min(int(rng.random() * len(items)), len(items) - 1)]


def weighted(rng: random.Random, items: Sequence[tuple[T, float]]) -> T:
    """A weighted choice from ``(item, weight)`` pairs: one ``rng.random()`` draw."""
    total = math.fsum(w for _, w in items)
    x = rng.random() * total
    acc = 0.0
    for item, w in items:
        acc += w
        if x < acc:
            return item
    return items[-1][0]


def shuffled(rng: random.Random, items: Iterable[T]) -> list[T]:
    """A Fisher–Yates shuffle driven only by ``rng.random()``."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        k = min(int(rng.random() * (i + 1)), i)
        out[i], out[k] = out[k], out[i]
    return out


def rounded(x: float) -> float:
    """Floats as written: 12 significant digits, so files do not depend on the last ulp."""
    return float(f"{x:.12g}")


# ----------------------------------------------------------------------------- population


@dataclass(frozen=True)
class Person:
    pid: int
    name: str
    first: str
    surname: str
    gender: str  # "m" | "f"
    honorific: str | None
    occupation: str
    birth_date: date
    birth_place: str
    death_date: date | None
    death_place: str | None
    alt_birth_date: date
    alt_birth_place: str

    @property
    def attributes(self) -> tuple[str, ...]:
        return ATTRIBUTES if self.death_date is not None else ATTRIBUTES[:2]


def random_day(rng: random.Random, year: int, after: date | None = None) -> date:
    lo = date(year, 1, 1).toordinal()
    hi = date(year, 12, 31).toordinal()
    if after is not None:
        lo = max(lo, after.toordinal() + 1)
    return date.fromordinal(lo + min(int(rng.random() * (hi - lo + 1)), hi - lo))


def make_population(rng: random.Random, n: int) -> list[Person]:
    """Draw the ``n`` people (the first draws of the seed's stream)."""
    cities = [c for c, _ in CITIES]
    people: list[Person] = []
    used: set[str] = set()
    for pid in range(n):
        gender = "m" if rng.random() < 0.5 else "f"
        while True:
            first = pick(rng, MALE_FIRST if gender == "m" else FEMALE_FIRST)
            surname = pick(rng, SURNAMES)
            name = f"{first} {surname}"
            if name not in used:
                used.add(name)
                break
        honorific = None
        if rng.random() < HONORIFIC_SHARE:
            honorific = pick(rng, ("Dr.", "Prof.", "Sir" if gender == "m" else "Dame"))
        occupation = pick(rng, OCCUPATIONS)
        byear = 1800 + min(int(rng.random() * 191), 190)
        bdate = random_day(rng, byear)
        bplace = pick(rng, cities)
        ddate = dplace = None
        if rng.random() < DEATH_SHARE:
            max_life = min(98, LAST_YEAR - byear)
            life = 18 + min(int(rng.random() * (max_life - 17)), max_life - 18)
            ddate = random_day(rng, byear + life, after=bdate)
            dplace = pick(rng, cities)
        alt_year = byear + (1 if rng.random() < 0.5 else -1)
        day = bdate.day if not (bdate.month == 2 and bdate.day == 29) else 28
        alt_bdate = date(alt_year, bdate.month, day)
        alt_bplace = pick(rng, [c for c in cities if c != bplace])
        person = Person(
            pid=pid,
            name=name,
            first=first,
            surname=surname,
            gender=gender,
            honorific=honorific,
            occupation=occupation,
            birth_date=bdate,
            birth_place=bplace,
            death_date=ddate,
            death_place=dplace,
            alt_birth_date=alt_bdate,
            alt_birth_place=alt_bplace,
        )
        people.append(person)
    return people


def popularity(rng: random.Random, n: int, s: float) -> list[float]:
    """π per person id: Zipf over a shuffled rank order."""
    ranks = shuffled(rng, range(n))
    weights = [(ranks[j] + 1) ** (-s) for j in range(n)]
    total = math.fsum(weights)
    return [w / total for w in weights]


# ----------------------------------------------------------------------------- statements


@dataclass
class Statement:
    attribute: str
    value: str
    precision: str | None
    surface: str
    alternative: bool
    slot: int


def iso(d: date, precision: str) -> str:
    if precision == "day":
        return d.isoformat()
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def date_surface(d: date, precision: str, form: str | None) -> str:
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    if form == "d_month_y":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if form == "month_d_y":
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day} {MONTH_ABBR[d.month - 1]} {d.year}"


COUNTRY = dict(CITIES)


def place_surface(rng: random.Random, city: str) -> str:
    country = COUNTRY[city]
    if country is not None and rng.random() < PLACE_VARIANT_PROB:
        return f"{city}, {country}"
    return city


def draw_statement(rng: random.Random, person: Person, attribute: str, slot: int) -> Statement:
    """One statement's value and form; the draws are those the truth model assumes."""
    alternative = rng.random() < ALT_PROB[attribute]
    if attribute in ("birth_date", "death_date"):
        if attribute == "birth_date":
            d = person.alt_birth_date if alternative else person.birth_date
        else:
            assert person.death_date is not None
            d = person.death_date
        table = PRECISION_SLOT1 if slot == 1 else PRECISION_SLOT2
        precision = weighted(rng, table[attribute])
        form = pick(rng, DAY_FORMS) if precision == "day" else None
        return Statement(
            attribute, iso(d, precision), precision, date_surface(d, precision, form),
            alternative, slot,
        )  # fmt: skip
    if attribute == "birth_place":
        city = person.alt_birth_place if alternative else person.birth_place
    else:
        assert person.death_place is not None
        city = person.death_place
    return Statement(attribute, city, None, place_surface(rng, city), alternative, slot)


# ----------------------------------------------------------------------------- sentences


@dataclass
class Mention:
    statement: Statement
    phrasing: str
    subject_form: str
    subject: str


# A sentence is a list of parts: plain text, or a Mention whose value surface is the part.
Part = str | Mention


@dataclass
class Sentence:
    parts: list[Part] = field(default_factory=list)


def name_text(rng: random.Random, p: Person) -> str:
    if p.honorific is not None and rng.random() < HONORIFIC_IN_TEXT_PROB:
        return f"{p.honorific} {p.name}"
    return p.name


def subject_text(rng: random.Random, p: Person, form: str, capital: bool) -> str:
    if form == "name":
        return name_text(rng, p)
    if form == "surname":
        if p.honorific in ("Dr.", "Prof.") and rng.random() < HONORIFIC_IN_TEXT_PROB:
            return f"{p.honorific} {p.surname}"
        return p.surname
    pron = "he" if p.gender == "m" else "she"
    return pron.capitalize() if capital else pron


def a_occupation(occupation: str) -> str:
    return f"a {occupation}"


def lead_sentence(rng: random.Random, p: Person, kind: str, stmts: list[Statement]) -> Sentence:
    full = name_text(rng, p)
    occ = a_occupation(p.occupation)

    def m(st: Statement) -> Mention:
        return Mention(st, f"lead_{kind}", "lead", full)

    if kind == "plain":
        return Sentence([f"{full} was {occ}."])
    if kind == "lifespan":
        b, d = stmts
        return Sentence([f"{full} (", m(b), " – ", m(d), f") was {occ}."])
    if kind == "born_date":
        return Sentence([f"{full} (born ", m(stmts[0]), f") was {occ}."])
    if kind == "born_date_in_place":
        b, pl = stmts
        return Sentence([f"{full} (born ", m(b), " in ", m(pl), f") was {occ}."])
    assert kind == "born_in_place"
    return Sentence([f"{full}, born in ", m(stmts[0]), f", was {occ}."])


def body_sentence(rng: random.Random, p: Person, phrasing: str, stmts: list[Statement]) -> Sentence:
    form = weighted(rng, SUBJECT_FORM_PROB)
    subj = subject_text(rng, p, form, capital=True)

    def m(st: Statement) -> Mention:
        return Mention(st, phrasing, form, subj)

    verb, _, rest = phrasing.partition("_")
    head = f"{subj} was born" if verb == "born" else f"{subj} died"
    if rest in ("in_place", "on_date", "in_year"):
        prep = "on" if rest == "on_date" else "in"
        return Sentence([f"{head} {prep} ", m(stmts[0]), "."])
    date_st, place_st = stmts
    if rest == "in_place_on_date":
        return Sentence([f"{head} in ", m(place_st), " on ", m(date_st), "."])
    if rest == "at_place_on_date":
        return Sentence([f"{head} at ", m(place_st), " on ", m(date_st), "."])
    assert rest == "on_date_in_place"
    return Sentence([f"{head} on ", m(date_st), " in ", m(place_st), "."])


def distractor(rng: random.Random, p: Person, kind: str) -> Sentence:
    cities = [c for c, _ in CITIES]
    form = weighted(rng, SUBJECT_FORM_PROB)
    capital = kind != "published"
    subj = subject_text(rng, p, form, capital=capital)
    end = p.death_date.year if p.death_date is not None else LAST_YEAR
    span = min(40, end - p.birth_date.year - 14)
    year = p.birth_date.year + 15 + min(int(rng.random() * span), span - 1)
    if kind == "studied":
        topic = pick(rng, STUDY_SUBJECTS)
        text = f"{subj} studied {topic} at the University of {pick(rng, cities)}."
    elif kind == "moved":
        text = f"{subj} moved to {pick(rng, cities)} in {year}."
    elif kind == "published":
        text = f"In {year}, {subj} published a book about {pick(rng, cities)}."
    elif kind == "worked":
        text = f"{subj} worked as {a_occupation(pick(rng, OCCUPATIONS))} for many years."
    elif kind == "father":
        pron = "His" if p.gender == "m" else "Her"
        text = f"{pron} father was {a_occupation(pick(rng, OCCUPATIONS))}."
    elif kind == "negation":
        banned = (p.birth_place, p.alt_birth_place)
        other = pick(rng, [c for c in cities if c not in banned])
        text = f"{subj} was not born in {other}."
    elif kind == "visited":
        when = date_surface(random_day(rng, year), "day", pick(rng, DAY_FORMS))
        text = f"{subj} visited {pick(rng, cities)} on {when}."
    else:
        assert kind == "museum"
        text = f"The museum in {pick(rng, cities)} was founded in {1700 + int(rng.random() * 300)}."
    return Sentence([text])


LEAD_ABSORBS = {
    "lifespan": ("birth_date", "death_date"),
    "born_date": ("birth_date",),
    "born_date_in_place": ("birth_date", "birth_place"),
    "born_in_place": ("birth_place",),
}


def lead_options(stmts: dict[str, list[Statement]]) -> list[str]:
    b1 = stmts["birth_date"][0] if stmts["birth_date"] else None
    p1 = stmts["birth_place"][0] if stmts["birth_place"] else None
    d1 = stmts["death_date"][0] if stmts["death_date"] else None
    options: list[str] = []
    if b1 is not None and d1 is not None and b1.precision == "day" and d1.precision == "day":
        options.append("lifespan")
    if b1 is not None:
        options.append("born_date")
        if p1 is not None:
            options.append("born_date_in_place")
    if p1 is not None:
        options.append("born_in_place")
    if b1 is not None and b1.precision == "month":
        options = [o for o in options if o in ("born_date", "born_date_in_place")]
    return options


def layout(
    rng: random.Random, stmts: dict[str, list[Statement]], force: bool
) -> tuple[str, list[Statement], list[tuple[str, list[Statement]]]]:
    """Choose the lead and the body fact sentences (phrasing id, statements)."""
    options = lead_options(stmts)
    b1 = stmts["birth_date"][0] if stmts["birth_date"] else None
    if force and options:
        kind = max(options, key=lambda o: len(LEAD_ABSORBS[o]))
    elif (b1 is not None and b1.precision == "month") or (
        options and rng.random() < LEAD_FACT_PROB
    ):
        kind = pick(rng, options)
    else:
        kind = "plain"
    absorbed = [stmts[a][0] for a in LEAD_ABSORBS.get(kind, ())]
    rest = {a: [s for s in stmts[a] if not any(s is x for x in absorbed)] for a in ATTRIBUTES}
    body: list[tuple[str, list[Statement]]] = []
    for date_attr, place_attr, verb, combos in (
        ("birth_date", "birth_place", "born", ("in_place_on_date", "on_date_in_place")),
        ("death_date", "death_place", "died", ("in_place_on_date", "at_place_on_date")),
    ):
        places = list(rest[place_attr])
        for st in rest[date_attr]:
            assert st.precision in ("day", "year"), "month precision only fits the lead"
            if st.precision == "day" and places and (force or rng.random() < COMBINE_PROB):
                body.append((f"{verb}_{pick(rng, combos)}", [st, places.pop(0)]))
            else:
                body.append((f"{verb}_{'on_date' if st.precision == 'day' else 'in_year'}", [st]))
        body.extend((f"{verb}_in_place", [pl]) for pl in places)
    return kind, absorbed, body


@dataclass
class Doc:
    doc_id: str
    title: str
    source: str
    text: str
    mentions: list[dict[str, Any]]
    sentences: int


def render(doc_id: str, p: Person, sentences: list[Sentence]) -> tuple[str, list[dict[str, Any]]]:
    pieces: list[str] = []
    rows: list[dict[str, Any]] = []
    pos = 0
    for index, sentence in enumerate(sentences):
        if index:
            pieces.append(" ")
            pos += 1
        for part in sentence.parts:
            if isinstance(part, str):
                pieces.append(part)
                pos += len(part)
                continue
            st = part.statement
            rows.append(
                {
                    "doc_id": doc_id,
                    "entity": p.name,
                    "attribute": st.attribute,
                    "value": st.value,
                    "precision": st.precision,
                    "alternative": st.alternative,
                    "surface": st.surface,
                    "start": pos,
                    "end": pos + len(st.surface),
                    "phrasing": part.phrasing,
                    "subject_form": part.subject_form,
                    "subject": part.subject,
                    "sentence": index,
                }
            )
            pieces.append(st.surface)
            pos += len(st.surface)
    return "".join(pieces), rows


def make_document(rng: random.Random, k: int, people: list[Person], cumulative: list[float]) -> Doc:
    doc_id = f"sample-{k:05d}"
    j = min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(people) - 1)
    p = people[j]
    source = weighted(rng, SOURCE_PROB)
    stmts: dict[str, list[Statement]] = {a: [] for a in ATTRIBUTES}
    for attribute in p.attributes:
        if rng.random() < STATE_PROB[attribute]:
            n = 2 if rng.random() < REPEAT_PROB else 1
            stmts[attribute] = [draw_statement(rng, p, attribute, slot) for slot in range(1, n + 1)]
    kind, absorbed, body = layout(rng, stmts, force=False)
    if 1 + len(body) > MAX_SENTENCES:
        kind, absorbed, body = layout(rng, stmts, force=True)
    n_fact = 1 + len(body)
    assert n_fact <= MAX_SENTENCES
    lo = max(MIN_SENTENCES, n_fact)
    total = lo + min(int(rng.random() * (MAX_SENTENCES - lo + 1)), MAX_SENTENCES - lo)
    kinds = shuffled(rng, DISTRACTORS)[: total - n_fact]
    lead = lead_sentence(rng, p, kind, absorbed)
    others = [body_sentence(rng, p, phrasing, sts) for phrasing, sts in body]
    others += [distractor(rng, p, kd) for kd in kinds]
    text, rows = render(doc_id, p, [lead, *shuffled(rng, others)])
    return Doc(doc_id, p.name, source, text, rows, 1 + len(others))


# ----------------------------------------------------------------------------- truth


@dataclass(frozen=True)
class FactProb:
    entity: str
    attribute: str
    value: str
    precision: str | None
    alternative: bool
    expected_count: float  # E[statements of the fact per document] = c1 + 2 c2
    c1: float  # P(the fact is stated exactly once in a document)
    u: float  # P(the fact is stated in a document) = c1 + c2

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.entity, self.attribute, self.value)


KeyProb = tuple[str, str | None, bool, float, float]


def key_probabilities(p: Person, attribute: str) -> list[KeyProb]:
    """(value, precision, alternative, P1, P2) for each key a statement of ``attribute`` has."""
    alt = ALT_PROB[attribute]
    out: list[KeyProb] = []
    if attribute in ("birth_date", "death_date"):
        values: list[tuple[date, bool, float]]
        if attribute == "birth_date":
            values = [(p.birth_date, False, 1 - alt), (p.alt_birth_date, True, alt)]
        else:
            assert p.death_date is not None
            values = [(p.death_date, False, 1.0)]
        s1 = dict(PRECISION_SLOT1[attribute])
        s2 = dict(PRECISION_SLOT2[attribute])
        for d, is_alt, pv in values:
            for precision in ("day", "month", "year"):
                p1 = pv * s1.get(precision, 0.0)
                p2 = pv * s2.get(precision, 0.0)
                if p1 > 0 or p2 > 0:
                    out.append((iso(d, precision), precision, is_alt, p1, p2))
        return out
    if attribute == "birth_place":
        out.append((p.birth_place, None, False, 1 - alt, 1 - alt))
        if alt > 0:
            out.append((p.alt_birth_place, None, True, alt, alt))
        return out
    assert p.death_place is not None
    return [(p.death_place, None, False, 1.0, 1.0)]


def fact_distribution(people: list[Person], pi: list[float]) -> list[FactProb]:
    """Every fact the process can state, with its per-document statement probabilities."""
    r = REPEAT_PROB
    facts: list[FactProb] = []
    for p in people:
        for attribute in p.attributes:
            b = pi[p.pid] * STATE_PROB[attribute]
            for value, precision, is_alt, p1, p2 in key_probabilities(p, attribute):
                c1 = b * ((1 - r) * p1 + r * (p1 * (1 - p2) + (1 - p1) * p2))
                c2 = b * r * p1 * p2
                expected = b * (p1 + r * p2)
                facts.append(
                    FactProb(p.name, attribute, value, precision, is_alt, expected, c1, c1 + c2)
                )
    return facts


def unit_summary(
    facts: Sequence[FactProb],
    observed: dict[tuple[str, str, str], tuple[int, int]],
    docs: int,
) -> dict[str, Any]:
    """True/expected missing mass and oracle/expected Good–Turing, both units, for ``facts``."""
    out: dict[str, Any] = {}
    for unit, index in (("mention", 0), ("document", 1)):
        weight = [f.expected_count if unit == "mention" else f.u for f in facts]
        z = math.fsum(weight)
        counts = [observed[f.key][index] for f in facts if f.key in observed]
        n = sum(counts)
        n1 = sum(1 for c in counts if c == 1)
        n2 = sum(1 for c in counts if c == 2)
        missing = math.fsum(w for f, w in zip(facts, weight, strict=True) if f.key not in observed)
        e_missing = math.fsum(w * (1 - f.u) ** docs for f, w in zip(facts, weight, strict=True))
        e_n1 = math.fsum(
            docs * (f.c1 if unit == "mention" else f.u) * (1 - f.u) ** (docs - 1) for f in facts
        )
        e_n = docs * z
        oracle = n1 / n if n else 0.0
        out[unit] = {
            "N": n,
            "N1": n1,
            "N2": n2,
            "distinct_facts": len(counts),
            "oracle_good_turing": rounded(oracle),
            "true_missing_mass": rounded(missing / z),
            "expected_missing_mass": rounded(e_missing / z),
            "expected_N": rounded(e_n),
            "expected_N1": rounded(e_n1),
            "expected_good_turing": rounded(e_n1 / e_n),
            "interval_halfwidth": rounded(halfwidth(n)) if n else None,
            "occurrence_rate_per_document": rounded(z),
        }
    return out


def halfwidth(n: int, delta: float = DELTA) -> float:
    """The distribution-free half-width w = 1/N + (1+√2)·√(ln(4/δ)/N)."""
    return 1 / n + (1 + math.sqrt(2)) * math.sqrt(math.log(4 / delta) / n)


# ----------------------------------------------------------------------------- driver


@dataclass
class Sample:
    people: list[Person]
    pi: list[float]
    docs: list[Doc]
    facts: list[FactProb]


def generate(
    seed: int, docs: int, n_people: int = DEFAULT_PEOPLE, zipf_s: float = ZIPF_S
) -> Sample:
    rng = random.Random(seed)
    people = make_population(rng, n_people)
    pi = popularity(rng, n_people, zipf_s)
    cumulative: list[float] = []
    acc = 0.0
    for x in pi:
        acc += x
        cumulative.append(acc)
    documents = [make_document(rng, k, people, cumulative) for k in range(docs)]
    return Sample(people, pi, documents, fact_distribution(people, pi))


def jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def write(sample: Sample, out: Path, seed: int, zipf_s: float) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    mentions = [row for d in sample.docs for row in d.mentions]
    observed_lists: dict[tuple[str, str, str], list[int]] = {}
    doc_sets: dict[tuple[str, str, str], list[str]] = {}
    for row in mentions:
        key = (row["entity"], row["attribute"], row["value"])
        observed_lists.setdefault(key, [0, 0])[0] += 1
        ids = doc_sets.setdefault(key, [])
        if not ids or ids[-1] != row["doc_id"]:
            ids.append(row["doc_id"])
            observed_lists[key][1] += 1
    observed = {k: (v[0], v[1]) for k, v in observed_lists.items()}

    facts = sample.facts
    z_m = math.fsum(f.expected_count for f in facts)
    z_d = math.fsum(f.u for f in facts)
    fact_rows = [
        {
            "entity": f.entity,
            "attribute": f.attribute,
            "value": f.value,
            "precision": f.precision,
            "alternative": f.alternative,
            "mentions": observed[f.key][0],
            "documents": observed[f.key][1],
            "p_mention": rounded(f.expected_count / z_m),
            "p_document": rounded(f.u / z_d),
        }
        for f in sorted(facts, key=lambda f: f.key)
        if f.key in observed
    ]
    docs_n = len(sample.docs)
    overall = unit_summary(facts, observed, docs_n)
    per_attribute: dict[str, Any] = {}
    for attribute in ATTRIBUTES:
        sub = [f for f in facts if f.attribute == attribute]
        summary = unit_summary(sub, observed, docs_n)
        summary["mention"]["share"] = rounded(math.fsum(f.expected_count for f in sub) / z_m)
        summary["document"]["share"] = rounded(math.fsum(f.u for f in sub) / z_d)
        per_attribute[attribute] = summary
    truth = {
        "generator": "data/generate_sample.py",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "parameters": {
            "documents": docs_n,
            "people": len(sample.people),
            "zipf_s": zipf_s,
            "death_share": DEATH_SHARE,
            "honorific_share": HONORIFIC_SHARE,
            "state_prob": STATE_PROB,
            "repeat_prob": REPEAT_PROB,
            "alternative_prob": ALT_PROB,
            "precision_slot1": {a: dict(v) for a, v in PRECISION_SLOT1.items()},
            "precision_slot2": {a: dict(v) for a, v in PRECISION_SLOT2.items()},
            "place_variant_prob": PLACE_VARIANT_PROB,
            "lead_fact_prob": LEAD_FACT_PROB,
            "combine_prob": COMBINE_PROB,
            "subject_form_prob": dict(SUBJECT_FORM_PROB),
            "source_prob": dict(SOURCE_PROB),
            "sentences": [MIN_SENTENCES, MAX_SENTENCES],
            "interval_delta": DELTA,
        },
        "counts": {
            "documents": docs_n,
            "people": len(sample.people),
            "people_in_sample": len({d.title for d in sample.docs}),
            "statements": len(mentions),
            "distinct_facts": len(observed),
            "document_fact_pairs": sum(v[1] for v in observed.values()),
            "possible_facts": len(facts),
            "alternative_statements": sum(1 for row in mentions if row["alternative"]),
        },
        "missing_mass": overall,
        "per_attribute": per_attribute,
        "definitions": {
            "mention": "occurrence = one fact statement; p_i = E[statements of i per doc] / sum",
            "document": "occurrence = (document, fact) pair; p_i = P(doc states i) / sum",
            "true_missing_mass": "sum of p_i over facts not stated in this sample",
            "oracle_good_turing": "N1/N from truth_mentions.jsonl",
            "expected_missing_mass": "E[true_missing_mass] over samples of this many documents",
            "expected_good_turing": "E[N1]/E[N] over samples of this many documents",
            "per_attribute": "the same with p_i renormalised within the attribute",
        },
    }
    (out / "corpus.jsonl").write_text(
        jsonl(
            {"id": d.doc_id, "title": d.title, "text": d.text, "source": d.source}
            for d in sample.docs
        ),
        encoding="utf-8",
        newline="\n",
    )
    (out / "truth_mentions.jsonl").write_text(jsonl(mentions), encoding="utf-8", newline="\n")
    (out / "truth_facts.jsonl").write_text(jsonl(fact_rows), encoding="utf-8", newline="\n")
    (out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    return truth


def check_lists() -> None:
    """Guard the built-in lists: unique names, and no name that is also a city."""
    cities = {c for c, _ in CITIES}
    for lst in (MALE_FIRST, FEMALE_FIRST, SURNAMES, tuple(cities)):
        assert len(set(lst)) == len(lst), "duplicate in a built-in list"
    assert not (set(MALE_FIRST) | set(FEMALE_FIRST) | set(SURNAMES)) & cities
    assert all(o[0] not in "aeiou" for o in OCCUPATIONS), "the templates say 'a {occupation}'"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
    parser.add_argument("--zipf-s", type=float, default=ZIPF_S)
    args = parser.parse_args(argv)
    check_lists()
    sample = generate(args.seed, args.docs, args.people, args.zipf_s)
    truth = write(sample, args.out, args.seed, args.zipf_s)
    counts = truth["counts"]
    print(
        f"wrote {counts['documents']} documents, {counts['statements']} statements, "
        f"{counts['distinct_facts']} distinct facts to {args.out}"
    )
    for unit, s in truth["missing_mass"].items():
        print(
            f"{unit}: N={s['N']} N1={s['N1']} oracle N1/N={s['oracle_good_turing']:.4f} "
            f"true missing mass={s['true_missing_mass']:.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
