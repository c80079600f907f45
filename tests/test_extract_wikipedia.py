"""Extraction on sentences of the kind whole Wikipedia articles hold (issue 13).

Sentence → expected facts, with the real model and the shipped catalog, one case per word or
pattern added for what the hand-annotated Wikipedia gold (``tests/data/wikipedia_gold``)
found missing or wrong. The sentences are written for the tests (shapes seen in articles,
not copied from them); each set of expected facts is exact: nothing more may come out.
"""

from __future__ import annotations

import pytest

from singleton_rate.corpus import Document
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.extractor import Extractor
from singleton_rate.extract.model import resolve_model_name
from singleton_rate.extract.prefilter import build_prefilter


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_catalog(), resolve_model_name())


def facts(extractor: Extractor, text: str, title: str | None) -> set[tuple[str, str, str]]:
    [result] = extractor.extract([Document("d1", text, title, None, "test:1")])
    return {(m.entity, m.attribute, m.value) for m in result.mentions if m.status == "asserted"}


AS = "ann smith"

# (title, text, expected asserted facts)
CASES: list[tuple[str | None, str, set[tuple[str, str, str]]]] = [
    # occupation words: the nationality adjective hangs on a known noun, so both facts come
    (
        "Camillo Rossi",
        "Camillo Rossi (1459–1496) was an Italian knight and condottiero.",
        {
            ("camillo rossi", "birth_date", "1459"),
            ("camillo rossi", "death_date", "1496"),
            ("camillo rossi", "nationality", "italy"),
            ("camillo rossi", "occupation", "condottiero"),
        },
    ),
    (
        "Ann Smith",
        "Ann Smith was a Scottish stationer.",
        {(AS, "nationality", "scotland"), (AS, "occupation", "stationer")},
    ),
    (
        "Ann Smith",
        "Ann Smith was a British watercolorist.",
        {(AS, "nationality", "united kingdom"), (AS, "occupation", "watercolourist")},
    ),
    (
        "Ann Smith",
        "Ann Smith was an English suffragette and dressmaker.",
        {
            (AS, "nationality", "england"),
            (AS, "occupation", "suffragette"),
            (AS, "occupation", "dressmaker"),
        },
    ),
    (
        "Ann Smith",
        "Ann Smith was a Norwegian shipmaster.",
        {(AS, "nationality", "norway"), (AS, "occupation", "shipmaster")},
    ),
    (
        "Ann Smith",
        "Ann Smith is an American parasitologist.",
        {(AS, "nationality", "united states"), (AS, "occupation", "parasitologist")},
    ),
    # multi-word occupations are kept whole, not cut to their last word
    (
        "Ann Smith",
        "Ann Smith is an Austrian cross-country skier.",
        {(AS, "nationality", "austria"), (AS, "occupation", "cross-country skier")},
    ),
    (
        "Ann Smith",
        "Ann Smith is an Armenian former table tennis player.",
        {(AS, "nationality", "armenia"), (AS, "occupation", "table tennis player")},
    ),
    (
        "Ann Smith",
        "Ann Smith is a Pakistani professional squash player.",
        {(AS, "nationality", "pakistan"), (AS, "occupation", "squash player")},
    ),
    (
        "Ann Smith",
        "Ann Smith was a Russian stage actress.",
        {(AS, "nationality", "russia"), (AS, "occupation", "stage actor")},
    ),
    (
        "Ann Smith",
        "Ann Smith was an American business executive and investment banker.",
        {
            (AS, "nationality", "united states"),
            (AS, "occupation", "business executive"),
            (AS, "occupation", "investment banker"),
        },
    ),
    (
        "Ann Smith",
        "Ann Smith was a German aircraft designer.",
        {(AS, "nationality", "germany"), (AS, "occupation", "aircraft designer")},
    ),
    (
        "Ann Smith",
        "Ann Smith is a German former track and field athlete.",
        {(AS, "nationality", "germany"), (AS, "occupation", "track and field athlete")},
    ),
    # leads: the nationality on the first of coordinated nouns, a known entry after a
    # "not_before" word, a subject the parser put inside the birth parenthesis, a lead
    # whose name the dump dropped, a long full name the NER labels ORG
    (
        "Ann Smith",
        "Ann Smith (c. 1459 - May 1496) was an Italian knight and condottiero of the Rossi family.",
        {
            (AS, "birth_date", "1459"),
            (AS, "death_date", "1496-05"),
            (AS, "nationality", "italy"),
            (AS, "occupation", "condottiero"),
        },
    ),
    (
        "Marco Bianchi",
        "Marco Bianchi (born 4 May 1994) is an Italian football player.",
        {
            ("marco bianchi", "birth_date", "1994-05-04"),
            ("marco bianchi", "nationality", "italy"),
            ("marco bianchi", "occupation", "football player"),
        },
    ),
    (
        "Bob Jones",
        "Bob Jones was an Australian rules footballer.",
        {("bob jones", "occupation", "footballer")},
    ),
    (
        "Siphesihle Ndlovu",
        "Siphesihle Ndlovu (born 30 September 1996) is a South African professional "
        "footballer who plays as a midfielder for Premier Soccer League side Orlando Pirates.",
        {
            ("siphesihle ndlovu", "birth_date", "1996-09-30"),
            ("siphesihle ndlovu", "nationality", "south africa"),
            ("siphesihle ndlovu", "occupation", "footballer"),
        },
    ),
    (
        "Yoshiharu Fukuhara",
        "is a Japanese alpine skier. He competed at the 1964 Winter Olympics.",
        {
            ("yoshiharu fukuhara", "nationality", "japan"),
            ("yoshiharu fukuhara", "occupation", "alpine skier"),
        },
    ),
    # a subjectless verb anywhere but at the start of the page names no one
    ("Yoshiharu Fukuhara", "He retired in 1970. is a Japanese alpine skier.", set()),
    (
        "Shangri Lhagyal",
        "Chamdowa Tsawabomei Shangri Lhagyal (1921–1984) (also known as Shangri Lhagyal) was "
        "a Tibetan resistance fighter.",
        {
            ("shangri lhagyal", "birth_date", "1921"),
            ("shangri lhagyal", "death_date", "1984"),
            ("shangri lhagyal", "occupation", "resistance fighter"),
        },
    ),
    # precision: parentheses that are no lifespan
    ("Bill Cosby", "His memoir was published by Bill Cosby (Doubleday, 1983).", set()),
    ("Tom Lee", "The novel was translated by Katherine Gregor (2016).", set()),
    ("Tom Lee", "The treaty was signed by John Smith (1939–1945).", set()),
    (
        "Boyd Huppert",
        "Boyd Huppert (c. 1962) is an American television reporter.",
        {
            ("boyd huppert", "birth_date", "1962"),
            ("boyd huppert", "nationality", "united states"),
            ("boyd huppert", "occupation", "reporter"),
        },
    ),
    (
        "John Hannah",
        "John Hannah (Rome, 18 July 1956) is a poet.",
        {
            ("john hannah", "birth_date", "1956-07-18"),
            ("john hannah", "birth_place", "rome"),
            ("john hannah", "occupation", "poet"),
        },
    ),
    # a pronoun of the other gender, a page about a thing, a list page: not the title's
    (
        "Catherine Lynch",
        "Catherine Lynch was a Welsh criminal. Her father was a docker. She was poor. Her "
        "mother sold fish. She left school. He married Mary Ellen Sheehan in 1876.",
        {
            ("catherine lynch", "nationality", "wales"),
            ("catherine lynch", "occupation", "criminal"),
        },
    ),
    (
        "Tang Dynasty (album)",
        "Tang Dynasty is the first album of the band. He worked as a journalist.",
        set(),
    ),
    ("List of compositions by Ann Smith", "He was born in Paris in 1900.", set()),
    # a country word that opens a longer name; an office or honour title cut short
    (
        "Karim Ahmad",
        "Karim Ahmad is a Bangladesh Awami League politician.",
        {("karim ahmad", "occupation", "politician")},
    ),
    (
        "Ann Smith",
        "Ann Smith is a New Zealand poet.",
        {(AS, "nationality", "new zealand"), (AS, "occupation", "poet")},
    ),
    ("Tony Holmes", "In 2018 Holmes became an Officer of the Order of Australia.", set()),
    ("Armory Square", "The report was passed to Secretary of War Jefferson Davis.", set()),
    (
        "Ann Smith",
        "Ann Smith was full Professor of Psychology at the University of Chile.",
        {(AS, "occupation", "professor"), (AS, "employer", "university of chile")},
    ),
    # a marked lone year is a birth ("born Boston, Lincolnshire, 1932"); a demonym before a
    # capitalised office is still a nationality
    (
        "Martin Middlebrook",
        "Martin Middlebrook (born Boston, Lincolnshire, 1932) is a British military historian.",
        {
            ("martin middlebrook", "birth_date", "1932"),
            ("martin middlebrook", "birth_place", "boston"),
            ("martin middlebrook", "nationality", "united kingdom"),
            ("martin middlebrook", "occupation", "historian"),
        },
    ),
    # education: a degree from a school; a school name the NER labels a person
    (
        "John E. Caldwell",
        "Caldwell received a bachelor of commerce degree from Carleton University.",
        {("john e. caldwell", "educated_at", "carleton university")},
    ),
    (
        "Ann Smith",
        "She holds a master's degree from the University of British Columbia.",
        {(AS, "educated_at", "university of british columbia")},
    ),
    (
        "Ann Smith",
        "She later earned her master's and doctoral degrees from Colorado State University.",
        {(AS, "educated_at", "colorado state university")},
    ),
    ("Ann Smith", "She received an award from the Royal Society.", set()),
    (
        "Gina Ortiz Jones",
        "Jones graduated from John Jay High School in 1999.",
        {("gina ortiz jones", "educated_at", "john jay high school")},
    ),
    # organisations: the title's disambiguation says what it is; a unit is an organisation;
    # "Formed in 1934, the group …"
    (
        "Tang Dynasty (band)",
        "Tang Dynasty was officially formed in February 1989 by Kaiser Kuo and Andrew Szabo.",
        {
            ("tang dynasty", "founded", "1989-02"),
            ("tang dynasty", "founder", "kaiser kuo"),
            ("tang dynasty", "founder", "andrew szabo"),
        },
    ),
    (
        "Carabinieri Heliborne Squadron",
        "The Carabinieri Heliborne Squadron is a unit of the Carabinieri. The unit was "
        "established on 1 July 1991.",
        {("carabinieri heliborne squadron", "founded", "1991-07-01")},
    ),
    (
        "The Ink Spots",
        "The Ink Spots are an American vocal group. Formed in 1934 in Indianapolis, the group "
        "toured widely.",
        {("ink spots", "founded", "1934")},
    ),
    # employment: served as … at
    (
        "Johan Svensson",
        "He served as an instructor at the Army Combat School.",
        {
            ("johan svensson", "occupation", "instructor"),
            ("johan svensson", "employer", "army combat school"),
        },
    ),
    ("Johan Svensson", "He served in the army and served at the Battle of the Bulge.", set()),
    # joining a named organisation is employment (employer_v2/joined); a party, board or
    # team one joins as a member is not
    (
        "Hans Amtmann",
        "In 1960 Amtmann joined the Moscow Public Theatre.",
        {("hans amtmann", "employer", "moscow public theatre")},
    ),
    ("Hans Amtmann", "In 1950 Amtmann joined the Labour Party.", set()),
    ("Hans Amtmann", "In 2011 Amtmann joined the Marks & Spencer Board.", set()),
    # a post held "as" a job at a place (job_at through "as" on a verb of holding a post)
    (
        "William Enneking",
        "Enneking spent his career as professor of surgery at the University of Florida.",
        {
            ("william enneking", "occupation", "professor"),
            ("william enneking", "employer", "university of florida"),
        },
    ),
    (
        "William Enneking",
        "Enneking became a Fellow of the Royal Society for his work as a surgeon and educator.",
        set(),
    ),
    # a club name the NER calls a person ("Molde HK"): an organisation by its last word
    (
        "Tor Moen",
        "Moen is currently head coach for Molde HK.",
        {("tor moen", "occupation", "head coach"), ("tor moen", "employer", "molde hk")},
    ),
    # a page whose first sentence says it is a thing: "he" is someone else; a publishing
    # house is an organisation
    (
        "Schwartz Publishing",
        "Schwartz Publishing is an Australian publishing house based in Melbourne.",
        {("schwartz publishing", "headquarters", "melbourne")},
    ),
    (
        "Baho!",
        "Baho! is a novel by Roland Rugero published in 2012. Since then, he has worked as a "
        "journalist.",
        set(),
    ),
    # people in side positions, keyed without the occupation word the NER took in
    (
        "Tang Dynasty (album)",
        "Bassist Zhang Ju had also been singing lead since 1990.",
        {("zhang ju", "occupation", "bassist")},
    ),
    (
        "Crayons (song)",
        "The song was praised by producer Scott Rudin.",
        {("scott rudin", "occupation", "producer")},
    ),
    (
        "Ferrada",
        "In the book, Professor David Lester referred to that finding.",
        {("david lester", "occupation", "professor")},
    ),
    (
        "Crayons (song)",
        "The song features independent American rapper Cupcakke.",
        {("cupcakke", "occupation", "rapper")},
    ),
    # a relative's own facts go to the relative when named apart from the page's subject
    (
        "John Hannah",
        "John Hannah was a poet. His father, Robert Hannah (1822–1888), was a farmer.",
        {
            ("john hannah", "occupation", "poet"),
            ("robert hannah", "birth_date", "1822"),
            ("robert hannah", "death_date", "1888"),
        },
    ),
    ("John Hannah Jr.", "He was the son of John Hannah (1822–1888).", set()),
    (
        "Gianna Terzi",
        "She is the daughter of Greek singer Paschalis Terzis.",
        {
            ("paschalis terzis", "nationality", "greece"),
            ("paschalis terzis", "occupation", "singer"),
        },
    ),
    # a capitalised noun inside a longer name describes no one
    ("Gina Jones", "She won an Air Force Reserve Officer Training Corps scholarship.", set()),
    (
        "Pakistan Steel Mills",
        "is a Pakistani football club affiliated with Pakistan Steel Mills and is based in "
        "Karachi.",
        set(),
    ),
    (
        "Sergey Nalobin",
        "Nalobin was the first secretary of the political section at the embassy.",
        {("sergey nalobin", "occupation", "first secretary")},
    ),
    ("Sheila Minor", "She began her career as a part time GS-3 Clerk Typist.", set()),
    # a main verb the parser left without a subject takes the name right before it (here
    # hung on "Platzky" as an apposition, under "son", which is no kinship of the page's own)
    (
        "Michael Bloch",
        "Born at Hampstead, a son of the marriage of John Bloch and Thelma E. Platzky, Bloch "
        "was educated at Bedales School and the University of East Anglia.",
        {
            ("michael bloch", "birth_place", "hampstead"),
            ("michael bloch", "educated_at", "bedales school"),
            ("michael bloch", "educated_at", "university of east anglia"),
        },
    ),
    # "born" parsed as the clausal subject of "is": the name before the parenthesis is
    (
        "Sándor Kulcsár",
        "Sándor Kulcsár (also known as Alexandru Culcear; born 16 July 1965) is a Romanian "
        "former professional football player and manager of Hungarian ethnicity.",
        {
            ("sándor kulcsár", "birth_date", "1965-07-16"),
            ("sándor kulcsár", "nationality", "romania"),
            ("sándor kulcsár", "occupation", "football player"),
            ("sándor kulcsár", "occupation", "manager"),
        },
    ),
    # "then attended Y" hung on "graduated" without a label shares its subject
    (
        "George Emert",
        "Emert graduated from Morristown High School, then attended Lincoln Memorial University.",
        {
            ("george emert", "educated_at", "morristown high school"),
            ("george emert", "educated_at", "lincoln memorial university"),
        },
    ),
    # a post taken or held "as" with a verb other than "worked" (occupation_v2/as_post)
    (
        "George Emert",
        "Emert taught microbiology at the University of Kansas as an adjunct assistant "
        "professor.",
        # the school he taught at employs him (employer_v2/taught_at)
        {
            ("george emert", "occupation", "professor"),
            ("george emert", "employer", "university of kansas"),
        },
    ),
    (
        "Hans Amtmann",
        "Hans Amtmann was subsequently appointed project engineer.",
        {("hans amtmann", "occupation", "project engineer")},
    ),
    # a unit named as an institution's possession: the institution is the employer; a
    # possessive inside a name stays ("Royal Children's Hospital")
    (
        "Sheila Minor",
        "In 1972, Sheila Minor was hired by the Smithsonian Institution’s Environmental "
        "Research Center.",
        {("sheila minor", "employer", "smithsonian institution")},
    ),
    (
        "Anthony Holmes",
        "Anthony Holmes worked at the Royal Children's Hospital.",
        {("anthony holmes", "employer", "royal children's hospital")},
    ),
    # a demonym's country ("Azerbaijani-born") yields to the place the same sentence names
    (
        "Ramil Guliyev",
        "Ramil Guliyev (Azerbaijani: Ramil Eldar oğlu Quliyev; born 29 May 1990 in Baku, "
        "Azerbaijan) is an Azerbaijani-born Turkish sprint athlete.",
        {
            ("ramil guliyev", "birth_date", "1990-05-29"),
            ("ramil guliyev", "birth_place", "baku"),
            ("ramil guliyev", "nationality", "turkey"),
            ("ramil guliyev", "occupation", "athlete"),
        },
    ),
    (
        "Ann Oakley",
        "Ann Oakley is a New Zealand-born Australian actor.",
        {
            ("ann oakley", "birth_place", "new zealand"),
            ("ann oakley", "nationality", "australia"),
            ("ann oakley", "occupation", "actor"),
        },
    ),
    # a given name the NER split off under another label is part of the person's name
    (
        None,
        "Candace Jean Anderson, an artist and writer from Salt Lake City, Utah, came across "
        "the photograph whilst researching a picture book.",
        {
            ("candace jean anderson", "occupation", "artist"),
            ("candace jean anderson", "occupation", "writer"),
        },
    ),
    # a name ends before a bracket the NER took in
    (
        None,
        "The Department of Environmental Science and Management (DESM) was established in "
        "2001.",
        {("department of environmental science and management", "founded", "2001")},
    ),
    # a run of coordinated lower-case nouns before a person's name describes that person
    (
        None,
        "The song was written by English musician and producer George FitzGerald.",
        {
            ("george fitzgerald", "nationality", "england"),
            ("george fitzgerald", "occupation", "musician"),
            ("george fitzgerald", "occupation", "producer"),
        },
    ),
    (
        None,
        "The journalist, editor and memoirist Alexandra Jacobi wrote about her.",
        {
            ("alexandra jacobi", "occupation", "journalist"),
            ("alexandra jacobi", "occupation", "editor"),
            ("alexandra jacobi", "occupation", "memoirist"),
        },
    ),
    (
        None,
        "In 1976 he met the British engineer Andrew Ainsworth.",
        {
            ("andrew ainsworth", "nationality", "united kingdom"),
            ("andrew ainsworth", "occupation", "engineer"),
        },
    ),
    # founders: both subjects the parser gives "formed" ("she and her partner X"), and
    # "created" (founder_v2/founded)
    (
        "Estella Mann",
        "In early 1898 she and her singing partner John C. Havens formed the Lyric Phonograph "
        "Company.",
        {
            ("lyric phonograph company", "founder", "john c. havens"),
            ("lyric phonograph company", "founder", "estella mann"),
            # the fronted date (founded_v1/founded_it)
            ("lyric phonograph company", "founded", "1898"),
        },
    ),
    (
        None,
        "In 1990 Anthony Holmes created the Craniofacial Foundation of Australia.",
        {
            ("craniofacial foundation of australia", "founder", "anthony holmes"),
            ("craniofacial foundation of australia", "founded", "1990"),
        },
    ),
    # founders: "one of the founders of Y", "X, the co-founder of Y" (founder_v2/founder_of)
    (
        "Ann Smith",
        "Ann Smith was one of the founders of the Royal Photographic Society.",
        {("royal photographic society", "founder", AS)},
    ),
    (
        "Apple Inc.",
        "Steve Jobs, the co-founder of Apple, died in 2011.",
        {("steve jobs", "death_date", "2011"), ("apple inc", "founder", "steve jobs")},
    ),
    # issue 13, offices and posts held as work are occupations; a title before a name states
    # one, and is no part of the name
    (
        "Tom Hanks",
        "The bill was signed by President Abraham Lincoln.",
        {("abraham lincoln", "occupation", "president")},
    ),
    (
        "Tom Hanks",
        "The plan was announced by Prime Minister Malcolm Turnbull in March.",
        {("malcolm turnbull", "occupation", "prime minister")},
    ),
    (
        "Tom Hanks",
        "The decision was welcomed by chairman Nick Cleary.",
        {("nick cleary", "occupation", "chairman")},
    ),
    ("Tom Hanks", "The law was later repealed by President Biden.", {("biden", "occupation", "president")}),
    # a post at the head of an organisation names the employer, beside a name too
    (
        "Tom Hanks",
        "Guy Mettan, president of the Geneva Press Club, opened the meeting.",
        {("guy mettan", "occupation", "president"), ("guy mettan", "employer", "geneva press club")},
    ),
    # a title word inside an institution's name, or an office defined, describes no one
    ("Tom Hanks", "The founding of King Edward VII Medical College followed a shortage of doctors.", set()),
    (
        "Minister of Finance",
        "The Minister of Finance is the cabinet minister in charge of the Ministry of Finance.",
        set(),
    ),
    ("Tom Hanks", "Professor Emeritus (title), 2007.", set()),
    # a value ends at the value: a unit "at" an institution gives the institution; an inner
    # "at" or a degree the NER took in is cut off
    (
        "Tom Hanks",
        "He is an associate professor at the School of Physics at University College Dublin.",
        {("tom hanks", "occupation", "professor"), ("tom hanks", "employer", "university college dublin")},
    ),
    (
        "Tom Hanks",
        "In 1975 Hanks graduated from Monash University MBBS with honours.",
        {("tom hanks", "educated_at", "monash university")},
    ),
    # a proper-noun chain holding a labelled name is the name
    (
        "Tom Hanks",
        "He attended the Military Academy Karlberg in 1984.",
        {("tom hanks", "educated_at", "military academy karlberg")},
    ),
    (
        "Tom Hanks",
        "Hanks went on to study law at the Free University of Berlin.",
        {("tom hanks", "educated_at", "free university of berlin")},
    ),
    (
        "Tom Hanks",
        "Tom Hanks (born 3 May 1941) is a Danish professor emeritus of chemistry.",
        {
            ("tom hanks", "birth_date", "1941-05-03"),
            ("tom hanks", "nationality", "denmark"),
            ("tom hanks", "occupation", "professor"),
        },
    ),
    # a date fronted to open the sentence is the one value left of the anchor, not a place
    ("Tom Hanks", "In Paris he was born in 1950.", {("tom hanks", "birth_date", "1950")}),
    # a rank or a title of several words before a person's name is no part of it
    (
        "Tom Hanks",
        "The plane was piloted by Colonel Sergey Kobylash, commander of the 368th Regiment.",
        {("sergey kobylash", "occupation", "commander")},
    ),
    (
        "Tom Hanks",
        "On 19 October 2020, Prime Minister Roble announced his new cabinet.",
        {("roble", "occupation", "prime minister")},
    ),
    # an occupation noun right before a capitalised name describes it, however the small
    # parser tags the noun ("poet" as a verb) or labels the name (ORG)
    (
        "Armory Square Hospital",
        "Among those volunteers was poet Walt Whitman, who had come from New York.",
        {("walt whitman", "occupation", "poet")},
    ),
    (
        "My Side of Town",
        "AllMusic editor Jaime Sunao Ikeda picked the song as a standout track.",
        {
            ("jaime sunao ikeda", "occupation", "editor"),
            ("jaime sunao ikeda", "employer", "allmusic"),
        },
    ),
    # an office held over a place or a body is whole when its holder is named first ...
    (
        "Tom Hanks",
        "He met Tajuddin Ahmad, former Prime Minister of Bangladesh, in 1971.",
        {("tajuddin ahmad", "occupation", "prime minister")},
    ),
    # ... not when the name follows, where it may have taken in the place
    (
        "Tom Hanks",
        "At the event, former Premier of Victoria Steve Bracks spoke in favour.",
        set(),
    ),
    # a bare "the College" only refers back: no employer
    (
        "Tom Hanks",
        "In 1910, Dr. Robert Donald Keith was appointed the second Principal of the College.",
        {("robert donald keith", "occupation", "principal")},
    ),
    # "King Wilhelm" is not the page's Friedrich Wilhelm von Rauch
    ("Friedrich Wilhelm von Rauch", "This prompted King Wilhelm I to comment on the entry.", set()),
    # a page whose title ends as a body's name does is no person's: "he" is someone else
    (
        "PEN Writers Center",
        "He was also the founding executive director of the Gay Alliance in 1985.",
        set(),
    ),
    # the head of a division works for the division's owner, the chairman of a board for
    # the board's organisation
    (
        "Craig Federighi",
        "Craig Federighi is Apple's senior vice president of Software Engineering.",
        {
            ("craig federighi", "occupation", "vice president"),
            ("craig federighi", "employer", "apple"),
        },
    ),
    (
        "Tom Hanks",
        "Marmaduke Hussey was later Chairman of the Board of Governors of the BBC.",
        {("marmaduke hussey", "occupation", "chairman"), ("marmaduke hussey", "employer", "bbc")},
    ),
    # a title the page's own name begins with stays in the name (Google-RE's Anastasius I)
    (
        "Pope Anastasius I",
        "Pope Saint Anastasius I, born in Rome the son of Maximus, was pope from 399 to 401.",
        {
            ("pope anastasius i", "birth_place", "rome"),
            ("pope anastasius i", "occupation", "pope"),
        },
    ),
    # two names the NER ran together across a comma: the institution after its unit
    (
        "Marco Ferrada",
        "He was appointed Affiliate Professor at the Medical Faculty, University of Chile, 2006.",
        {
            ("marco ferrada", "occupation", "professor"),
            ("marco ferrada", "employer", "university of chile"),
        },
    ),
    # a unit the post heads is not named as the employer; the body it is "at" is
    (
        "Nancy Hubbard",
        "She was the director of the Division of Programs at the Goucher College.",
        {("nancy hubbard", "occupation", "director"), ("nancy hubbard", "employer", "goucher college")},
    ),
    # "take over as" a post heads a body; joining a body's faculty is working for it; a
    # body's name before a job noun names the employer
    (
        "Tor Moen",
        "In 2012 Moen would take over as head coach of Larvik HK.",
        {("tor moen", "employer", "larvik hk")},
    ),
    (
        "Tor Moen",
        "In 1975 he joined the faculty of the University of Arkansas.",
        {("tor moen", "employer", "university of arkansas")},
    ),
    (
        "Minnie Jenkins",
        "She was a United States Indian Service school teacher.",
        {
            ("minnie jenkins", "occupation", "schoolteacher"),
            ("minnie jenkins", "employer", "united states indian service"),
        },
    ),
    # a title word at the head of an institution's name
    (
        "Tom Hanks",
        "Through this merger, King Edward VII Medical College was upgraded to a faculty.",
        set(),
    ),
    # the owner of a possessed division is the employer; a department's one-word name is not
    (
        "Terry Myerson",
        "Terry Myerson, executive vice president of Microsoft's Windows and Devices Group, "
        "argued for it.",
        {
            ("terry myerson", "occupation", "vice president"),
            ("terry myerson", "employer", "microsoft"),
        },
    ),
    (
        "Tom Hanks",
        "It is directly responsible to Helen Boaden (director of Radio).",
        {("helen boaden", "occupation", "director")},
    ),
    # the school or employer after the noun's "in" phrase
    (
        "Sheila Minor",
        "In 1974 she earned her bachelor's degree in biological sciences from American University.",
        {("sheila minor", "educated_at", "american university")},
    ),
    (
        "Sheila Minor",
        "She is a Professor in the Department of Chemistry at the University of Maryland.",
        {
            ("sheila minor", "occupation", "professor"),
            ("sheila minor", "employer", "university of maryland"),
        },
    ),
    # a student "as" whom one was taken in
    (
        "Sheila Minor",
        "She was accepted as a student at the Royal Academy of Music.",
        {("sheila minor", "educated_at", "royal academy of music")},
    ),
    # a post's title opened by "Chief", "Deputy" … before a name describes the name, and is
    # no part of it
    (
        "Hans Amtmann",
        "He worked as Head of New Projects under Chief Designer Richard Vogt during the war.",
        {("richard vogt", "occupation", "designer")},
    ),
    ("Hans Amtmann", "He worked with Consultant Plastic Surgeon Anthony Holmes.", set()),
    # a word that is a given name opening a person's name is no occupation
    (
        "Dean Silvers",
        "Dean Silvers, J.D., M.S., is an American film producer and author.",
        {
            ("dean silvers", "nationality", "united states"),
            ("dean silvers", "occupation", "film producer"),
            ("dean silvers", "occupation", "author"),
        },
    ),
    # a pronoun before the page's subject named in full in the same sentence is someone else
    (
        "Carlos Ghosn",
        "He was appointed CEO of Michelin North America, under the leadership of Carlos Ghosn.",
        set(),
    ),
    ("Carlos Ghosn", "He was born in Paris to a family of bankers.", {("carlos ghosn", "birth_place", "paris")}),
    # "X at Y" is one name unless X is a unit; a school named without "of" is no unit
    (
        "Stephen Calk",
        "He is a 1988 graduate of the University of Illinois at Urbana-Champaign.",
        {("stephen calk", "educated_at", "university of illinois at urbana-champaign")},
    ),
    (
        "Stephen Calk",
        "He is a graduate of the United States Army Aviation School.",
        {("stephen calk", "educated_at", "united states army aviation school")},
    ),
    # an abbreviated rank, and a title word the page's title shares, are no part of a name
    (
        "Tom Hanks",
        "The fighting was termed a dog-fight by the British commander, Gen Bernard Montgomery.",
        {
            ("bernard montgomery", "nationality", "united kingdom"),
            ("bernard montgomery", "occupation", "commander"),
        },
    ),
    (
        "The Darkside Detective",
        "The branch is run by Detective Francis McQueen and his partner.",
        {("francis mcqueen", "occupation", "detective")},
    ),
    # a ministry's subject is no employer (the office is an occupation)
    (
        "Tom Hanks",
        "The government under Richard Dawson Bates (Minister for Home Affairs) was late.",
        {("richard dawson bates", "occupation", "minister")},
    ),
    # the chairman of a party or of a parliament's committee leads members, not employees
    (
        "Abiy Ahmed",
        "He was the third chairman of the Ethiopian People's Revolutionary Democratic Front.",
        {("abiy ahmed", "occupation", "chairman")},
    ),
    (
        "Tom Hanks",
        "Hours later, senator Chuck Grassley, chairman of the Senate Finance Committee, spoke.",
        {("chuck grassley", "occupation", "senator"), ("chuck grassley", "occupation", "chairman")},
    ),
]


