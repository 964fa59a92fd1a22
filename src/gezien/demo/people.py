"""People for the demo organisation: agents, customer names, places and channel identities.

Pure Python and deterministic: every function that invents something takes a `random.Random`.
Names reflect Dutch society: Dutch and Frisian families next to Moroccan-, Turkish-, Surinamese-,
Antillean-, Moluccan- and Polish-Dutch families and more recent newcomers.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

TEAMS: tuple[str, ...] = ("Team Noord", "Team Zuid", "Team Zakelijk")

# username, first name, last name, role, team
AGENTS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("agent", "Sanne", "de Vries", "agent", "Team Noord"),
    ("teamlead", "Karin", "Postma", "teamlead", "Team Noord"),
    ("manager", "Hans", "Verhoeven", "manager", None),
    ("admin", "Priya", "Ramsaran", "admin", None),
    ("fatima.elamrani", "Fatima", "El Amrani", "agent", "Team Noord"),
    ("mark.vandijk", "Mark", "van Dijk", "agent", "Team Noord"),
    ("daan.visser", "Daan", "Visser", "agent", "Team Noord"),
    ("naomi.pinas", "Naomi", "Pinas", "agent", "Team Noord"),
    ("bas.vermeulen", "Bas", "Vermeulen", "teamlead", "Team Zuid"),
    ("emre.yilmaz", "Emre", "Yılmaz", "agent", "Team Zuid"),
    ("shanti.ramdin", "Shanti", "Ramdin", "agent", "Team Zuid"),
    ("joyce.martina", "Joyce", "Martina", "agent", "Team Zuid"),
    ("lotte.brouwer", "Lotte", "Brouwer", "agent", "Team Zuid"),
    ("tim.hoekstra", "Tim", "Hoekstra", "agent", "Team Zuid"),
    ("sevda.aksoy", "Sevda", "Aksoy", "teamlead", "Team Zakelijk"),
    ("youssef.benali", "Youssef", "Benali", "agent", "Team Zakelijk"),
    ("anouk.smit", "Anouk", "Smit", "agent", "Team Zakelijk"),
    ("mehmet.demir", "Mehmet", "Demir", "agent", "Team Zakelijk"),
)

# Agents whose replies lean a certain way; scripts with that agent style go to them more often, so
# that coaching views show a pattern per agent instead of noise.
AGENT_TENDENCY: dict[str, str] = {
    "daan.visser": "blunt",
    "lotte.brouwer": "loose",
    "tim.hoekstra": "stiff",
    "mehmet.demir": "stiff",
}


@dataclass(frozen=True)
class City:
    name: str
    postcode_lo: int
    postcode_hi: int
    area_code: str  # "020"; 3-digit codes have 7-digit subscriber numbers, 4-digit codes 6


CITIES: tuple[City, ...] = (
    City("Amsterdam", 1011, 1109, "020"),
    City("Almere", 1311, 1364, "036"),
    City("Purmerend", 1441, 1448, "0299"),
    City("Hilversum", 1211, 1223, "035"),
    City("Alkmaar", 1811, 1827, "072"),
    City("Haarlem", 2011, 2037, "023"),
    City("Leiden", 2311, 2334, "071"),
    City("Den Haag", 2491, 2597, "070"),
    City("Zoetermeer", 2711, 2729, "079"),
    City("Rotterdam", 3011, 3089, "010"),
    City("Dordrecht", 3311, 3329, "078"),
    City("Utrecht", 3511, 3585, "030"),
    City("Amersfoort", 3811, 3829, "033"),
    City("Middelburg", 4331, 4339, "0118"),
    City("Goes", 4461, 4465, "0113"),
    City("Roosendaal", 4701, 4709, "0165"),
    City("Breda", 4811, 4839, "076"),
    City("Tilburg", 5011, 5049, "013"),
    City("'s-Hertogenbosch", 5211, 5237, "073"),
    City("Eindhoven", 5611, 5658, "040"),
    City("Helmond", 5701, 5709, "0492"),
    City("Venlo", 5911, 5928, "077"),
    City("Maastricht", 6211, 6229, "043"),
    City("Heerlen", 6411, 6433, "045"),
    City("Nijmegen", 6511, 6546, "024"),
    City("Arnhem", 6811, 6846, "026"),
    City("Apeldoorn", 7311, 7339, "055"),
    City("Deventer", 7411, 7429, "0570"),
    City("Enschede", 7511, 7548, "053"),
    City("Emmen", 7811, 7827, "0591"),
    City("Zwolle", 8011, 8045, "038"),
    City("Lelystad", 8211, 8245, "0320"),
    City("Leeuwarden", 8911, 8941, "058"),
    City("Assen", 9401, 9409, "0592"),
    City("Groningen", 9711, 9747, "050"),
)
CITY_WEIGHTS: tuple[float, ...] = (
    9, 3, 1, 1.5, 1.5, 2.5, 2, 6, 1.5, 7, 1.5, 4.5, 2, 0.7, 0.5, 0.8, 2, 2.5, 2, 3.5, 1, 1, 1.5, 1,
    2, 2, 2, 1, 2, 1, 1.5, 1, 1.5, 1, 2.5,
)  # fmt: skip


def team_for_postcode(number: int) -> str:
    """Regional routing: Brabant, Zeeland, Limburg and Gelderland go to Team Zuid."""
    return "Team Zuid" if 4000 <= number < 7000 else "Team Noord"


# --- names ------------------------------------------------------------------------------------------
# First names per background: (name, gender, generation) with gender "f"/"m" and generation
# "old" (born before 1960), "mid" (1960-1990) or "young" (after 1990). Generation drives the register.

Name = tuple[str, str, str]


def _names(gender: str, generation: str, names: str) -> list[Name]:
    return [(n, gender, generation) for n in names.split()]


DUTCH_FIRST: list[Name] = (
    _names(
        "f",
        "old",
        "Johanna Wilhelmina Gerda Ria Truus Annie Corrie Joke Els Greet Tineke Henny Marijke Riet Ineke",
    )
    + _names("m", "old", "Gerrit Henk Kees Wim Jan Piet Cor Hans Ton Bert Theo Dirk Arie Klaas Frans Gerard")
    + _names(
        "f",
        "mid",
        "Sandra Linda Monique Marieke Ingrid Esther Petra Anja Miranda Wendy Saskia Mariska Yvonne",
    )
    + _names("f", "mid", "Nicole Astrid Chantal Brenda")
    + _names(
        "m", "mid", "Marco Erik Peter Dennis Jeroen Martijn Ronald Patrick Richard Arjan Vincent Remco Sander"
    )
    + _names("m", "mid", "Edwin Maarten Robert Wouter")
    + _names("f", "young", "Emma Fleur Anouk Lisa Julia Sophie Noa Femke Britt Iris Roos Isa Tess Eva Sara")
    + _names(
        "m", "young", "Sem Jesse Milan Thijs Lars Bram Ruben Luuk Stijn Niels Koen Jelle Joris Max Thomas"
    )
)


DUTCH_LAST: tuple[str, ...] = (
    "Jansen", "de Jong", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "van der Heijden", "Schouten",
    "van Beek", "Willems", "van Vliet", "van de Ven", "Maas", "Koster", "van Dam", "van der Wal", "Prins",
    "Blom", "Huisman", "Peeters", "Kuipers", "Bosman", "Verbeek", "Timmermans", "Groen", "Zwart", "Hermans",
    "Kramer", "Evers", "Lammers", "Scholten", "Sanders", "Koning", "Wolters", "Hofman", "Kroon", "Molenaar",
    "Wijnands", "Nijland", "Oosterhuis", "Haverkamp", "van Rijn", "Verhagen", "Claassen", "Bouwman",
    "Gerritsen",
)  # fmt: skip
FRISIAN_FIRST: list[Name] = _names("m", "mid", "Sjoerd Hylke Jelmer Wytse Jouke") + _names(
    "f", "mid", "Tjitske Wietske Sietske Baukje Grietje"
)
FRISIAN_LAST: tuple[str, ...] = (
    "Hoekstra",
    "Boersma",
    "Wiersma",
    "Bosma",
    "Terpstra",
    "Zijlstra",
    "Visser",
    "Veenstra",
)

MOROCCAN_FIRST: list[Name] = (
    _names("f", "mid", "Fatima Khadija Samira Nadia Hanan Loubna Malika Naima Houda")
    + _names("m", "mid", "Mohamed Ahmed Youssef Karim Mustafa Rachid Said Hamid Mourad")
    + _names("f", "young", "Yasmina Salma Imane Ikram Nour")
    + _names("m", "young", "Bilal Anouar Ayoub Zakaria Ilias")
)
MOROCCAN_LAST: tuple[str, ...] = (
    "El Idrissi",
    "Bouzid",
    "Benali",
    "Aarab",
    "Ouali",
    "El Khatib",
    "Azzouzi",
    "Bakkali",
    "Chaouch",
    "Tahiri",
    "Haddouchi",
    "Ait Said",
    "El Hamdaoui",
    "Boukhari",
    "Yousfi",
    "El Ouariachi",
    "Amrani",
)

TURKISH_FIRST: list[Name] = (
    _names("f", "mid", "Ayşe Fatma Emine Hatice Gülay Sevgi")
    + _names("m", "mid", "Mehmet Mustafa Hakan Murat Kemal Osman Serkan")
    + _names("f", "young", "Elif Zeynep Esra Büşra Merve")
    + _names("m", "young", "Emre Burak Ömer Yusuf Cem")
)
TURKISH_LAST: tuple[str, ...] = (
    "Yılmaz",
    "Demir",
    "Kaya",
    "Çelik",
    "Şahin",
    "Öztürk",
    "Aydın",
    "Doğan",
    "Arslan",
    "Koç",
    "Kılıç",
    "Polat",
    "Erdoğan",
    "Güler",
    "Korkmaz",
    "Yildiz",
    "Ozdemir",
    "Karaca",
)

SURINAMESE_FIRST: list[Name] = (
    _names("f", "mid", "Sharmila Kavita Anita Reshma Radha")
    + _names("m", "mid", "Rajesh Sunil Ravi Anil Dinesh Ashwin")
    + _names("f", "mid", "Gracia Sharon Priscilla")
    + _names("m", "mid", "Ricardo Clarence Romano Glenn Errol Marvin")
    + _names("f", "young", "Nisha Shania Kimberley")
    + _names("m", "young", "Vikash Sanjay Jermaine Dylan")
)
SURINAMESE_LAST: tuple[str, ...] = (
    "Jagernath",
    "Sewnath",
    "Mahabier",
    "Ramautar",
    "Baldew",
    "Kalloe",
    "Bhikhie",
    "Debipersad",
    "Ramcharan",
    "Soekhoe",
    "Vreden",
    "Sabajo",
    "Doelwijt",
    "Wijngaarde",
    "Zeefuik",
    "Esajas",
    "Linger",
    "Kromodimedjo",
    "Soemodihardjo",
    "Karsowidjojo",
    "Atmodikoro",
)
ANTILLEAN_FIRST: list[Name] = _names("f", "mid", "Giselle Sharina Jeanine") + _names(
    "m", "young", "Shurandy Jurich Giovanni Jurdiel"
)
ANTILLEAN_LAST: tuple[str, ...] = (
    "Isenia",
    "Martis",
    "Felida",
    "Leito",
    "Maduro",
    "Cijntje",
    "Rosalia",
    "Statia",
)
MOLUCCAN_LAST: tuple[str, ...] = ("Pattinama", "Latuheru", "Tuhuteru", "Sahetapy", "Nanlohy", "Pattipeilohy")
POLISH_FIRST: list[Name] = _names("f", "young", "Agnieszka Katarzyna Magdalena Joanna") + _names(
    "m", "young", "Tomasz Piotr Krzysztof Paweł"
)
POLISH_LAST: tuple[tuple[str, str], ...] = (  # (male form, female form)
    ("Nowak", "Nowak"), ("Kowalczyk", "Kowalczyk"), ("Wójcik", "Wójcik"), ("Mazur", "Mazur"),
    ("Lewandowski", "Lewandowska"), ("Wiśniewski", "Wiśniewska"), ("Zieliński", "Zielińska"),
)  # fmt: skip
# Full names of recent newcomers and smaller communities: (first, last, gender, generation)
OTHER_NAMES: tuple[tuple[str, str, str, str], ...] = (
    ("Wei", "Chen", "m", "mid"), ("Mei-Ling", "Wong", "f", "mid"), ("Kevin", "Li", "m", "young"),
    ("Kofi", "Mensah", "m", "mid"), ("Akosua", "Boateng", "f", "mid"), ("Rami", "Haddad", "m", "young"),
    ("Lina", "Khalil", "f", "young"), ("Omar", "Alkhatib", "m", "mid"), ("Yonas", "Tesfay", "m", "young"),
    ("Selam", "Ghebremedhin", "f", "young"), ("Ana", "Fernandes", "f", "mid"),
    ("Dimitri", "Papadopoulos", "m", "mid"), ("Olena", "Kovalenko", "f", "young"),
    ("Andrii", "Bondarenko", "m", "young"), ("Priya", "Nair", "f", "young"),
    ("Arjun", "Menon", "m", "young"), ("Hoa", "Nguyen", "f", "mid"), ("Giulia", "Rossi", "f", "young"),
)  # fmt: skip

# Background weights (sum 100), roughly following the population of Dutch cities.
BACKGROUNDS: tuple[tuple[str, float], ...] = (
    ("dutch", 58), ("frisian", 4), ("moroccan", 10), ("turkish", 8), ("surinamese", 9), ("antillean", 3),
    ("moluccan", 2), ("polish", 2), ("other", 4),
)  # fmt: skip

# Names for family members that scripts mention (a late husband, an ex, a newborn).
PARTNER_NAMES_M: tuple[str, ...] = (
    "Henk",
    "Gerrit",
    "Kees",
    "Wim",
    "Jan",
    "Cor",
    "Theo",
    "Bert",
    "Piet",
    "Arie",
)
PARTNER_NAMES_F: tuple[str, ...] = ("Ria", "Gerda", "Joke", "Annie", "Els", "Truus", "Corrie", "Riet")
BABY_NAMES: tuple[str, ...] = (
    "Noor",
    "Liam",
    "Yara",
    "Sem",
    "Amira",
    "Luca",
    "Mila",
    "Adam",
    "Saar",
    "Zayn",
    "Julia",
)


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    gender: str  # "f" | "m"
    generation: str  # "old" | "mid" | "young"
    background: str


def random_person(rng: random.Random) -> Person:
    background = rng.choices([b for b, _ in BACKGROUNDS], [w for _, w in BACKGROUNDS])[0]
    if background == "other":
        first, last, gender, generation = rng.choice(OTHER_NAMES)
        return Person(first, last, gender, generation, background)
    if background == "polish":
        first, gender, generation = rng.choice(POLISH_FIRST)
        male, female = rng.choice(POLISH_LAST)
        return Person(first, female if gender == "f" else male, gender, generation, background)
    pools: dict[str, tuple[list[Name], tuple[str, ...]]] = {
        "dutch": (DUTCH_FIRST, DUTCH_LAST),
        "frisian": (FRISIAN_FIRST + DUTCH_FIRST[:30], FRISIAN_LAST),
        "moroccan": (MOROCCAN_FIRST, MOROCCAN_LAST),
        "turkish": (TURKISH_FIRST, TURKISH_LAST),
        "surinamese": (SURINAMESE_FIRST, SURINAMESE_LAST),
        "antillean": (ANTILLEAN_FIRST, ANTILLEAN_LAST),
        "moluccan": (DUTCH_FIRST, MOLUCCAN_LAST),
    }
    firsts, lasts = pools[background]
    first, gender, generation = rng.choice(firsts)
    return Person(first, rng.choice(lasts), gender, generation, background)


def formal_last_name(last_name: str) -> str:
    """'de Vries' -> 'De Vries': Dutch capitalises the first particle when no first name precedes."""
    return last_name[:1].upper() + last_name[1:]


def ascii_fold(text: str) -> str:
    text = text.replace("ı", "i").replace("ł", "l").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- identities ---------------------------------------------------------------------------------------

MOBILE_SECOND_DIGITS = "1234581"  # 06-1..06-5 and 06-8; 06-6 is for pagers and 06-7/06-9 are not in use


def mobile_digits(rng: random.Random) -> str:
    """National significant number of a Dutch mobile: '6' + 8 digits, e.g. '612345678'."""
    return "6" + rng.choice(MOBILE_SECOND_DIGITS) + "".join(rng.choice("0123456789") for _ in range(7))


def landline_digits(rng: random.Random, area_code: str) -> str:
    """National significant number of a landline in the given area: area code without 0 + subscriber."""
    subscriber_len = 10 - len(area_code)
    first = rng.choice("2345678")
    rest = "".join(rng.choice("0123456789") for _ in range(subscriber_len - 1))
    return area_code[1:] + first + rest


def format_mobile(rng: random.Random, nsn: str) -> str:
    """Write a mobile number the way people type it."""
    d = nsn[1:]  # the 8 digits after the 6
    style = rng.choices(range(9), [22, 16, 12, 8, 6, 12, 8, 4, 3])[0]
    return (
        f"06-{d}",
        f"06 {d}",
        f"06{d}",
        f"06 {d[:4]} {d[4:]}",
        f"06-{d[:3]} {d[3:6]} {d[6:]}",
        f"+31 6 {d}",
        f"+316{d}",
        f"+31 (0)6 {d}",
        f"0031 6 {d[:4]} {d[4:]}",
    )[style]


def format_landline(rng: random.Random, nsn: str, area_code: str) -> str:
    sub = nsn[len(area_code) - 1 :]
    style = rng.choices(range(5), [40, 20, 12, 15, 13])[0]
    if style == 0:
        return f"{area_code}-{sub}"
    if style == 1:
        return f"{area_code} {sub}"
    if style == 2:
        return f"{area_code}{sub}"
    if style == 3:
        pairs = f"{sub[:3]} {sub[3:5]} {sub[5:]}" if len(sub) == 7 else f"{sub[:2]} {sub[2:4]} {sub[4:]}"
        return f"({area_code}) {pairs}"
    return f"+31 {area_code[1:]} {sub}"


def e164(nsn: str) -> str:
    return "+31" + nsn


EMAIL_DOMAINS: tuple[tuple[str, float], ...] = (
    ("gmail.com", 25), ("hotmail.com", 14), ("outlook.com", 8), ("live.nl", 5), ("ziggo.nl", 9),
    ("kpnmail.nl", 8), ("planet.nl", 4), ("home.nl", 4), ("xs4all.nl", 3), ("icloud.com", 6),
    ("hetnet.nl", 3),
    ("casema.nl", 2), ("yahoo.com", 3), ("online.nl", 2), ("zeelandnet.nl", 1), ("upcmail.nl", 1),
)  # fmt: skip
BUSINESS_KINDS: tuple[str, ...] = (
    "installatie",
    "schilders",
    "kapsalon",
    "bouw",
    "administratie",
    "fysio",
    "klussen",
    "catering",
    "tuinen",
)


def make_email(rng: random.Random, first: str, last: str, generation: str, business: bool = False) -> str:
    """An e-mail address derived from a name, with the capitalisation people really use."""
    f = ascii_fold(first).lower().replace(" ", "").replace("-", "")
    parts = ascii_fold(last).lower().replace("'", "").split()
    lc = "".join(parts)
    if business:
        return rng.choice(
            [f"info@{rng.choice(BUSINESS_KINDS)}{lc}.nl", f"{f}@{lc}{rng.choice(BUSINESS_KINDS)}.nl"]
        )
    year = str(rng.randint(1945, 1962) if generation == "old" else rng.randint(1963, 2004))
    local = rng.choice(
        [
            f"{f}.{lc}",
            f"{f[0]}.{lc}",
            f"{f}{lc}",
            f"{f}{lc}{year[2:]}",
            f"{f[0]}{lc}",
            f"{f}.{'.'.join(parts)}",
            f"{f}_{lc}",
            f"{f}{year}",
        ]
    )
    domain = rng.choices([d for d, _ in EMAIL_DOMAINS], [w for _, w in EMAIL_DOMAINS])[0]
    style = rng.choices(range(4), [62, 16, 18, 4])[0]
    if style == 1:  # "J.Jansen@Ziggo.nl"
        local = ".".join(p[:1].upper() + p[1:] for p in local.split("."))
        domain = domain[:1].upper() + domain[1:]
    elif style == 2:  # "Jan.Jansen@gmail.com"
        local = ".".join(p[:1].upper() + p[1:] for p in local.split("."))
    elif style == 3:
        return f"{local}@{domain}".upper()
    return f"{local}@{domain}"


POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
FORBIDDEN_POSTCODE_LETTERS = ("SA", "SD", "SS")


def postcode_letters(rng: random.Random) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in FORBIDDEN_POSTCODE_LETTERS:
            return letters


def type_postcode(rng: random.Random, number: int, letters: str) -> str:
    return rng.choices(
        [
            f"{number} {letters}",
            f"{number}{letters}",
            f"{number} {letters.lower()}",
            f"{number}{letters.lower()}",
        ],
        [50, 25, 15, 10],
    )[0]


HOUSE_SUFFIXES: tuple[tuple[str, float], ...] = (
    ("", 78), ("A", 6), ("B", 3), ("bis", 1), ("2-hoog", 3), ("3-hoog", 1.5), ("I", 1), ("III", 1),
    ("1", 2), ("huis", 1), ("H", 1), ("C", 1.5),
)  # fmt: skip


def house_number(rng: random.Random) -> tuple[int, str]:
    number = int(rng.choice([rng.randint(1, 40), rng.randint(1, 160), rng.randint(1, 400)]))
    suffix = rng.choices([s for s, _ in HOUSE_SUFFIXES], [w for _, w in HOUSE_SUFFIXES])[0]
    return number, suffix
