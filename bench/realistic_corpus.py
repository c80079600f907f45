"""A seeded benchmark corpus that looks like web text: most sentences state no catalog fact.

    .venv/bin/python bench/realistic_corpus.py --size-mb 5 [--seed 0] [--out FILE]
                                                [--corpora ../shared/corpora]

Writes JSONL (``id``, ``title``, ``text``, ``source``) of about ``--size-mb`` MB (10^6 bytes
of the file) and beside it ``FILE.stats.json``: documents, MB, words, sentences, the share
of sentences that pass the catalog prefilter
(:func:`singleton_rate.extract.prefilter.build_prefilter` on each sentence), the share that hold
a fact, and the same per source and per kind of sentence.

What the corpus holds (``source`` names the kind of page):

* ``encyclopedia`` (about 1 document in 8): a REAL Wikipedia paragraph about a person
  (a Google-RE evidence snippet, dense in birth dates and places), a few REAL Wikipedia
  sentences from T-REx (any of its 28 relations, most of which the catalog does not
  extract), and generated encyclopedic sentences that state no catalog fact.
* ``news``, ``review``, ``howto``, ``forum``: web pages generated from varied templates
  over a sizable vocabulary (real names of people, places, companies, products, shows and
  networks taken from T-REx's labels, plus hand-written word lists), with boilerplate,
  lists, quotes and signatures, and long-tailed lengths (log-normal sentence counts).

Trigger words in non-fact contexts, at natural rates, so that the prefilter is not
flattered: "works great", "based on", "get started", "the battery died", "well-founded",
"married couples", "the staff was friendly" (a copula and a word of the occupation
lexicon), "is a native speaker", "* " list bullets (the catalog's "b." / "*" birth marks).
Some such phrases do not pass the word-level prefilter ("newborn", "airborne") and are
there because real text has them. A few web sentences do state facts (profiles,
obituaries, company pages), as real pages do.

The prefilter pass rate (about 6% of sentences at the defaults; see the stats file) was
chosen from word frequencies of general English web text: the single-word triggers
("work" and its forms, "based", "started", "created", "launched", "born", "died",
"married", …) together occur about 2,000–2,500 times per million tokens, which puts one in
about 4% of 20-word sentences; a copula with one of the 477 occupation-lexicon words
("music", "game", "staff", "manager", "host", …) adds a few percent more in reviews and
forums. Encyclopedic text passes far more often (about half of Wikipedia's sentences), so
its share of the corpus decides much of the rate; it is kept near a web crawl's.

Sentences hold a fact "by construction": a Google-RE sentence that contains its gold
object, a T-REx sentence of a relation the catalog extracts (P19, P20, P27, P106, P108,
P159), and the generated fact templates. Other real sentences may state catalog facts
incidentally; they are counted as holding none.

The same seed gives the same bytes, and a smaller corpus is a prefix of a larger one (one
random stream, cut at the size), so sizes differ only in length. Real paragraphs are reused
across and within sizes, each time under a fresh document id. The shared corpora are read
in place, never copied.
"""

# ruff: noqa: E501  (template tables: one sentence template a line, unbroken)
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
# Bump when the output for a given (size, seed) changes, so cached corpora are remade.
VERSION = 1
MB = 1_000_000

# Share of documents per source (a web crawl: encyclopedic pages are a small part).
SOURCE_WEIGHTS: dict[str, float] = {
    "encyclopedia": 0.12,
    "news": 0.26,
    "review": 0.22,
    "howto": 0.15,
    "forum": 0.25,
}
# Per source: (median sentences, log-normal sigma, share of trigger sentences, share of
# fact sentences). Trigger and fact shares apply to the generated body sentences.
SHAPES: dict[str, tuple[float, float, float, float]] = {
    "encyclopedia": (12.0, 0.7, 0.06, 0.0),
    "news": (20.0, 0.65, 0.035, 0.006),
    "review": (14.0, 0.85, 0.04, 0.001),
    "howto": (16.0, 0.6, 0.035, 0.0),
    "forum": (12.0, 1.0, 0.035, 0.002),
}
MAX_SENTENCES = 900
# T-REx relations the catalog extracts: their evidence sentences hold a fact.
FACT_RELATIONS = frozenset({"P19", "P20", "P27", "P106", "P108", "P159"})
# Google-RE's sentence splitter does not matter much; this one keeps "Dr. X" mostly whole.
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREV_END = re.compile(
    r"(?:^|[\s(])(?:[A-Za-z]|St|Dr|Mr|Mrs|Ms|Jr|Sr|Co|Inc|No|vs|ca|Gen|Col|Lt|Rev|Mt)\.$"
)
_SLOT = re.compile(r"\{(\w+)\}")
_ALT = re.compile(r"\[([^\[\]]*)\]")


# --------------------------------------------------------------------------------------------
# Vocabulary: hand-written lists; real names come from T-REx labels at load time
# --------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


def _phrases(text: str) -> list[str]:
    return [p.strip() for p in text.split("|") if p.strip()]


def _templates(text: str) -> list[str]:
    """One template a line (a trailing "|" is dropped): "|" also separates alternatives."""
    return [t for t in (line.strip().removesuffix("|").strip() for line in text.splitlines()) if t]


