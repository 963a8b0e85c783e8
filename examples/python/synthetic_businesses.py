"""Deterministic synthetic Google Maps businesses, shaped like the old pipeline's
gmaps_businesses rows (see tests/fixtures/business-to-lead.json):

    from synthetic_businesses import generate
    rows = generate(10_000, seed=7)   # the same seed always gives the same rows
    rows[0]["email"]                  # 'info@<slug>.example.com'

Every name, phone, website and address is made up; every domain is under example.com
(reserved, never mailed). About 1% of the rows carry an invalid email and about 1% repeat an
earlier row's email (a second branch of the same business); `expected(rows)` says exactly how
many of each there are, so a demo or test can check an import's accounting against it.

Standard library only; no network.
"""
from __future__ import annotations

import random
import re
from typing import Dict, List

ADJECTIVES = (
    "Golden", "Blue", "Sunny", "Lucky", "Urban", "Rustic", "Happy", "Silver", "Green", "Royal",
    "Little", "Big", "Red", "Cozy", "Bright", "Iron", "Maple", "Harbor", "Summit", "Prairie",
    "Coastal", "Desert", "Northern", "Southern", "Hidden", "Old Town", "Main Street", "Twin", "Corner", "Union",
)
NOUNS = (
    "Oak", "Bean", "Fox", "Bridge", "Lantern", "River", "Anchor", "Pine", "Sparrow", "Stone",
    "Garden", "Compass", "Feather", "Harvest", "Meadow", "Falcon", "Willow", "Cedar", "Bear", "Star",
    "Mill", "Wolf", "Otter", "Hill", "Bay", "Canyon", "Orchard", "Peak", "Trail", "Lake",
)
# category → the words a business of that kind puts after its name
CATEGORIES = {
    "cafe": ("Cafe", "Coffee", "Coffee House", "Espresso Bar"),
    "bakery": ("Bakery", "Bake Shop", "Breads"),
    "restaurant": ("Kitchen", "Bistro", "Grill", "Eatery"),
    "dentist": ("Dental", "Family Dentistry", "Smiles"),
    "plumber": ("Plumbing", "Plumbing & Drain", "Pipe Works"),
    "electrician": ("Electric", "Electrical Services"),
    "hair salon": ("Salon", "Hair Studio", "Barbers"),
    "gym": ("Fitness", "Gym", "Strength Club"),
    "auto repair": ("Auto Repair", "Garage", "Motors"),
    "florist": ("Flowers", "Florist", "Blooms"),
    "yoga studio": ("Yoga", "Yoga Studio"),
    "veterinarian": ("Animal Hospital", "Vet Clinic", "Pet Care"),
    "landscaping": ("Landscaping", "Lawn & Garden"),
    "real estate agency": ("Realty", "Properties", "Homes"),
    "bookstore": ("Books", "Book Shop"),
}
# (city, state, area code, short name for the icebreaker)
CITIES = (
    ("Los Angeles", "CA", "213", "LA"), ("San Diego", "CA", "619", "San Diego"),
    ("San Francisco", "CA", "415", "SF"), ("Austin", "TX", "512", "Austin"),
    ("Houston", "TX", "713", "Houston"), ("Dallas", "TX", "214", "Dallas"),
    ("Phoenix", "AZ", "602", "Phoenix"), ("Denver", "CO", "303", "Denver"),
    ("Seattle", "WA", "206", "Seattle"), ("Portland", "OR", "503", "Portland"),
    ("Chicago", "IL", "312", "Chicago"), ("Minneapolis", "MN", "612", "Minneapolis"),
    ("Nashville", "TN", "615", "Nashville"), ("Atlanta", "GA", "404", "Atlanta"),
    ("Miami", "FL", "305", "Miami"), ("Orlando", "FL", "407", "Orlando"),
    ("Charlotte", "NC", "704", "Charlotte"), ("Boston", "MA", "617", "Boston"),
    ("New York", "NY", "212", "NYC"), ("Philadelphia", "PA", "215", "Philly"),
    ("Pittsburgh", "PA", "412", "Pittsburgh"), ("Columbus", "OH", "614", "Columbus"),
    ("Detroit", "MI", "313", "Detroit"), ("Salt Lake City", "UT", "801", "SLC"),
    ("Las Vegas", "NV", "702", "Vegas"), ("Kansas City", "MO", "816", "KC"),
    ("New Orleans", "LA", "504", "NOLA"), ("Raleigh", "NC", "919", "Raleigh"),
)
STREETS = ("Main", "Oak", "Maple", "Cedar", "Elm", "Pine", "Washington", "Lake", "Hill", "Park",
           "Sunset", "Broadway", "Market", "Church", "Mill", "River", "Spring", "Highland")
