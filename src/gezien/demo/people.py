"""People for the demo organisation: agents, customer names, places and channel identities.

The names, agents and places are data (`data/people.toml`); this module invents people and identities
from them. Pure Python and deterministic: every function that invents something takes a `random.Random`.
Names reflect Dutch society: Dutch and Frisian families next to Moroccan-, Turkish-, Surinamese-,
Antillean-, Moluccan- and Polish-Dutch families and more recent newcomers.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from gezien.demo import content
from gezien.demo.content import City

_DATA = content.people()

TEAMS: tuple[str, ...] = _DATA.teams
AGENTS: tuple[tuple[str, str, str, str, str | None], ...] = _DATA.agents  # username, first, last, role, team
AGENT_TENDENCY: dict[str, str] = _DATA.agent_tendency
STRAIGHT_TO_BUSINESS: frozenset[str] = _DATA.straight_to_business
CITIES: tuple[City, ...] = _DATA.cities
CITY_WEIGHTS: tuple[float, ...] = _DATA.city_weights


def team_for_postcode(number: int) -> str:
    """Regional routing: Brabant, Zeeland, Limburg and Gelderland go to Team Zuid."""
    return "Team Zuid" if 4000 <= number < 7000 else "Team Noord"


# First names per background: (name, gender, generation) with gender "f"/"m" and generation "old"
# (born before 1960), "mid" (1960-1990) or "young" (after 1990). Generation drives the register.
Name = tuple[str, str, str]

FIRST_NAMES: dict[str, tuple[Name, ...]] = _DATA.first_names
LAST_NAMES: dict[str, tuple[str, ...]] = _DATA.last_names
POLISH_LAST: tuple[tuple[str, str], ...] = _DATA.polish_last  # (male form, female form)
OTHER_NAMES: tuple[tuple[str, str, str, str], ...] = _DATA.other_names  # (first, last, gender, generation)
BACKGROUNDS: tuple[tuple[str, float], ...] = _DATA.backgrounds
PARTNER_NAMES_M: tuple[str, ...] = _DATA.partner_names_m
PARTNER_NAMES_F: tuple[str, ...] = _DATA.partner_names_f
BABY_NAMES: tuple[str, ...] = _DATA.baby_names


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
        first, gender, generation = rng.choice(FIRST_NAMES["polish"])
        male, female = rng.choice(POLISH_LAST)
        return Person(first, female if gender == "f" else male, gender, generation, background)
    dutch = FIRST_NAMES["dutch"]
    pools: dict[str, tuple[tuple[Name, ...], tuple[str, ...]]] = {
        "dutch": (dutch, LAST_NAMES["dutch"]),
        "frisian": (FIRST_NAMES["frisian"] + dutch[:30], LAST_NAMES["frisian"]),
        "moroccan": (FIRST_NAMES["moroccan"], LAST_NAMES["moroccan"]),
        "turkish": (FIRST_NAMES["turkish"], LAST_NAMES["turkish"]),
        "surinamese": (FIRST_NAMES["surinamese"], LAST_NAMES["surinamese"]),
        "antillean": (FIRST_NAMES["antillean"], LAST_NAMES["antillean"]),
        "moluccan": (dutch, LAST_NAMES["moluccan"]),
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


EMAIL_DOMAINS: tuple[tuple[str, float], ...] = _DATA.email_domains
BUSINESS_KINDS: tuple[str, ...] = _DATA.business_kinds


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


HOUSE_SUFFIXES: tuple[tuple[str, float], ...] = _DATA.house_suffixes


def house_number(rng: random.Random) -> tuple[int, str]:
    number = int(rng.choice([rng.randint(1, 40), rng.randint(1, 160), rng.randint(1, 400)]))
    suffix = rng.choices([s for s, _ in HOUSE_SUFFIXES], [w for _, w in HOUSE_SUFFIXES])[0]
    return number, suffix