FIRST_NAMES = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Chris Lisa Daniel Nancy Matthew "
    "Betty Anthony Sandra Mark Ashley Donald Kimberly Steven Emily Paul Donna Andrew Michelle "
    "Joshua Carol Kenneth Amanda Kevin Melissa Brian Deborah George Stephanie Tim Rebecca "
    "Ronald Sharon Jason Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric "
    "Shirley Jonathan Anna Larry Brenda Justin Pamela Scott Emma Brandon Nicole Ben Helen "
    "Samuel Samantha Greg Katherine Alexander Christine Frank Debra Raymond Rachel Jack "
    "Carolyn Dennis Janet Jerry Maria Tyler Olivia Aaron Heather Jose Diane Adam Julie "
    "Nathan Joyce Henry Victoria Zach Kelly Peter Christina Kyle Lauren Noah Joan Ethan "
    "Evelyn Jeremy Judith Walter Megan Christian Andrea Keith Cheryl Roger Hannah Terry "
    "Jacqueline Austin Martha Sean Gloria Gerald Teresa Carl Ann Harold Sara Dylan Madison "
    "Arthur Frances Lawrence Kathryn Jordan Janice Jesse Jean Bryan Abigail Billy Alice "
    "Bruce Judy Gabriel Sophia Joe Grace Logan Denise Albert Amber Willie Doris Alan Marilyn "
    "Juan Danielle Wayne Beverly Elijah Isabella Randy Theresa Roy Diana Vincent Natalie "
    "Ralph Brittany Eugene Charlotte Russell Marie Bobby Kayla Mason Alexis Philip Lori "
    "Priya Wei Hiroshi Yuki Ahmed Fatima Olga Pierre Sven Ingrid Carlos Lucia Mateo Aisha"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart "
    "Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed "
    "Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray "
    "Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez "
    "Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales "
    "Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds "
    "Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar "
    "Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington "
    "Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson "
    "Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes "
    "Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice "
    "Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant "
    "Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart Bradley Knight "
    "Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Ray Berry Perkins "
    "Hoffman Johnston Matthews Pena Richards Willis Carpenter Lawrence Sandoval Guerrero "
    "Yamamoto Tanaka Kowalski Novak Larsen Dubois Rossi Muller Okafor Mensah Singh Ivanova"
)
CITIES = _phrases(
    "Portland|Austin|Denver|Leeds|Manchester|Glasgow|Bristol|Toronto|Vancouver|Melbourne|"
    "Brisbane|Auckland|Dublin|Cork|Boston|Chicago|Seattle|Atlanta|Phoenix|Nashville|Tucson|"
    "Sacramento|Pittsburgh|Cleveland|Milwaukee|Minneapolis|Omaha|Tulsa|Raleigh|Richmond|"
    "Baltimore|Philadelphia|San Diego|San Jose|Las Vegas|Salt Lake City|Kansas City|"
    "St. Louis|New Orleans|Houston|Dallas|Miami|Orlando|Tampa|Charlotte|Detroit|Buffalo|"
    "Albany|Hartford|Providence|Newcastle|Sheffield|Nottingham|Cardiff|Edinburgh|Belfast|"
    "Brighton|Oxford|Cambridge|York|Bath|Calgary|Ottawa|Montreal|Halifax|Winnipeg|Perth|"
    "Adelaide|Wellington|Berlin|Munich|Hamburg|Vienna|Zurich|Geneva|Lyon|Marseille|Madrid|"
    "Barcelona|Lisbon|Porto|Rome|Milan|Naples|Amsterdam|Rotterdam|Brussels|Copenhagen|"
    "Oslo|Stockholm|Helsinki|Warsaw|Prague|Budapest|Athens|Istanbul|Tokyo|Osaka|Seoul|"
    "Singapore|Mumbai|Delhi|Bangalore|Cape Town|Nairobi|Lagos|Cairo|Mexico City|Lima|"
    "Bogota|Santiago|Buenos Aires|Sao Paulo"
)
REGIONS = _phrases(
    "the Midwest|the Pacific Northwest|New England|the South West|the Highlands|the Lake "
    "District|the Bay Area|the Gulf Coast|Scandinavia|the Balkans|the Alps|the Andes|"
    "southern Europe|East Asia|West Africa|the Caribbean|the Mediterranean|the Outback|"
    "the Rockies|the Great Lakes region|the coast|the countryside|the suburbs|downtown"
)
NATIONALITIES = _words(
    "American British French German Italian Spanish Portuguese Dutch Belgian Swiss Austrian "
    "Swedish Norwegian Danish Finnish Polish Czech Hungarian Greek Turkish Russian Ukrainian "
    "Irish Scottish Welsh Canadian Mexican Brazilian Argentine Chilean Peruvian Colombian "
    "Japanese Chinese Korean Vietnamese Thai Indian Pakistani Egyptian Nigerian Kenyan "
    "Australian"
)
OCCUPATIONS = _words(
    "actor actress singer writer journalist painter architect engineer physician lawyer "
    "teacher chef photographer novelist poet composer pianist guitarist drummer designer "
    "economist historian physicist chemist biologist mathematician politician diplomat "
    "footballer cricketer cyclist swimmer boxer sculptor filmmaker producer director "
    "entrepreneur banker accountant nurse pilot professor researcher editor illustrator "
    "comedian dancer violinist"
)
ADJ = _words(
    "good great nice solid decent excellent awful terrible cheap expensive pricey affordable "
    "small large huge tiny compact heavy light quiet loud noisy bright dim warm cold hot cool "
    "fresh stale crisp soggy sweet salty bitter sour spicy bland rich creamy smooth rough "
    "sturdy flimsy durable fragile reliable comfortable uncomfortable spacious cramped "
    "clean dirty tidy messy modern old new vintage classic simple complicated confusing "
    "clear intuitive clunky fast slow quick sluggish responsive laggy friendly rude helpful "
    "useless handy practical elegant ugly pretty stylish plain colorful dull busy calm "
    "crowded empty popular obscure odd strange weird funny boring interesting surprising "
    "impressive disappointing underwhelming overpriced generous tasty delicious perfect "
    "fine okay mediocre average subtle gentle harsh soft firm thin thick narrow wide "
    "shallow deep steep flat shiny matte glossy waterproof portable wireless"
)
NOUN = _words(
    "battery screen keyboard charger cable case lid handle strap zipper pocket button knob "
    "switch remote speaker microphone headset camera lens tripod printer router laptop "
    "tablet phone monitor mouse desk chair sofa mattress pillow blanket curtain lamp rug "
    "shelf drawer cabinet fridge oven stove kettle toaster blender mixer pan pot skillet "
    "knife cutting board bowl mug plate glass bottle jar lid sink faucet shower toilet "
    "bathtub mirror towel soap shampoo paint brush roller ladder drill hammer screwdriver "
    "wrench saw nail screw bolt glue tape fence gate garden lawn hedge path patio deck roof "
    "gutter window door lock key hinge wall floor ceiling tile carpet stairs basement attic "
    "garage driveway car bike tyre wheel brake seat mirror engine trunk hood bus train "
    "ticket platform station airport flight gate luggage suitcase backpack jacket coat "
    "boots shoes socks shirt dress sweater scarf hat gloves umbrella watch ring necklace "
    "room lobby pool gym breakfast dinner lunch menu dessert coffee tea soup salad burger "
    "pizza pasta steak fries sauce bread cake pie cookie sandwich noodles rice curry "
    "wine beer cocktail juice view beach trail park river lake bridge museum market square "
    "street neighborhood town village weather rain wind snow sunshine traffic parking "
    "noise smell taste price value quality design color size shape weight sound picture "
    "signal connection update app website account password email order package delivery "
    "refund receipt warranty manual instructions setup installation service"
)
VERB_PAST = _words(
    "bought ordered tried returned replaced fixed cleaned painted moved sold checked tested "
    "visited booked cancelled upgraded installed assembled cooked baked cut measured "
    "ordered received opened unpacked charged dropped lost found borrowed rented watched "
    "read heard noticed missed liked loved hated enjoyed recommended compared chose picked"
)
TIMES = _phrases(
    "last week|last month|yesterday|this morning|over the weekend|a few days ago|last year|"
    "two weeks ago|on Monday|on Friday night|in the spring|last summer|over the holidays|"
    "a couple of months ago|earlier today|back in March|in January|around Christmas"
)
TASKS = _phrases(
    "clean a cast iron skillet|fix a leaky faucet|paint a bedroom|replace a bike chain|"
    "bake sourdough bread|set up a home network|unclog a drain|hang a heavy mirror|"
    "grow tomatoes on a balcony|train a puppy to sit|make cold brew coffee|patch drywall|"
    "change a car tyre|descale a kettle|organize a small closet|remove rust from tools|"
    "brew kombucha|back up your phone|lower your electricity bill|plan a road trip|"
    "write a cover letter|build a raised garden bed|sharpen kitchen knives|"
    "make homemade pasta|insulate a drafty window|repot a houseplant|"
    "learn to juggle|prepare for a job interview|clean a laptop keyboard|"
    "store winter clothes|make a budget spreadsheet|choose a running shoe|"
    "speed up an old computer|remove a stripped screw|restore wooden furniture"
)
TOPICS = _phrases(
    "the new bus schedule|parking downtown|the school board meeting|property taxes|"
    "the local election|road repairs on Main Street|the summer festival|the heat wave|"
    "flooding near the river|the new stadium|rent prices|the library renovation|"
    "the farmers market|the recycling program|internet outages|the marathon route|"
    "the hospital expansion|the airport noise|the zoning proposal|the water main break|"
    "the budget shortfall|the teachers' contract|the new bike lanes|the ferry service"
)
FOODS = _phrases(
    "the fish tacos|the ramen|the pad thai|the burger|the lasagna|the pancakes|the chili|"
    "the dumplings|the risotto|the brisket|the falafel wrap|the chicken curry|the clam "
    "chowder|the tiramisu|the cheesecake|the croissants|the espresso|the lemonade|the "
    "margherita pizza|the Caesar salad|the pho|the gelato|the bagels|the nachos"
)
UNITS = _words("minutes hours days weeks months")
MONTHS = _words(
    "January February March April May June July August September October November December"
)
SITE_WORDS = _words(
    "Daily Weekly Gazette Herald Tribune Times Post Journal Review Digest Hub Corner Lab "
    "Guide Notes Report Insider Monitor Chronicle Observer Beacon Ledger"
)
USER_WORDS = _words(
    "blue quiet happy lazy rusty silver night early coffee garden tech retro pixel wild "
    "lucky sunny stormy urban noble tiny mighty dusty electric frozen golden"
)
USER_NOUNS = _words(
    "fox owl wolf hiker baker rider coder panda tiger otter falcon nomad walker reader "
    "gamer fan dad mom kid guy gal cat dog bear moose"
)