STREET_KINDS = ("St", "Ave", "Blvd", "Rd", "Dr", "Ln", "Way")
ICEBREAKERS = (
    "Saw you have {rating} stars in {short}...",
    "{reviews} reviews and a {rating} average - people in {short} clearly like {name}.",
    "Came across {name} while looking at {category} spots in {city}.",
    "Your {rating}-star rating stood out among {category} businesses in {short}.",
)
SUBJECTS = ("Quick Q for {name}", "{name} + more {city} customers?", "Idea for {name}", "A question about {name}")
# Emails Instantly (and instantly-mock) reject; some fail the SDK's own check before sending
# (no "@", no dot in the domain, a space), others only the API's (a digit in the TLD, "..").
INVALID_EMAILS = (
    "info@{slug}", "info.{slug}.example.com", "info@{slug} .example.com",
    "info@{slug}.example.c0m", "info@{slug}..example.com", "@{slug}.example.com",
)


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower().replace("&", "and"))


def generate(count: int = 10_000, seed: int = 7, *, invalid_rate: float = 0.01,
             duplicate_rate: float = 0.01) -> List[Dict[str, object]]:
    """`count` business rows, the same ones for the same arguments. round(count * invalid_rate)
    rows get an invalid email and round(count * duplicate_rate) rows repeat the email of an
    earlier valid row; every other email is distinct."""
    rng = random.Random(seed)
    positions = list(range(1, count))
    special = rng.sample(positions, min(len(positions), round(count * invalid_rate) + round(count * duplicate_rate)))
    invalid = set(special[:round(count * invalid_rate)])
    duplicate = set(special[round(count * invalid_rate):])

    categories = sorted(CATEGORIES)
    rows: List[Dict[str, object]] = []
    valid_emails: List[str] = []
    used: set = set()
    for i in range(count):
        category = categories[rng.randrange(len(categories))]
        city, state, area, short = CITIES[rng.randrange(len(CITIES))]
        base = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(CATEGORIES[category])}"
        name = base
        if i in duplicate:
            name = f"{base} - {rng.choice(('Downtown', 'Uptown', 'Eastside', 'Westside', 'Midtown'))}"
        slug = slugify(base)
        if slug in used:  # a distinct domain for a distinct business: add the city, then a number
            candidate, n = f"{slug}{slugify(city)}", 2
            while candidate in used:
                candidate, n = f"{slug}{slugify(city)}{n}", n + 1
            slug = candidate
        used.add(slug)
        rating = round(rng.triangular(2.5, 5.0, 4.6), 1)
        reviews = int(rng.paretovariate(1.3) * 8)
        if i in invalid:
            email = rng.choice(INVALID_EMAILS).format(slug=slug)
        elif i in duplicate:
            email = valid_emails[rng.randrange(len(valid_emails))]
        else:
            email = f"info@{slug}.example.com"
            valid_emails.append(email)
        fields = {"name": name, "rating": rating, "reviews": reviews, "city": city, "short": short,
                  "category": category}
        rows.append({
            "name": name,
            "email": email,
            "category": category,
            "city": city,
            "state": state,
            "rating": rating,
            "reviews_count": reviews,
            "phone": f"+1-{area}-555-{rng.randrange(10_000):04d}",
            "website": f"https://{slug}.example.com",
            "address": f"{rng.randrange(1, 9_999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}, {city}, {state}",
            "icebreaker": rng.choice(ICEBREAKERS).format(**fields),
            "subject_line": rng.choice(SUBJECTS).format(**fields),
        })
    return rows


def expected(rows: List[Dict[str, object]]) -> Dict[str, int]:
    """How an import of `rows` into an empty campaign should come out: distinct valid emails
    (uploaded), repeats of an earlier email (duplicates, compared case-insensitively) and
    invalid emails. Sums to len(rows)."""
    seen: set = set()
    counts = {"valid": 0, "duplicates": 0, "invalid": 0}
    for row in rows:
        email = str(row["email"])
        if not _valid(email):
            counts["invalid"] += 1
        elif email.lower() in seen:
            counts["duplicates"] += 1
        else:
            seen.add(email.lower())
            counts["valid"] += 1
    return counts


def _valid(email: str) -> bool:
    """The API's rule as instantly-mock applies it (tools/mock/handlers/lead_records.cpp)."""
    local, at, domain = email.partition("@")
    if not local or not at or "@" in domain or re.search(r"[\s,;<>()\[\]\\\"]", email):
        return False
    if "." not in domain or domain.startswith((".", "-")) or ".." in domain:
        return False
    tld = domain.rsplit(".", 1)[1]
    return len(tld) >= 2 and tld.isalpha()


if __name__ == "__main__":
    import json
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for row in generate(n):
        print(json.dumps(row))