@pytest.mark.parametrize(("title", "text", "expected"), CASES, ids=[c[1][:60] for c in CASES])
def test_sentence_facts(
    extractor: Extractor, title: str | None, text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert facts(extractor, text, title) == expected


def test_prefilter_keeps_every_sentence_with_facts() -> None:
    could_match = build_prefilter(load_catalog())
    for _, text, expected in CASES:
        if expected:
            assert could_match(text), text


def test_copula_value_role_subject_needs_take_prep(tmp_path) -> None:
    from singleton_rate.extract.catalog import CatalogError

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[relation]]\nname = "r"\nversion = 1\nsubject = "ORG"\nvalue = "text"\n'
        '[[relation.pattern]]\nid = "p"\nkind = "copula"\nwords = ["is"]\n'
        'nouns = ["founder"]\ntake = "noun"\nvalue_role = "subject"\n'
    )
    with pytest.raises(CatalogError, match="value_role 'subject' needs take 'prep'"):
        load_catalog([str(bad)])


def test_not_heads_only_on_entity_patterns_that_read_it(tmp_path) -> None:
    from singleton_rate.extract.catalog import CatalogError

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[relation]]\nname = "r"\nversion = 1\nsubject = "PERSON"\nvalue = "entity"\n'
        '[[relation.pattern]]\nid = "p"\nkind = "verb_arg"\nwords = ["worked"]\n'
        'preps = ["at"]\nnot_heads = ["party"]\n'
    )
    with pytest.raises(CatalogError, match="unknown field"):
        load_catalog([str(bad)])