# --------------------------------------------------------------------------------------------
# Templates. {slot} is a vocabulary word; [a|b|c] picks one (an empty alternative: nothing).
# PLAIN: no single-word trigger of the catalog (some still pass: a copula and a lexicon
# noun, "the staff was friendly", as in real text). TRIGGER: catalog trigger words in
# contexts that state no catalog fact. FACT: statements of catalog facts.
# --------------------------------------------------------------------------------------------

COMMON_PLAIN = _templates(
    """
    To be honest, I did not expect much from {noun_the}.|
    [That said|Still|Overall|In the end], it was [worth it|not worth the money|fine for the price].|
    We [went back|came back|returned] {time} and [nothing had changed|it was even better|it was closed].|
    The {noun} [is|was|seems] [a bit|quite|really|far too|surprisingly] {adj}.|
    [Honestly|Frankly|To be fair], the {noun} could be [better|worse|cheaper|bigger].|
    If you [live|stay|park] near {city}, [give it a try|avoid it on weekends|book ahead].|
    I [paid|spent] about ${price} for [mine|it|the pair|the set].|
    It took [about|nearly|almost|over] {n} {unit} to [arrive|ship|set up|dry|cool down].|
    [Anyway|So|Well], that is [my two cents|what happened|the whole story|where things stand].|
    The {noun} and the {noun2} [are|were] both {adj}, but the {noun3} [is|was] {adj2}.|
    [Nobody|No one|Hardly anyone] [seemed to care|noticed|complained|said a thing].|
    There [is|was] [plenty of|not much|a lot of|hardly any] {noun} [left|available|nearby].|
    [Prices|Costs|Fees] [went up|rose|dropped|stayed flat] by {n} percent {time}.|
    [My|Our] {relative} [thinks|says|insists] the {noun} [is|was] {adj}.|
    [Let me know|Tell me|Drop a comment] if you [have questions|disagree|need the link].|
    """
)

