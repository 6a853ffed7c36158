"""The demo products: aircraft models built from a table, the rest written out."""

from __future__ import annotations

from shop.demo.data import DemoProduct, DemoVariant
from shop.demo.liveries import livery_products

AIRCRAFT_CARE = (
    "Dust with a soft, dry brush. Keep out of direct sunlight to protect the paint. "
    "Lift the model by the stand, never by the wings."
)
# (scale, length factor, price multiplier, weight g, stock)
SCALES = [
    ("1:400", 1 / 400, 1, 180, 14),
    ("1:200", 1 / 200, 5, 650, 6),
    ("1:100", 1 / 100, 22, 2600, 2),
    ("1:50", 1 / 50, 110, 9800, 0),
]

# slug, ICAO type code, name, real length in metres, base price at 1:400, livery colours, scales offered, featured
TURBOPROPS = {"atr-72-600", "cn-235", "n219-nurtanio"}
AIRCRAFT = [
    ("boeing-737-800", "B738", "Boeing 737-800", 39.5, 100_000, ("#0b4f8a", "#e03a3e"), 4, True),
    ("airbus-a320neo", "A20N", "Airbus A320neo", 37.6, 110_000, ("#13663f", "#f2b134"), 4, False),
    (
        "boeing-777-300er",
        "B77W",
        "Boeing 777-300ER",
        73.9,
        255_000,
        ("#1b3a6b", "#c9a227"),
        4,
        True,
    ),
    ("airbus-a330-900", "A339", "Airbus A330-900", 63.7, 210_000, ("#0f6b78", "#f07f2d"), 3, False),
    (
        "boeing-787-9",
        "B789",
        "Boeing 787-9 Dreamliner",
        62.8,
        220_000,
        ("#1f2f5c", "#5fb0e5"),
        4,
        True,
    ),
    ("airbus-a350-900", "A359", "Airbus A350-900", 66.8, 230_000, ("#5a1f3d", "#d9b26c"), 3, False),
    ("atr-72-600", "AT76", "ATR 72-600 turboprop", 27.2, 120_000, ("#1a7a4c", "#ffcc33"), 3, False),
    ("cn-235", "CN35", "CN-235 transport", 21.4, 130_000, ("#4b5a3a", "#c8b98a"), 3, True),
    (
        "n219-nurtanio",
        "N219",
        "N219 Nurtanio commuter",
        16.5,
        125_000,
        ("#c0392b", "#f4f1ea"),
        3,
        False,
    ),
    ("boeing-747-400", "B744", "Boeing 747-400", 70.7, 300_000, ("#7a1e2c", "#e8c15a"), 4, False),
]


def _aircraft(index: int, row: tuple) -> DemoProduct:
    slug, icao, name, length_m, base, palette, n_scales, featured = row
    variants = []
    for scale, factor, multiplier, weight, stock in SCALES[:n_scales]:
        length_mm = round(length_m * 1000 * factor)
        price = round(base * multiplier, -4)
        variants.append(
            DemoVariant(
                sku=f"AC-{icao}-{scale.replace(':', '')}",
                label=f"Scale {scale} ({length_mm / 10:.0f} cm)",
                price_idr=int(max(price, 100_000)),
                stock=stock if (index + len(variants)) % 5 else 0,
                weight_g=weight,
                dims_mm=(length_mm, round(length_mm * 0.95), max(60, round(length_mm * 0.3))),
            )
        )
    return DemoProduct(
        slug=f"{slug}-display-model",
        name=f"{name} display model",
        category="miniature-aircraft",
        workshop="model-aircraft-tangerang",
        kind="turboprop" if slug in TURBOPROPS else "aircraft",
        palette=palette,
        summary=f"A hand-finished {name} on a polished wooden stand, in desk to lobby sizes.",
        description=(
            f"Every {name} model starts as a carved master. Our makers cast the fuselage and "
            "wings, sand every seam, prime, and paint the livery by hand with an airbrush; the "
            "window lines and registration are fine decals.\n\n"
            "- Solid resin body on a mahogany stand with an engraved plate\n"
            "- Landing gear up, for a clean display profile\n"
            "- Shipped in a fitted foam box\n\n"
            "Airlines and travel agencies order these in their own livery: ask us for a quote "
            "for 10 pieces or more."
        ),
        materials="Cast resin, mahogany stand, acrylic paint, waterslide decals",
        care=AIRCRAFT_CARE,
        variants=variants,
        photos=4 if featured else 3,
        made_to_order=True,
        lead_time_days=21 if n_scales < 4 else 45,
        maker_share_pct=35,
        featured=featured,
        aircraft_type=name,
    )


