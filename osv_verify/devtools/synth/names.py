"""Invented names (not real people or places): candidates, parties, municipalities, polling
stations, postcodes; and the ASCII form OSV reduces names to in file names."""

from __future__ import annotations

import random
import re
import unicodedata

FIRST_M = ("Jan", "Pieter", "Kees", "Willem", "Hendrik", "Daan", "Bram", "Sem", "Ruben", "Thijs", "Joost", "Maarten",
            "Gerrit", "Wouter", "Lars", "Niels", "Koen", "Bas", "Erik", "Frank", "Hugo", "Ivo", "Jeroen", "Mohamed",
            "Ahmet", "Rik", "Stijn", "Tom", "Vincent", "Youssef")
FIRST_F = ("Anna", "Marieke", "Sanne", "Lotte", "Emma", "Fleur", "Ingrid", "Joke", "Karin", "Linda", "Mirjam", "Noor",
            "Petra", "Renske", "Saskia", "Tessa", "Yvonne", "Fatima", "Esra", "Anouk", "Britt", "Daphne", "Eva",
            "Hanneke", "Iris", "Janneke", "Lieke", "Myrthe", "Nadia", "Sophie")
LAST = ("Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker",
         "Brouwer", "Dijkstra", "Kok", "Jacobs", "Vermeulen", "Schouten", "Willems", "Hoekstra", "Koster", "Prins",
         "Huisman", "Post", "Kuipers", "Veenstra", "Kramer", "Scholten", "Wolters", "Postma", "Timmermans",
         "Groen", "Gerritsen", "Molenaar", "Verhoeven", "Yılmaz", "El Amrani", "Çelik",
         "Rietveld", "Zwart", "Blom", "Sluiter", "Terpstra", "Haverkamp", "Oosterhuis", "Nijland", "Eshuis",
         "Ter Horst", "Bouwman", "Verbeek", "Lammers", "Aarts", "Claassen", "Driessen", "Evers", "Franssen")
#: Last names that go with a prefix ("van der Berg"), and their prefixes.
PREFIXED = ("Boer", "Berg", "Dam", "Wal", "Leeuwen", "Heuvel", "Linden", "Veen", "Graaf", "Haan", "Bruijn", "Wit",
             "Lange", "Vries", "Jong", "Horst", "Beek", "Meer")
PREFIXES = ("van", "de", "van der", "van den", "ter", "van 't", "van de")
PLACE_A = ("Oost", "West", "Noord", "Zuid", "Hoog", "Laag", "Nieuw", "Oud", "Groot", "Klein", "Berg", "Dal", "Veen",
            "Hout", "Zand", "Beek", "Bloem", "Linde", "Eik", "Haar", "Maas", "Rijn", "Vries", "Kamp", "Ven", "Loo",
            "Brug", "Dijk", "Molen", "Wolde", "Hees", "Ede", "Aa", "Bree", "Elst", "Gees", "Holt", "Lier")
PLACE_B = ("dam", "dijk", "veen", "wijk", "horst", "broek", "hoven", "stein", "zijl", "meer", "loo", "huizen", "burg",
            "kerk", "velde", "berg", "dorp", "rode", "wolde", "zand", "lo", "beek", "hem", "um", "ingen", "wert",
            "sloot", "geest", "hout", "werd")
BUILDINGS = ("Dorpshuis", "Basisschool", "Sporthal", "Buurthuis", "Wijkcentrum", "MFA", "Bibliotheek", "Kerkzaal",
              "Gemeentehuis", "Cultuurhuis", "Zorgcentrum", "Clubhuis")
PARTIES = ("Lokaal Belang", "Partij voor de Toekomst", "Sociaal Verbond", "Liberale Unie", "Groen Perspectief",
            "Christelijk Midden", "Burgerbelangen", "Stad & Land", "Ouderenpartij Samen", "Dierenvrienden",
            "Vrije Democraten", "Volkspartij Nederland", "Boerenbelang", "Jong Nederland", "Fryske Partij Ús Lân",
            "Europa Nu", "Partij van het Noorden", "Gezond Verstand", "Nieuw Sociaal", "Democratisch Alternatief",
            "Partij voor Vrijheid en Recht", "Rechtvaardig Nederland", "Zuid-Nederland", "Blanco (Jansen)",
            "Kiezers Collectief", "Onafhankelijk Links", "Onafhankelijk Rechts", "Partij 50+Plus", "Gewoon Doen",
            "Lijst Dorpsbelang")


def ascii_name(text: str) -> str:
    """``Súdwest-Fryslân`` -> ``SudwestFryslan``, as OSV reduces names in file names."""
    t = unicodedata.normalize("NFKD", text).replace("(", "_")
    return re.sub(r"[^A-Za-z0-9_]", "", t).strip("_")


def place_names(rng: random.Random, n: int) -> list[str]:
    pool = [a + b for a in PLACE_A for b in PLACE_B]
    if n > len(pool):
        pool += [f"{p} aan de {q}" for p in pool[:200] for q in ("Maas", "Rijn", "Vecht", "IJssel", "Linge")]
    names = rng.sample(pool, n)
    return [name[0].upper() + name[1:] for name in names]


def postcode(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    return f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"


def station_name(rng: random.Random) -> str:
    """``Stembureau Sporthal Oostdijk (postcode: 1234 AB)``, as a 510b names a station."""
    return f"Stembureau {rng.choice(BUILDINGS)} {rng.choice(PLACE_A)}{rng.choice(PLACE_B)} (postcode: {postcode(rng)})"