NEWS_PLAIN = _templates(
    """
    City officials in {city} said on {weekday} that {topic} would be discussed next month.|
    The council voted {n} to {n2} to approve the plan, which [critics|residents|opponents] called {adj}.|
    Traffic on the {road} was slowed for [several|two|three] hours after a {vehicle} overturned.|
    [Residents|Commuters|Shop owners] said they had [little|no|some] warning before the closure.|
    The [report|survey|audit|study] found that {n} percent of [households|respondents|drivers|students] were affected.|
    "We are [looking into|aware of|monitoring] the situation," a spokesperson for {org} said.|
    The [agency|department|ministry|office] did not respond to a request for comment.|
    [Police|Officials|Authorities] asked [drivers|residents|visitors] to avoid the area until {weekday}.|
    [Shares|Stocks] of {org} [fell|rose|climbed|slipped] {n} percent in early trading on {weekday}.|
    The [deal|merger|agreement|acquisition] is expected to close in the {quarter} quarter.|
    Analysts had expected [revenue|profit|sales] of about ${n} million for the period.|
    The [forecast|outlook] calls for {weather} through the weekend in {region}.|
    Temperatures [could reach|may drop to|will hover around] {n} degrees by {weekday}.|
    The [festival|parade|concert|fair] drew [crowds|thousands of visitors|families] to {city} over the weekend.|
    Tickets [go on sale|sold out|are still available] [on {weekday}|within hours|online].|
    The [team|club|side] [won|lost|drew] {n}-{n2} against {city} on {weekday} night.|
    [Fans|Supporters] [lined the streets|filled the stadium|waited for hours] to see the [team|players|parade].|
    The [bill|measure|proposal] now goes to the [senate|assembly|governor] for a final vote.|
    [Critics|Supporters] of the [plan|bill|project] say it [goes too far|does not go far enough|is overdue].|
    The [bridge|road|station|line] will [reopen|close] {time_future}, according to the transit authority.|
    {show} [returns|ends|airs its finale] on {network} {time_future}.|
    The [episode|season|special] drew {n} million viewers, the network said.|
    {org} [said|announced|confirmed] it would [cut|add] {n}00 jobs over the next year.|
    The [recall|warning|notice] covers about {n},000 units of the {product} sold since {year}.|
    [Investigators|Inspectors] are still trying to determine what caused the [fire|outage|leak|crash].|
    No injuries were reported, and the cause of the [fire|outage|leak] is under investigation.|
    The [museum|gallery|library|theater] in {city} will [extend its hours|offer free entry|close for repairs] this summer.|
    """
)
NEWS_TRIGGER = _templates(
    """
    Road work on the {road} is expected to last until {month}.|
    Crews worked through the night to restore power to {n},000 homes in {city}.|
    The [proposal|plan|policy] is based on a [study|survey|report] of {n} [cities|schools|hospitals].|
    The [program|service|app] was launched [in {year}|last spring|{time}] and now has {n}0,000 users.|
    Construction [started|began] in {month} and is expected to finish in {year2}.|
    The [agency|city|company] hired {n} new [inspectors|drivers|nurses|teachers] this year.|
    [Concerns|Fears|Complaints] about [noise|safety|costs] proved well-founded, the report said.|
    The [hospital|clinic] opened a new unit for newborn care in {month}.|
    The [driver|manager|coach|director] was [not available|unavailable] for comment.|
    The new [manager|coach|director|host] is {person}, who [joined|came over] from {org}.|
    The [company|firm|startup], based in {city}, [makes|sells|designs] {product_kind}.|
    [Volunteers|Residents] formed a [committee|group|coalition] to oppose the [plan|project|closure].|
    The [event|ceremony|dinner] was attended by about {n}00 [guests|people|supporters].|
    The [engine|generator|power supply] died [twice|shortly after takeoff|during the storm], officials said.|
    Engineers studied the [bridge|dam|tunnel] for {n} months before [approving|rejecting] the repairs.|
    Married couples filing jointly will see [a larger|a smaller|no] deduction next year.|
    The [agency|department] employed {n}00 [seasonal workers|contractors|staff] last year.|
    [Workers|Staff] at the {org} plant [voted|agreed] to [strike|accept the offer] on {weekday}.|
    The [school|district|college] said {n} percent of [students|pupils] graduated on time.|
    The [policy|scheme|fund] was established [in {year}|after the flood|by the council] to help [renters|farmers|small businesses].|
    The [music|film|art] festival is a [major|big|growing] draw for [tourists|visitors|the city].|
    """
)
NEWS_FACT = _templates(
    """
    {person}, who was born in {place} in {year}, [joined|led|took over] the [team|company|group] in {year2}.|
    {person} was born on {date} in {place}.|
    {person} (born {year}) is [a|one] {nationality} {occupation} based in {city}.|
    {person} died on {date} in {place}. [He|She] was {age}.|
    {person}, a {nationality} {occupation}, died at [his|her] home in {place} on {date}.|
    {org} was founded in {year} and is headquartered in {city}.|
    {person} is {a_occupation} who has worked for {org} since {year2}.|
    {person} married {person2} in {year}.|
    {person} studied at the University of {city} before [moving|returning] to {place}.|
    """
)
REVIEW_PLAIN = _templates(
    """
    I {verb_past} the {noun} {time} and [so far|honestly|overall] I am [happy|impressed|disappointed|on the fence].|
    The [build quality|finish|fit|packaging] [is|was|feels] {adj} for the price.|
    [Battery life|Sound quality|The picture|The grip] [is|was] {adj}, [but|and] the {noun} [is|was] {adj2}.|
    [Setup|Assembly|Installation] took about {n} {unit} and the [manual|instructions] [were|was] {adj}.|
    [Five|Four|Three|Two|One] stars [because|since] the {noun} [broke|cracked|wobbles|rattles] after {n} {unit}.|
    {food} [was|were] {adj}, [but|and] the [service|wait|bill] [was|were] {adj2}.|
    We [waited|sat|queued] for {n} minutes before anyone [took our order|came over|noticed us].|
    The room was {adj} and the [bed|shower|view|breakfast] was {adj2}.|
    [Check-in|Checkout|Parking] was [a breeze|a nightmare|easy|confusing] and [cost|took] [$|]{n}[ dollars| minutes|].|
    [Would|Will] [definitely|probably|not] [buy|order|stay|eat here] again.|
    [Pros|Cons]: {adj} {noun}, {adj2} {noun2}, [easy|hard] to [clean|carry|store].|
    For the price, the {product} is [hard to beat|a steal|not a bad deal|overpriced].|
    [Compared to|Next to|Unlike] my old {noun}, this one is [much|a little|way] {adj}.|
    [Customer service|Support|The seller] [replied|answered|got back to me] within {n} {unit}.|
    It [fits|sits|folds] [nicely|neatly|awkwardly] [in|on|under] the {noun}.|
    The [color|finish|fabric] [looks|looked] [different|darker|lighter|cheaper] than in the photos.|
    [My kids|My partner|My roommate|Everyone] [loves|hates|can't stop using] it.|
    [Update|Edit]: after {n} {unit} the {noun} [still holds up|began to fade|no longer charges].|
    The [staff|host|waiter|driver|manager|receptionist|cashier|delivery guy|front desk|bartender] was [friendly|rude|helpful|slow|attentive].|
    The [music|game|film|book|show|album|sequel|app] is {adj} and the [sound|picture|story|layout] is {adj2}.|
    """
)
REVIEW_TRIGGER = _templates(
    """
    [Works|Worked] [great|fine|as advertised|perfectly] [out of the box|for the first month|with my {noun}].|
    It [stopped working|quit working|doesn't work] after {n} {unit}.|
    Based on [my experience|other reviews|the price], I [expected more|would recommend it|am happy].|
    The battery died [after two hours|on the first day|in the cold|halfway through the trip].|
    [Great|Good|Fine] for married couples [and|or] families with [kids|teenagers|pets].|
    [Once you get started|Getting started|When I first started], it is [easy|confusing|fun] to use.|
    I [created|set up] an account [in seconds|in a few minutes|with my email] and [it worked|nothing happened].|
    The [sauce|batter|crust] formed a [nice|thin|thick] [crust|layer|skin] on top.|
    It is a [plant-based|water-based|web-based|cloud-based] [option|product|service] that [works|runs] well.|
    The [waiter|host|chef|manager] [was|is] clearly trained [well|to upsell|in hospitality].|
    [My husband|My wife|My partner] and I have been married {n} years and this was our [favorite|worst] trip.|
    We [attended|went to] a [wedding|concert|conference] nearby and [stayed|booked] two nights.|
    The [app|device|printer] [launched|started up] [quickly|slowly|after a firmware update].|
    Our [guide|driver|host] was a [former teacher|retired engineer|local artist] who [knew|loved] the area.|
    A well-founded [complaint|worry|concern] is the [price|weight|noise].|
    It [works|worked] with [my|our] {noun} [but|and] not with the {noun2}.|
    The seller was [hired|employed] by the [manufacturer|brand] to [answer|handle] reviews, I think.|
    """
)
REVIEW_FACT = _templates(
    """
    The [restaurant|shop|bakery] was founded in {year} by {person}.|
    {org} is headquartered in {city}, [which explains|hence] the [prices|shipping times].|
    """
)
HOWTO_PLAIN = _templates(
    """
    [First|Next|Then|After that|Finally], {step}.|
    Make sure the {noun} is [dry|clean|cool|unplugged|level] before you [begin|continue|start sanding].|
    You will need a {noun}, a {noun2} and [some|a little|about a cup of] {material}.|
    [Let it|Leave it to] [sit|dry|soak|rest|cool] for [about|at least|up to] {n} {unit}.|
    [Be careful|Take care|Watch out] not to [overtighten|scratch|overfill|burn] the {noun}.|
    If the {noun} [still|keeps] [leaks|squeaks|sticks|rattles], repeat [step {n}|the last step].|
    [This step|This part|The whole thing] [takes|should take] [about|around|less than] {n} {unit}.|
    [Tip|Note|Warning]: [do not|never|always] [use|mix|leave] {material} [near|on|with] the {noun}.|
    [Measure|Mark|Check] the {noun} [twice|carefully|again] and [cut|drill|trim] once.|
    [Wipe|Rinse|Dry] the {noun} with a [soft|damp|clean] cloth.|
    [Store|Keep] [it|the {noun}] in a [cool|dry|dark] place [away from|out of reach of] [children|pets|sunlight].|
    [Step {n}|Step {n2}]: {step}.|
    Skip this step if your {noun} [is|was] already {adj}.|
    [Most|Many|Some] [people|beginners|readers] [find|say] this [easier|harder|faster] than expected.|
    """
)
HOWTO_TRIGGER = _templates(
    """
    [Before you get started|To get started|Once you have started], [gather|lay out|check] your [tools|supplies|materials].|
    [This method|The trick|This approach] works [best|well|only] on [hardwood|cotton|stainless steel|clay soil].|
    Use a [water-based|oil-based|solvent-based] [paint|primer|cleaner|sealant] for [indoor|outdoor] [walls|jobs].|
    If it still doesn't work, [try|check|replace] the {noun}.|
    Once a [skin|crust|film] has formed, [stir|flip|remove] it [gently|quickly|carefully].|
    I created this [guide|checklist|spreadsheet] after [several|a few] [failed attempts|trips|projects].|
    The [recipe|technique|method] is based on [my grandmother's|a classic|an old] [recipe|trick|method].|
    If your [phone|laptop|drill] battery died, [charge|replace|warm] it [first|before continuing].|
    [Professionals|Experts|Contractors] [trained|employed] in this [trade|field] [charge|ask] about ${n} an hour.|
    [Work|Working] in [small|short|thin] [sections|batches|layers] so it [does not dry|sets evenly].|
    * {step_short}|
    Is the {noun} a [model|set|track] that [clicks|snaps|slides] into place?|
    """
)
FORUM_PLAIN = _templates(
    """
    [Same here|Same problem|Me too|+1], [any update|any luck|did you ever fix it]?|
    [Has anyone|Did anyone|Does anyone] [tried|try|had|seen] [this|the same thing|{product}]?|
    [I think|IMO|IMHO|Honestly] the {noun} [is|was] [the problem|fine|overrated|the real issue].|
    [Thanks|Thank you|Cheers], that [did the trick|helped a lot|fixed it|makes sense].|
    [Not sure|No idea|Hard to say] [what happened|why|if that helps], [sorry|but good luck].|
    [lol|haha|ugh|meh], [same|that is the worst|been there].|
    [Bump|Bumping this|Anyone]?|
    Did you [try|check|update|reset] the {noun} [yet|first|already]?|
    [Mine|Ours] [does|did] the same thing [when it is cold|after the update|every morning].|
    [Edit|EDIT|Update]: [nevermind|solved|still broken], [see below|thanks all|will report back].|
    [We|I] [moved|drove|flew] to {city} {time} and [love|hate|miss] it.|
    [What|Which] {noun} [do you|would you] [recommend|use|suggest] for [a beginner|the price|a small room]?|
    [Quote from|Originally posted by] {user}: [this|that|it] [is|was] {adj}.|
    The [game|music|film|track|record|ending|plot|sequel|soundtrack|book] [is|was] [so|pretty|kind of] {adj} [tbh|honestly|imo].|
    """
)
FORUM_TRIGGER = _templates(
    """
    [This|That|Your fix] [worked for me|did not work for me|works now], thanks!|
    [I|We] started [having|seeing] this [problem|error|noise] after the [update|move|storm].|
    It [works|worked] [fine|ok|sometimes] [on|with] my {noun} but not on the {noun2}.|
    My [phone|laptop|car battery] died [again|last night|in the middle of it] lol.|
    [I was born and raised|I grew up] [near|in] {city}, so [I know|trust me on] this one.|
    [I|We] created a [new account|thread|group] for [this|it|people in {city}].|
    Based on what [you said|the manual says|I read], [it|the {noun}] [should|might] [work|be fine].|
    [Work|Working] from home has [made|kept] this [easier|worse|the same] for me.|
    [My|Our] [dad|uncle|neighbor] [is|was] a [mechanic|plumber|electrician|teacher] and [says|said] the same.|
    I studied [the manual|the forum|the specs] [for an hour|twice|all night] and [found nothing|found it].|
    [Just|Finally] [launched|started] my [blog|channel|shop] [about|for] {hobby} [if anyone cares|lol].|
    * [works|worked|doesn't work] with the {noun}|
    The [manager|staff|owner] at the [store|shop|garage] [was|is] [useless|great|clueless] about it.|
    """
)
FORUM_FACT = _templates(
    """
    {person} was born in {place}, [if I remember right|fwiw|iirc].|
    {org} was founded in {year}, [way before|long before|right after] [most people realize|the rest].|
    """
)
ENC_PLAIN = _templates(
    """
    In {year}, [he|she|the family] moved to {place}, where [he|she] spent [several|many|a few] years.|
    [His|Her] early recordings were released on the {label} label.|
    The [collection|archive|estate] is now held by a museum in {place}.|
    During the {decade}s [he|she] toured [extensively|widely|regularly] in {region}.|
    [He|She] spent the last years of [his|her] life in {place}.|
    The [village|town|parish|district] lies on the [north|south|east|west] bank of the river.|
    [A|The] [statue|plaque|memorial] in {place} [commemorates|honours] [him|her|the event].|
    [His|Her] [papers|letters|diaries] were [published|edited|collected] in {year}.|
    The [album|novel|film|play] received [mixed|positive|poor|favourable] reviews.|
    The [population|area] of the [town|district|county] [was|is] {n},{n2}00 at the {year} census.|
    [Critics|Historians|Scholars] have [praised|questioned|debated] [his|her] [role|influence|legacy].|
    The [building|church|station] was [rebuilt|restored|extended|demolished] in {year}.|
    [It|The work] was [translated|adapted|reissued] into {language} in {year}.|
    """
)
ENC_TRIGGER = _templates(
    """
    The [society|club|orchestra|company] was established in {year} and [still exists|was dissolved in {year2}].|
    The [school|museum|newspaper] was founded in {year} [by local merchants|by the city|as a charity].|
    [He|She] worked [briefly|for some years|as a young man|as a young woman] on the family farm.|
    The [band|group|trio] was formed in {place} in {year}.|
    [His|Her] later work is based on [folk tunes|earlier sketches|classical models].|
    The [station|line|service] was launched in {year} and [closed|expanded] in {year2}.|
    The [prize|award|scholarship] was created in [his|her] memory in {year}.|
    The [game|film|music|art] of the period is a [popular|frequent|common] subject of study.|
    """
)