def _v(sku: str, label: str, price: int, stock: int, weight: int, dims: tuple) -> DemoVariant:
    return DemoVariant(sku, label, price, stock, weight, dims)


WOOD_CARE = (
    "Wash by hand in warm water and dry straight away. Not for the dishwasher or microwave. "
    "Rub with food-safe oil every few months."
)
RATTAN_CARE = "Dust with a soft brush. Keep away from standing water and direct heat."
TEAK_CARE = (
    "Wipe with a dry cloth. Oil once a year with teak oil. Teak weathers to silver outdoors."
)

OTHER_PRODUCTS = [
    DemoProduct(
        "sono-wood-salad-bowl",
        "Sono wood salad bowl",
        "tableware",
        "woodcraft-banyuwangi",
        "bowl",
        "A deep serving bowl turned from a single block of sono wood.",
        "Turned on the lathe from one block of **sono keling** (Indonesian rosewood) and finished with food-safe coconut oil. The grain runs differently in every bowl, so yours is one of a kind.",
        "Sono keling wood, coconut oil",
        WOOD_CARE,
        [
            _v("TW-SONO-BOWL-24", "Ø 24 cm", 285_000, 12, 620, (240, 240, 95)),
            _v("TW-SONO-BOWL-30", "Ø 30 cm", 395_000, 5, 980, (300, 300, 115)),
        ],
        ("#6b3b1f", "#a8663a"),
        featured=True,
    ),
    DemoProduct(
        "mahogany-dinner-plate-set",
        "Mahogany dinner plates, set of 4",
        "tableware",
        "woodcraft-banyuwangi",
        "plate",
        "Four flat dinner plates with a gentle rim, turned from mahogany.",
        "A set of four plates turned from mahogany offcuts from licensed furniture makers. Light, warm to the touch and hard-wearing.",
        "Mahogany, food-safe oil",
        WOOD_CARE,
        [_v("TW-MAH-PLATE-26", "Ø 26 cm, set of 4", 340_000, 9, 1400, (260, 260, 22))],
        ("#7b3f22", "#b5714a"),
    ),
    DemoProduct(
        "teak-serving-spoons",
        "Teak serving spoon and fork",
        "tableware",
        "woodcraft-banyuwangi",
        "cutlery",
        "A carved pair of salad servers in teak.",
        "Carved by hand with gouges and knives, then sanded smooth. The pair hangs on a leather loop.",
        "Teak, leather loop",
        WOOD_CARE,
        [_v("TW-TEAK-SERVERS", "30 cm pair", 145_000, 25, 160, (300, 70, 20))],
        ("#9a6a3a", "#c99a62"),
    ),
    DemoProduct(
        "coconut-shell-cups",
        "Coconut shell cups, set of 2",
        "tableware",
        "woodcraft-banyuwangi",
        "cup",
        "Polished coconut shell cups on turned wooden feet.",
        "Coconut shells from Banyuwangi markets, polished inside and out and mounted on a small turned foot.",
        "Coconut shell, sono wood",
        "Hand wash only. Not for hot drinks over 60 °C.",
        [_v("TW-COCO-CUP-2", "Set of 2, 250 ml", 120_000, 30, 240, (95, 95, 80))],
        ("#4a2f1d", "#8c6444"),
    ),
    DemoProduct(
        "trembesi-cheese-board",
        "Trembesi cheese board",
        "tableware",
        "woodcraft-banyuwangi",
        "tray",
        "A live-edge serving board in trembesi (rain tree) wood.",
        "Each board keeps the natural edge of the trunk. Finished with beeswax and food-safe oil.",
        "Trembesi wood, beeswax",
        WOOD_CARE,
        [
            _v("TW-TREM-BOARD-S", "Small, 35 × 20 cm", 165_000, 14, 800, (350, 200, 25)),
            _v("TW-TREM-BOARD-L", "Large, 50 × 28 cm", 245_000, 6, 1500, (500, 280, 30)),
        ],
        ("#8d5b2e", "#c18c55"),
    ),
    DemoProduct(
        "nesting-bowls-trio",
        "Nesting bowls, trio",
        "tableware",
        "woodcraft-banyuwangi",
        "bowl",
        "Three bowls that nest inside each other, from one block.",
        "Cut from a single block with a coring tool, so the three bowls share the same grain.",
        "Mahogany, food-safe oil",
        WOOD_CARE,
        [_v("TW-NEST-TRIO", "Ø 12 / 16 / 20 cm", 310_000, 0, 900, (200, 200, 90))],
        ("#5e2f19", "#9b5a34"),
        made_to_order=True,
        lead_time_days=14,
    ),
    DemoProduct(
        "carved-rice-paddle-set",
        "Carved rice paddles, set of 3",
        "tableware",
        "woodcraft-banyuwangi",
        "cutlery",
        "Flat rice paddles for serving and stirring.",
        "Three paddles in sono wood with carved handles, for rice, stir-fries and salads.",
        "Sono wood",
        WOOD_CARE,
        [_v("TW-PADDLE-3", "Set of 3, 24 cm", 95_000, 40, 150, (240, 60, 12))],
        ("#55301c", "#8a5533"),
    ),
    DemoProduct(
        "teak-root-fruit-bowl",
        "Teak root fruit bowl",
        "tableware",
        "furniture-jepara",
        "bowl",
        "A sculptural bowl carved from reclaimed teak root.",
        "Carved from teak root reclaimed from old plantations. Heavy, dramatic and made for fruit, not soup.",
        "Reclaimed teak root",
        "Dust and oil occasionally. Not for liquids.",
        [_v("TW-TEAKROOT-BOWL", "Ø approx. 40 cm", 850_000, 3, 4200, (400, 380, 140))],
        ("#7a4b24", "#b98648"),
        featured=True,
    ),
    DemoProduct(
        "rattan-market-basket",
        "Rattan market basket",
        "rattan-bamboo",
        "rattan-cirebon",
        "basket",
        "A sturdy shopping basket with a bent rattan handle.",
        "Woven on a rattan frame in a tight twill weave. Strong enough for a week's shopping.",
        "Natural rattan",
        RATTAN_CARE,
        [
            _v("RB-MARKET-M", "Medium, 35 cm", 225_000, 18, 700, (350, 250, 380)),
            _v("RB-MARKET-L", "Large, 45 cm", 295_000, 7, 950, (450, 300, 420)),
        ],
        ("#b8864b", "#8a5f2e"),
        featured=True,
    ),
    DemoProduct(
        "bamboo-serving-tray",
        "Bamboo serving tray",
        "rattan-bamboo",
        "rattan-cirebon",
        "tray",
        "A light tray of split bamboo with rattan-bound handles.",
        "Split bamboo laid edge to edge on a frame, bound with rattan at the handles.",
        "Bamboo, rattan",
        RATTAN_CARE,
        [_v("RB-BAMBOO-TRAY", "45 × 30 cm", 175_000, 20, 600, (450, 300, 60))],
        ("#c9a25f", "#8c6a35"),
    ),
    DemoProduct(
        "water-hyacinth-storage-basket",
        "Water hyacinth storage basket",
        "rattan-bamboo",
        "rattan-cirebon",
        "basket",
        "A lidded storage basket woven from water hyacinth.",
        "Water hyacinth is an invasive plant cleared from Java's rivers; dried and plaited, it makes soft, strong baskets.",
        "Water hyacinth, rattan frame",
        RATTAN_CARE,
        [
            _v("RB-HYAC-S", "Small, 30 cm", 185_000, 10, 500, (300, 300, 250)),
            _v("RB-HYAC-M", "Medium, 40 cm", 265_000, 4, 800, (400, 400, 330)),
            _v("RB-HYAC-L", "Large, 50 cm", 345_000, 0, 1100, (500, 500, 420)),
        ],
        ("#8f7a4e", "#5e4d2c"),
    ),
    DemoProduct(
        "rattan-bread-basket",
        "Round rattan bread basket",
        "rattan-bamboo",
        "rattan-cirebon",
        "basket",
        "A shallow round basket for bread and fruit.",
        "An open weave that lets bread breathe. Woven round a rattan hoop.",
        "Natural rattan",
        RATTAN_CARE,
        [_v("RB-BREAD-25", "Ø 25 cm", 110_000, 35, 220, (250, 250, 80))],
        ("#c49356", "#94693a"),
    ),
    DemoProduct(
        "bamboo-pendant-lamp",
        "Bamboo pendant lamp shade",
        "rattan-bamboo",
        "rattan-cirebon",
        "lamp",
        "A woven bamboo shade that throws patterned light.",
        "Woven from thin bamboo strips in an open hexagonal weave. Fits a standard E27 pendant (not included).",
        "Bamboo",
        "Dust with a soft brush. Use LED bulbs only.",
        [
            _v("RB-LAMP-40", "Ø 40 cm", 420_000, 6, 700, (400, 400, 300)),
            _v("RB-LAMP-60", "Ø 60 cm", 640_000, 2, 1100, (600, 600, 420)),
        ],
        ("#d2b06a", "#7d5f2a"),
        featured=True,
    ),
    DemoProduct(
        "rattan-laundry-hamper",
        "Rattan laundry hamper",
        "rattan-bamboo",
        "rattan-cirebon",
        "basket",
        "A tall lidded hamper on a rattan frame.",
        "Tall, lidded and lined with removable cotton. Made to order in two weeks.",
        "Rattan, cotton liner",
        RATTAN_CARE,
        [_v("RB-HAMPER", "65 cm tall", 690_000, 0, 2600, (420, 420, 650))],
        ("#a57a42", "#6e4f27"),
        made_to_order=True,
        lead_time_days=14,
    ),
    DemoProduct(
        "woven-placemats",
        "Woven rattan placemats, set of 6",
        "rattan-bamboo",
        "rattan-cirebon",
        "tray",
        "Flat-woven oval placemats in natural rattan.",
        "Six oval placemats in a flat weave. Heat-resistant up to a hot plate.",
        "Rattan core",
        RATTAN_CARE,
        [_v("RB-PLACEMAT-6", "Set of 6, 40 × 30 cm", 240_000, 16, 900, (400, 300, 10))],
        ("#c8a064", "#8a6536"),
    ),
    DemoProduct(
        "teak-dining-chair",
        "Teak dining chair",
        "furniture",
        "furniture-jepara",
        "chair",
        "A solid teak dining chair with a woven rattan seat.",
        "Mortise-and-tenon joints, no screws. The seat is hand-woven rattan. Ships flat-packed in two parts.",
        "Solid teak, rattan seat",
        TEAK_CARE,
        [
            _v("FN-TEAK-CHAIR", "Natural oil finish", 2_450_000, 4, 7500, (460, 520, 880)),
            _v("FN-TEAK-CHAIR-DARK", "Dark walnut finish", 2_650_000, 0, 7500, (460, 520, 880)),
        ],
        ("#8a5a2b", "#c9a46a"),
        made_to_order=True,
        lead_time_days=30,
        featured=True,
    ),
    DemoProduct(
        "carved-teak-stool",
        "Carved teak stool",
        "furniture",
        "furniture-jepara",
        "stool",
        "A round stool carved with a Jepara flower motif.",
        "The seat is carved with a traditional Jepara flower motif. Three splayed legs sit steady on any floor.",
        "Solid teak",
        TEAK_CARE,
        [
            _v("FN-STOOL-45", "45 cm high", 950_000, 8, 4200, (360, 360, 450)),
            _v("FN-STOOL-65", "65 cm bar height", 1_250_000, 3, 5600, (380, 380, 650)),
        ],
        ("#7c4e25", "#b88650"),
    ),
    DemoProduct(
        "teak-coffee-table",
        "Teak coffee table",
        "furniture",
        "furniture-jepara",
        "table",
        "A low table with a slatted shelf underneath.",
        "Solid teak top with breadboard ends to keep it flat in any climate. A slatted shelf below.",
        "Solid teak",
        TEAK_CARE,
        [
            _v("FN-COFFEE-100", "100 × 55 cm", 4_800_000, 2, 22000, (1000, 550, 420)),
            _v("FN-COFFEE-120", "120 × 65 cm", 5_900_000, 0, 28000, (1200, 650, 420)),
        ],
        ("#6e4424", "#a8743f"),
        made_to_order=True,
        lead_time_days=45,
        maker_share_pct=25,
    ),
    DemoProduct(
        "mahogany-wall-shelf",
        "Mahogany wall shelf",
        "furniture",
        "furniture-jepara",
        "shelf",
        "A three-tier wall shelf with dovetailed corners.",
        "Three shelves joined with hand-cut dovetails. Hangs on two hidden brackets (included).",
        "Mahogany",
        TEAK_CARE,
        [_v("FN-SHELF-80", "80 cm wide", 1_350_000, 5, 6000, (800, 200, 700))],
        ("#6a2f1c", "#a35a3a"),
    ),
    DemoProduct(
        "teak-dining-table",
        "Teak dining table",
        "furniture",
        "furniture-jepara",
        "table",
        "A six-seat dining table in solid teak, made to order.",
        "Solid teak with breadboard ends and hand-cut mortise-and-tenon joints. Teak's natural oils keep it stable for decades.",
        "Solid teak",
        TEAK_CARE,
        [_v("FN-DINING-180", "180 × 90 cm, six seats", 8_750_000, 0, 52000, (1800, 900, 760))],
        ("#8c6239", "#c19a66"),
        made_to_order=True,
        lead_time_days=60,
        maker_share_pct=25,
    ),
    DemoProduct(
        "teak-root-table-lamp",
        "Teak root table lamp",
        "home-decor",
        "furniture-jepara",
        "lamp",
        "A table lamp on a base of polished teak root with a linen shade.",
        "The base is a polished piece of teak root, so no two are the same. Linen shade, E27 fitting, EU/UK/US cable on request.",
        "Teak root, linen, brass fittings",
        "Dust the base; keep the shade dry.",
        [_v("HD-ROOT-LAMP", "55 cm tall", 780_000, 5, 3100, (300, 300, 550))],
        ("#7a4a25", "#efe4cf"),
    ),
    DemoProduct(
        "bamboo-vase-set",
        "Bamboo vase set",
        "home-decor",
        "rattan-cirebon",
        "vase",
        "Three bamboo vases in graded heights, for dried flowers.",
        "Cut from bamboo culms with the nodes kept as natural bases. For dried flowers and grasses.",
        "Bamboo, lacquer",
        "Dust only; not watertight.",
        [_v("HD-BAMBOO-VASE-3", "Set of 3, 20 / 30 / 40 cm", 150_000, 22, 650, (120, 120, 400))],
        ("#b79c5b", "#6f5d2e"),
    ),
    DemoProduct(
        "carved-wooden-vase",
        "Carved sono wood vase",
        "home-decor",
        "woodcraft-banyuwangi",
        "vase",
        "A tall turned vase with a glass liner for fresh flowers.",
        "Turned from sono wood with a removable glass liner, so it can hold fresh flowers.",
        "Sono wood, glass liner",
        WOOD_CARE,
        [_v("HD-SONO-VASE", "32 cm tall", 260_000, 9, 900, (110, 110, 320))],
        ("#4f2a18", "#8e5634"),
    ),
    DemoProduct(
        "rattan-table-lamp",
        "Rattan table lamp",
        "home-decor",
        "rattan-cirebon",
        "lamp",
        "A bedside lamp with a hand-woven rattan shade.",
        "The shade is woven round a rattan hoop; the turned base is sono wood. E27 fitting, EU/UK/US cable on request.",
        "Rattan, sono wood, linen cable",
        RATTAN_CARE,
        [_v("HD-RATTAN-LAMP", "45 cm tall", 560_000, 0, 1400, (280, 280, 450))],
        ("#c59a5a", "#7d5a2c"),
        made_to_order=True,
        lead_time_days=21,
    ),
]


def demo_products() -> list[DemoProduct]:
    """Return every demo product: aircraft first, airline-livery models last."""
    aircraft = [_aircraft(i, row) for i, row in enumerate(AIRCRAFT)]
    return aircraft + OTHER_PRODUCTS + livery_products()
