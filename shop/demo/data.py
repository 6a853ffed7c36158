"""Demo catalog content: realistic workshops, categories and products."""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = [
    ("miniature-aircraft", "Miniature aircraft", "Hand-built display models of airliners and Indonesian aircraft, from desk size to lobby pieces."),
    ("tableware", "Tableware", "Bowls, plates, cups and utensils turned and carved from sustainably sourced Indonesian woods."),
    ("rattan-bamboo", "Rattan & bamboo", "Baskets, trays and storage woven from rattan, bamboo and water hyacinth."),
    ("furniture", "Furniture", "Chairs, stools, tables and shelves joined by hand in teak and mahogany."),
    ("home-decor", "Home decor", "Lamps, vases and decorative pieces for the home."),
]  # fmt: skip

WORKSHOPS = [
    {
        "slug": "model-aircraft-tangerang",
        "name": "Model aircraft workshop",
        "institution": "Lapas Kelas I Tangerang",
        "region": "Banten",
        "summary": "Display models of airliners, built from resin and wood and painted by hand.",
        "story": (
            "The model aircraft workshop started in 2016 with four makers and one airbrush. "
            "Today its makers carve masters, cast parts, sand, prime and paint every model by "
            "hand, and airlines across Asia display their work in offices and travel agencies.\n\n"
            "Makers learn **precision finishing, airbrushing and decal work**: skills that lead to "
            "jobs in automotive paint shops, furniture finishing and sign-making after release."
        ),
        "kind": "workshop",
        "palette": ("#5b6f82", "#d9d2c5"),
    },
    {
        "slug": "woodcraft-banyuwangi",
        "name": "Woodcraft workshop",
        "institution": "Lapas Kelas IIA Banyuwangi",
        "region": "East Java",
        "summary": "Turned and carved tableware in sono, mahogany and teak offcuts.",
        "story": (
            "In Banyuwangi, on the eastern tip of Java, the woodcraft workshop turns offcuts from "
            "licensed furniture makers into bowls, plates and utensils. Nothing is wasted: shavings "
            "become kindling for the institution's kitchen.\n\n"
            "Makers learn **lathe work, carving and food-safe finishing**, and many go on to work "
            "in the furniture and souvenir trade of East Java."
        ),
        "kind": "workshop",
        "palette": ("#8a5a34", "#e8d9c0"),
    },
    {
        "slug": "rattan-cirebon",
        "name": "Rattan weaving workshop",
        "institution": "Lapas Kelas IIB Cirebon",
        "region": "West Java",
        "summary": "Baskets and trays woven in the rattan capital of Indonesia.",
        "story": (
            "Cirebon is the centre of Indonesia's rattan industry, and its workshop draws on that "
            "tradition. Local craftspeople come in to teach, and the best weavers now teach the "
            "newcomers themselves.\n\n"
            "Makers learn **weaving, frame-building and natural dyeing**, skills in demand in the "
            "many rattan factories around Cirebon."
        ),
        "kind": "workshop",
        "palette": ("#b0834a", "#efe3cc"),
    },
    {
        "slug": "furniture-jepara",
        "name": "Teak furniture workshop",
        "institution": "Lapas Kelas IIB Jepara",
        "region": "Central Java",
        "summary": "Solid teak chairs, stools and tables joined without screws.",
        "story": (
            "Jepara has been famous for carved teak furniture for centuries. The workshop's makers "
            "build with traditional mortise-and-tenon joints and finish with natural oils.\n\n"
            "Makers learn **joinery, carving and finishing**, and leave with a portfolio the "
            "furniture exporters of Jepara recognise."
        ),
        "kind": "workshop",
        "palette": ("#6e4527", "#e2d3bd"),
    },
]


@dataclass(frozen=True)
class DemoVariant:
    """One variant row of a demo product."""

    sku: str
    label: str
    price_idr: int
    stock: int
    weight_g: int
    dims_mm: tuple[int, int, int]


@dataclass(frozen=True)
class DemoProduct:
    """One demo product with what its photos should show."""

    slug: str
    name: str
    category: str
    workshop: str
    kind: str
    summary: str
    description: str
    materials: str
    care: str
    variants: list[DemoVariant]
    palette: tuple[str, str] | None = None
    photos: int = 3
    made_to_order: bool = False
    lead_time_days: int | None = None
    maker_share_pct: int = 30
    featured: bool = False
    tags: list[str] = field(default_factory=list)
    aircraft_type: str = ""  # aircraft models: the type their texts are translated around