# Clauses appended to about half of the generated sentences: real sentences are longer than
# templates (about 15–20 words on the web), and length changes both the parse cost per
# sentence and how often a sentence holds some trigger word. None holds a trigger.
TAILS = _templates(
    """
    , [which|and that] [was|is] [a nice surprise|not what I expected|hard to believe|the main reason we left]
    because the {noun} [had|has] [already|finally|never] been [replaced|cleaned|checked|repaired]
    even though [we|I|they] had [asked|called|complained] [twice|several times|in advance]
    , so [we|I] [ended up with|decided on|settled for] the {adj} {noun} instead
    [after|before|while] [we|I|they] [waited|talked|looked around] for [a while|ten minutes|an hour]
    , according to [a|one] [neighbor|friend|colleague|reader] who [lives|shops|drives] [nearby|there|every day]
    and [nobody|no one] [mentioned|noticed|fixed] the {noun} until {time}
    in the {adj} [corner|part|end] of the {noun}
    for [most|some|all] of the [year|season|week|trip|afternoon]
    , as [most|many|several] [people|reviewers|readers|neighbors] [pointed out|noted|said] [earlier|above|before]
    when the [weather|traffic|crowd|queue] [is|was|got] {adj}
    , [at least|or so] [that is what|that's what] [they|the sign|the website|my {relative}] [said|says|claimed]
    with [a|the] {adj} {noun} and [a|the] {adj2} {noun2}
    near the {noun} on the [left|right|far side|ground floor]
    , [just like|unlike|much like] the {noun} we [had|saw|tried] in {city}
    """
)
P_TAIL = 0.55


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _fill_rules() -> dict[str, Callable[[random.Random, Pools], str]]:
    def pick(items: list[str]) -> Callable[[random.Random, Pools], str]:
        return lambda rng, pools: rng.choice(items)

    def date(rng: random.Random, pools: Pools) -> str:
        day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(1900, 2005)
        return rng.choice((f"{day} {month} {year}", f"{month} {day}, {year}"))

    return {
        "noun": pick(NOUN),
        "noun2": pick(NOUN),
        "noun3": pick(NOUN),
        "noun_the": lambda rng, p: "the " + rng.choice(NOUN),
        "adj": pick(ADJ),
        "adj2": pick(ADJ),
        "verb_past": pick(VERB_PAST),
        "time": pick(TIMES),
        "time_future": pick(
            _phrases("next week|on Monday|in the fall|next spring|by the end of the year")
        ),
        "city": pick(CITIES),
        "region": pick(REGIONS),
        "nationality": pick(NATIONALITIES),
        "occupation": pick(OCCUPATIONS),
        "a_occupation": lambda rng, p: _article(rng.choice(OCCUPATIONS)),
        "relative": pick(_words("wife husband mom dad sister brother son daughter partner")),
        "n": lambda rng, p: str(rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45))),
        "n2": lambda rng, p: str(rng.randint(1, 9)),
        "price": lambda rng, p: str(rng.choice((9, 15, 20, 25, 30, 40, 60, 80, 120, 250))),
        "unit": pick(UNITS),
        "age": lambda rng, p: str(rng.randint(48, 97)),
        "year": lambda rng, p: str(rng.randint(1890, 2015)),
        "year2": lambda rng, p: str(rng.randint(2016, 2026)),
        "decade": lambda rng, p: str(rng.randint(192, 199) * 10),
        "date": date,
        "month": pick(MONTHS),
        "weekday": pick(_words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")),
        "quarter": pick(_words("first second third fourth")),
        "weather": pick(
            _phrases("rain and wind|clear skies|scattered showers|heavy snow|hot, dry weather")
        ),
        "road": lambda rng, p: rng.choice(
            (f"Route {rng.randint(1, 99)}", f"{rng.choice(LAST_NAMES)} Avenue", "the ring road")
        ),
        "vehicle": pick(_words("truck bus tanker van trailer")),
        "topic": pick(TOPICS),
        "food": pick(FOODS),
        "material": pick(
            _phrases("baking soda|white vinegar|wood glue|sandpaper|dish soap|olive oil|flour")
        ),
        "step": lambda rng, p: rng.choice(STEPS).format(
            noun=rng.choice(NOUN), n=rng.choice((2, 3, 5, 10))
        ),
        "step_short": lambda rng, p: rng.choice(STEPS).format(noun=rng.choice(NOUN), n=3),
        "product_kind": pick(
            _phrases("kitchen scales|running shoes|solar panels|budgeting software|e-bikes")
        ),
        "hobby": pick(_phrases("woodworking|sourdough|birding|retro games|houseplants|fishing")),
        "language": lambda rng, p: rng.choice(p.languages),
        "label": lambda rng, p: rng.choice(p.labels),
        "person": lambda rng, p: p.person(rng),
        "person2": lambda rng, p: p.person(rng),
        "place": lambda rng, p: rng.choice(p.places),
        "org": lambda rng, p: rng.choice(p.orgs),
        "product": lambda rng, p: rng.choice(p.products),
        "show": lambda rng, p: rng.choice(p.shows),
        "network": lambda rng, p: rng.choice(p.networks),
        "user": lambda rng, p: p.user(rng),
    }


STEPS = _phrases(
    "remove the {noun} and set it aside|loosen the screws on the {noun}|"
    "apply a thin layer and wait {n} minutes|sand the surface until it feels smooth|"
    "fill the {noun} with warm water|tighten everything by hand|unplug the {noun}|"
    "mark the center of the wall with a pencil|mix the ingredients in a large bowl|"
    "rinse with cold water and pat dry|test the {noun} before reassembling|"
    "cut along the line with a sharp knife|let the {noun} cool completely|"
    "fold the edges over and press firmly|check the level again|repeat on the other side"
)


# --------------------------------------------------------------------------------------------
# Real text: Google-RE paragraphs and T-REx sentences, read in place
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A real Wikipedia paragraph: its page title and sentences, each marked fact or not."""

    title: str
    sentences: tuple[tuple[str, bool], ...]


@dataclass
class Pools:
    """Real text and real names, loaded once per process from the shared corpora."""

    paragraphs: list[Paragraph]
    trex: list[tuple[str, bool]]  # (sentence, holds a catalog fact)
    people: list[str]
    places: list[str]
    orgs: list[str]
    products: list[str]
    shows: list[str]
    networks: list[str]
    languages: list[str]
    labels: list[str]

    def person(self, rng: random.Random) -> str:
        if rng.random() < 0.5:
            return rng.choice(self.people)
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def user(self, rng: random.Random) -> str:
        style = rng.random()
        if style < 0.4:
            return f"{rng.choice(USER_WORDS)}_{rng.choice(USER_NOUNS)}{rng.randint(1, 99)}"
        if style < 0.7:
            return f"{rng.choice(FIRST_NAMES).lower()}{rng.randint(70, 2005)}"
        return f"{rng.choice(USER_WORDS).title()}{rng.choice(USER_NOUNS).title()}"


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _clean_label(label: str) -> bool:
    return 2 < len(label) <= 40 and label.isascii() and "(" not in label and ":" not in label


def _names_any(sentence: str, objects: set[str]) -> bool:
    """Whether ``sentence`` holds one of ``objects`` as whole words."""
    return any(re.search(rf"(?<!\w){re.escape(o)}(?!\w)", sentence) for o in objects)


def split_sentences(text: str) -> list[str]:
    """Sentences of real prose: a regex split, undone after abbreviations ("(b. 1867", "Dr.")."""
    out: list[str] = []
    for piece in (p.strip() for p in _SENT_SPLIT.split(text)):
        if not piece:
            continue
        if out and _ABBREV_END.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def load_pools(corpora: Path) -> Pools:
    """Real paragraphs, sentences and names from ``corpora`` (Google-RE and T-REx).

    Parameters
    ----------
    corpora : Path
        The shared corpora folder (holding ``google_re/`` and ``trex/``).

    Returns
    -------
    Pools
        In a fixed order (files sorted, lines in file order), so a seed gives one corpus.
    """
    from singleton_rate.evaluate import title_from_url, unmask

    google, trex = corpora / "google_re", corpora / "trex"
    if not google.is_dir() or not trex.is_dir():
        raise FileNotFoundError(f"{corpora}: google_re/ and trex/ are needed (see its README)")
    # Google-RE: a snippet is evidence for one or more facts; a sentence holding a gold
    # object (label or alias; the year for dates) states a fact.
    by_key: dict[tuple[str, str], set[str]] = {}
    for file in sorted(google.glob("*_test.jsonl")):
        for fact in _jsonl(file):
            objects = {fact["obj_label"], *fact.get("obj_aliases", [])}
            objects = {o[:4] for o in objects} if file.name.startswith("date") else objects
            for evidence in fact.get("evidences", []):
                key = (title_from_url(evidence.get("url", "")), evidence.get("snippet", ""))
                if key[1].strip():
                    by_key.setdefault(key, set()).update(o for o in objects if len(o) > 2)
    paragraphs = [
        Paragraph(title, tuple((s, _names_any(s, objects)) for s in split_sentences(snippet)))
        for (title, snippet), objects in by_key.items()
    ]
    sentences: list[tuple[str, bool]] = []
    seen: set[str] = set()
    names: dict[str, set[str]] = defaultdict(set)
    for file in sorted(trex.glob("P*.jsonl")):
        rel = file.stem
        for fact in _jsonl(file):
            sub, obj = str(fact.get("sub_label", "")), str(fact.get("obj_label", ""))
            if _clean_label(sub):
                names[f"{rel}:sub"].add(sub)
            if _clean_label(obj):
                names[f"{rel}:obj"].add(obj)
            for evidence in fact.get("evidences", []):
                text = unmask(evidence).strip()
                if text and text not in seen:
                    seen.add(text)
                    sentences.append((text, rel in FACT_RELATIONS))

    def union(*keys: str) -> list[str]:
        return sorted(set().union(*(names[k] for k in keys)))

    return Pools(
        paragraphs=paragraphs,
        trex=sentences,
        people=union("P19:sub", "P20:sub", "P27:sub", "P106:sub", "P937:sub", "P1303:sub"),
        places=union("P19:obj", "P20:obj", "P937:obj", "P159:obj"),
        orgs=union("P159:sub", "P108:obj", "P176:obj", "P178:obj"),
        products=union("P176:sub", "P178:sub"),
        shows=union("P449:sub"),
        networks=union("P449:obj"),
        languages=union("P407:obj", "P364:obj"),
        labels=union("P264:obj"),
    )


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------

# Sentence kinds, for the stats: generated plain / trigger / fact sentences, boilerplate
# lines, real sentences with and without a catalog fact.
KINDS = ("plain", "trigger", "fact", "boiler", "real", "real_fact")
FACT_KINDS = frozenset({"fact", "real_fact"})


@dataclass
class Page:
    """A document under construction: paragraphs of (sentence, kind)."""

    title: str
    paragraphs: list[list[tuple[str, str]]] = field(default_factory=list)

    def add(self, *sentences: tuple[str, str]) -> None:
        self.paragraphs.append(list(sentences))

    def text(self) -> str:
        return "\n\n".join(" ".join(s for s, _ in p) for p in self.paragraphs if p)

    def sentences(self) -> list[tuple[str, str]]:
        return [s for p in self.paragraphs for s in p]


class Writer:
    """Fills templates and builds pages from one random stream."""

    def __init__(self, rng: random.Random, pools: Pools) -> None:
        self.rng = rng
        self.pools = pools
        self.rules = _fill_rules()

    def fill(self, template: str) -> str:
        rng = self.rng
        text = template
        while True:  # innermost alternatives first, so they may nest
            text, n = _ALT.subn(lambda m: rng.choice(m.group(1).split("|")), text)
            if not n:
                break
        text = _SLOT.sub(lambda m: self.rules[m.group(1)](rng, self.pools), text)
        text = re.sub(r"\s{2,}", " ", text).replace(" ,", ",").replace(" .", ".").strip()
        return text[:1].upper() + text[1:]

    def body(
        self,
        plain: list[str],
        trigger: list[str],
        fact: list[str],
        p_trig: float,
        p_fact: float,
        tails: bool = True,
    ) -> tuple[str, str]:
        """One sentence: a fact, a trigger or a plain one, at the source's rates."""
        u = self.rng.random()
        if fact and u < p_fact:
            return self.fill(self.rng.choice(fact)), "fact"
        if u < p_fact + p_trig:
            text = self.fill(self.rng.choice(trigger))
            return (self.tail(text) if tails else text), "trigger"
        if not tails:  # encyclopedic: no chatty clauses, no web commonplaces
            return self.fill(self.rng.choice(plain)), "plain"
        pool = plain if self.rng.random() < 0.8 else COMMON_PLAIN
        return self.tail(self.fill(self.rng.choice(pool))), "plain"

    def tail(self, sentence: str) -> str:
        """Sometimes a clause more, before the final period."""
        if not sentence.endswith(".") or self.rng.random() >= P_TAIL:
            return sentence
        clause = self.fill(self.rng.choice(TAILS))
        clause = clause if clause.startswith(",") else " " + clause[:1].lower() + clause[1:]
        return sentence[:-1] + clause + "."

    def length(self, source: str) -> int:
        median, sigma, _, _ = SHAPES[source]
        return max(
            2, min(MAX_SENTENCES, round(math.exp(math.log(median) + sigma * self.rng.gauss())))
        )

    def paragraphs(self, page: Page, n: int, source: str, lists: tuple[list[str], ...]) -> None:
        _, _, p_trig, p_fact = SHAPES[source]
        plain, trigger, fact = lists
        while n > 0:
            k = min(n, self.rng.choice((1, 2, 2, 3, 3, 4, 5)))
            page.add(
                *(
                    self.body(plain, trigger, fact, p_trig, p_fact, source != "encyclopedia")
                    for _ in range(k)
                )
            )
            n -= k

    def boiler(self, template: str) -> tuple[str, str]:
        return self.fill(template), "boiler"


def _site(rng: random.Random) -> str:
    return f"The {rng.choice(CITIES)} {rng.choice(SITE_WORDS)}"


def news_page(w: Writer) -> Page:
    rng = w.rng
    subject = w.fill(rng.choice(HEADLINES))
    page = Page(subject)
    page.add((subject, "boiler"))
    page.add(w.boiler(f"By {{person}} | {rng.choice(MONTHS)} {rng.randint(1, 28)}, {{year2}}"))
    w.paragraphs(page, w.length("news"), "news", (NEWS_PLAIN, NEWS_TRIGGER, NEWS_FACT))
    if rng.random() < 0.6:
        page.add(w.boiler("Related: {topic} | {show} | {org}"))
    page.add(w.boiler(f"Copyright {{year2}} {_site(rng)}. All rights reserved."))
    return page


def review_page(w: Writer) -> Page:
    rng = w.rng
    item = rng.choice(
        (w.fill("{product}"), w.fill("{noun} by {org}"), f"{rng.choice(LAST_NAMES)}'s Kitchen")
    )
    page = Page(f"{item} reviews")
    page.add((f"{item}: customer reviews", "boiler"))
    page.add(w.boiler(f"Rating: {rng.randint(1, 5)}.{rng.randint(0, 9)} out of 5"))
    remaining = w.length("review")
    while remaining > 0:
        k = min(remaining, max(1, round(rng.expovariate(1 / 4))))
        page.add(w.boiler(f"{{user}} - reviewed {rng.choice(MONTHS)} {{year2}}"))
        w.paragraphs(page, k, "review", (REVIEW_PLAIN, REVIEW_TRIGGER, REVIEW_FACT))
        if rng.random() < 0.4:
            page.add(w.boiler(f"{rng.randint(1, 40)} people found this helpful."))
        remaining -= k
    return page


def howto_page(w: Writer) -> Page:
    rng = w.rng
    task = rng.choice(TASKS)
    page = Page(f"How to {task}")
    page.add((f"How to {task}", "boiler"))
    n = w.length("howto")
    intro = min(n, rng.randint(1, 4))
    w.paragraphs(page, intro, "howto", (HOWTO_PLAIN, HOWTO_TRIGGER, []))
    page.add(w.boiler("You will need:"))
    for _ in range(rng.randint(2, 6)):
        bullet = rng.choice(("-", "•", "-", "-", "*", "-", "•", "-"))
        page.add(w.boiler(f"{bullet} {_article(rng.choice(NOUN))}"))
    w.paragraphs(page, n - intro, "howto", (HOWTO_PLAIN, HOWTO_TRIGGER, []))
    return page


def forum_page(w: Writer) -> Page:
    rng = w.rng
    question = w.fill(rng.choice(THREADS))
    page = Page(question)
    page.add((question, "boiler"))
    remaining = w.length("forum")
    while remaining > 0:
        k = min(remaining, max(1, round(rng.expovariate(1 / 3))))
        page.add(w.boiler(f"{{user}} wrote on {rng.choice(MONTHS)} {rng.randint(1, 28)}:"))
        w.paragraphs(page, k, "forum", (FORUM_PLAIN, FORUM_TRIGGER, FORUM_FACT))
        if rng.random() < 0.15:
            page.add(w.boiler("Sent from my {product}"))
        remaining -= k
    return page


def encyclopedia_page(w: Writer) -> Page:
    rng = w.rng
    para = rng.choice(w.pools.paragraphs)
    page = Page(para.title)
    page.add(*((s, "real_fact" if f else "real") for s, f in para.sentences))
    n = w.length("encyclopedia")
    n_real = rng.randint(0, 3)
    w.paragraphs(page, n - n_real, "encyclopedia", (ENC_PLAIN, ENC_TRIGGER, []))
    for _ in range(n_real):  # real Wikipedia sentences of other pages, at random places
        text, fact = rng.choice(w.pools.trex)
        spot = page.paragraphs[rng.randrange(len(page.paragraphs))]
        spot.insert(rng.randint(0, len(spot)), (text, "real_fact" if fact else "real"))
    page.add(w.boiler("See also: {place} | {org} | {language} literature"))
    return page


HEADLINES = _templates(
    """
    {org} to [cut|add] jobs as [sales slow|demand grows]
    [Storm|Heat wave|Snow] [hits|batters|grips] {region}
    {city} council [approves|rejects|delays] plan for {topic}
    [Police|Officials] investigate [fire|crash|outage] in {city}
    {show} [renewed|cancelled] by {network}
    What {topic} means for [renters|commuters|parents]
    [Local|Area] [team|club] [wins|loses] [final|opener|derby] against {city}
    [Recall|Warning] issued for {product}
    """
)
THREADS = _templates(
    """
    [Help|Question|Problem]: {noun} [stopped responding|keeps beeping|won't turn on]
    Best {noun} for [under ${price}|a small apartment|beginners]?
    [Anyone else|Is it just me] [having issues with|annoyed by] {product}?
    [Moving|Moved] to {city} - [advice|tips] [please|wanted]?
    [Thoughts on|Opinions on|Review of] {show}?
    [Finally|Just] [finished|fixed] my {noun} [project|build|repair]
    """
)

BUILDERS: dict[str, Callable[[Writer], Page]] = {
    "encyclopedia": encyclopedia_page,
    "news": news_page,
    "review": review_page,
    "howto": howto_page,
    "forum": forum_page,
}


# --------------------------------------------------------------------------------------------
# Generation and stats
# --------------------------------------------------------------------------------------------


@dataclass
class _Tally:
    docs: int = 0
    bytes: int = 0
    words: int = 0
    sentences: int = 0
    passing: int = 0
    facts: int = 0
    docs_passing: int = 0
    first_not_passing: int = 0

    def add(self, nbytes: int, text: str, sents: list[tuple[str, str]], passes: list[bool]) -> None:
        self.docs += 1
        self.bytes += nbytes
        self.words += len(text.split())
        self.sentences += len(sents)
        self.passing += sum(passes)
        self.facts += sum(k in FACT_KINDS for _, k in sents)
        self.docs_passing += any(passes)
        self.first_not_passing += bool(passes) and not passes[0]

    def as_dict(self) -> dict[str, Any]:
        n = max(1, self.sentences)
        return {
            "documents": self.docs,
            "mb": round(self.bytes / MB, 4),
            "words": self.words,
            "sentences": self.sentences,
            "sentences_passing_prefilter": self.passing,
            "share_passing_prefilter": round(self.passing / n, 4),
            "share_holding_fact": round(self.facts / n, 4),
            "share_documents_passing_prefilter": round(self.docs_passing / max(1, self.docs), 4),
            # What a sentence-level prefilter that also parses each document's first
            # sentence would send to the parser.
            "share_parsed_with_first_sentence": round(
                (self.passing + self.first_not_passing) / n, 4
            ),
        }


def generate(
    size_mb: float, out: Path, *, seed: int = 0, corpora: Path = CORPORA
) -> dict[str, Any]:
    """Write a corpus of about ``size_mb`` MB to ``out`` and its stats beside it.

    Parameters
    ----------
    size_mb : float
        Target size of the JSONL file in MB (10^6 bytes); generation stops at the first
        document that reaches it.
    out : Path
        The JSONL file to write; ``out.with_suffix(".stats.json")`` receives the stats.
    seed : int
        Seeds the one random stream: same seed, same bytes; a smaller size is a prefix.
    corpora : Path
        The shared corpora folder (Google-RE and T-REx, read in place).

    Returns
    -------
    dict
        The stats: totals (documents, MB, words, sentences, share of sentences passing the
        catalog prefilter, share holding a fact), per source and per kind of sentence.
    """
    from singleton_rate.extract.catalog import load_catalog
    from singleton_rate.extract.prefilter import build_prefilter

    started = time.perf_counter()
    pools = _pools(corpora)
    could_match = build_prefilter(load_catalog())
    rng = random.Random(seed)
    writer = Writer(rng, pools)
    sources, weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
    total, per_source = _Tally(), defaultdict(_Tally)
    kinds: Counter[str] = Counter()
    kinds_passing: Counter[str] = Counter()
    target = int(size_mb * MB)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as sink:
        while total.bytes < target:
            source = rng.choices(sources, weights)[0]
            page = BUILDERS[source](writer)
            text = page.text()
            record = {
                "id": f"{source[:3]}-{seed}-{total.docs:07d}",
                "title": page.title,
                "text": text,
                "source": source,
            }
            line = json.dumps(record, ensure_ascii=False) + "\n"
            sink.write(line)
            sents = page.sentences()
            passes = [could_match(s) for s, _ in sents]
            nbytes = len(line.encode("utf-8"))
            total.add(nbytes, text, sents, passes)
            per_source[source].add(nbytes, text, sents, passes)
            for (_, kind), passed in zip(sents, passes, strict=True):
                kinds[kind] += 1
                kinds_passing[kind] += passed
    tmp.replace(out)
    stats = {
        "generator": {"version": VERSION, "seed": seed, "size_mb_requested": size_mb},
        **total.as_dict(),
        "by_source": {s: per_source[s].as_dict() for s in sources if s in per_source},
        "by_kind": {
            k: {
                "sentences": kinds[k],
                "share_of_sentences": round(kinds[k] / max(1, total.sentences), 4),
                "share_passing_prefilter": round(kinds_passing[k] / max(1, kinds[k]), 4),
            }
            for k in KINDS
            if kinds[k]
        },
        "seconds": round(time.perf_counter() - started, 2),
    }
    stats_path(out).write_text(json.dumps(stats, indent=2) + "\n", "utf-8")
    return stats


_POOLS: dict[Path, Pools] = {}


def _pools(corpora: Path) -> Pools:
    key = corpora.resolve()
    if key not in _POOLS:
        _POOLS[key] = load_pools(corpora)
    return _POOLS[key]


def stats_path(corpus: Path) -> Path:
    """Where the stats of the corpus ``corpus`` are written."""
    return corpus.with_name(corpus.stem + ".stats.json")


def cached(size_mb: float, folder: Path, *, seed: int = 0, corpora: Path = CORPORA) -> Path:
    """The corpus of ``size_mb`` and ``seed`` in ``folder``, generated unless already there.

    The file name holds the size, the seed and :data:`VERSION`; a file is reused only when
    its stats file (written last) exists.
    """
    name = f"realistic-{size_mb:g}mb-s{seed}-v{VERSION}.jsonl"
    path = folder / name
    if not (path.exists() and stats_path(path).exists()):
        generate(size_mb, path, seed=seed, corpora=corpora)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, required=True, help="target size in MB (10^6 B)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="default: bench/out/corpora/realistic-…jsonl")
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    args = parser.parse_args()
    if not args.corpora.is_dir():
        print(f"{args.corpora} is absent: the shared corpora are not beside this checkout")
        return 1
    out = args.out or (
        ROOT / "bench" / "out" / "corpora" / f"realistic-{args.size_mb:g}mb-s{args.seed}.jsonl"
    )
    stats = generate(args.size_mb, out, seed=args.seed, corpora=args.corpora)
    print(json.dumps({"out": str(out), **stats}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
