"""Demo airline-livery models: the pieces a souvenir buyer from Indonesia, Japan or Korea asks
for first, with their texts in English, Indonesian, Japanese and Korean.

Some are in stock, some made to order; they come after the rest of the demo catalog, so a
seed limited to its first products (the browser tests') stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from shop.demo.data import DemoProduct, DemoVariant


@dataclass(frozen=True)
class Livery:
    """One airline's livery on one aircraft type, and how its models are offered."""

    slug: str
    code: str  # SKU part
    airline: dict[str, str]  # the airline's name, per language ("en" first)
    aircraft: dict[str, str]  # the type, per language
    palette: tuple[str, str]
    variants: tuple[tuple[str, int, int, int, int], ...]  # scale, price, stock, weight g, cm
    lead_time_days: int | None = None  # made to order when set


def _names(en: str, id_: str, ja: str, ko: str) -> dict[str, str]:
    return {"en": en, "id": id_, "ja": ja, "ko": ko}


B738 = _names("Boeing 737-800", "Boeing 737-800", "ボーイング737-800", "보잉 737-800")
LIVERIES = [
    Livery(
        "garuda-indonesia-boeing-737-800-model",
        "GIA-B738",
        _names("Garuda Indonesia", "Garuda Indonesia", "ガルーダ・インドネシア航空", "가루다 인도네시아 항공"),
        B738,
        ("#0b4f6c", "#38b6c9"),
        (("1:400", 350_000, 15, 180, 10), ("1:200", 650_000, 8, 650, 20), ("1:100", 2_400_000, 2, 2600, 40)),
    ),
    Livery(
        "lion-air-boeing-737-900er-model",
        "LNI-B739",
        _names("Lion Air", "Lion Air", "ライオン・エア", "라이온 에어"),
        _names("Boeing 737-900ER", "Boeing 737-900ER", "ボーイング737-900ER", "보잉 737-900ER"),
        ("#d7262e", "#f4f1ea"),
        (("1:200", 720_000, 0, 700, 21), ("1:100", 2_650_000, 0, 2800, 42)),
        lead_time_days=30,
    ),
    Livery(
        "citilink-airbus-a320neo-model",
        "CTV-A20N",
        _names("Citilink", "Citilink", "シティリンク", "시티링크"),
        _names("Airbus A320neo", "Airbus A320neo", "エアバスA320neo", "에어버스 A320neo"),
        ("#1c9c4a", "#f7f7f2"),
        (("1:400", 380_000, 12, 180, 9), ("1:200", 690_000, 5, 650, 19)),
    ),
    Livery(
        "japan-airlines-boeing-787-9-model",
        "JAL-B789",
        _names("Japan Airlines", "Japan Airlines", "日本航空（JAL）", "일본항공(JAL)"),
        _names("Boeing 787-9", "Boeing 787-9", "ボーイング787-9", "보잉 787-9"),
        ("#f4f4f2", "#c8102e"),
        (("1:200", 1_450_000, 0, 900, 31), ("1:100", 4_200_000, 0, 3400, 63)),
        lead_time_days=45,
    ),
    Livery(
        "ana-boeing-777-300er-model",
        "ANA-B77W",
        _names("ANA", "ANA (All Nippon Airways)", "ANA（全日空）", "ANA(전일본공수)"),
        _names("Boeing 777-300ER", "Boeing 777-300ER", "ボーイング777-300ER", "보잉 777-300ER"),
        ("#13448f", "#4fb3e6"),
        (("1:200", 1_650_000, 3, 1100, 37), ("1:100", 4_500_000, 1, 4200, 74)),
    ),
    Livery(
        "korean-air-airbus-a330-300-model",
        "KAL-A333",
        _names("Korean Air", "Korean Air", "大韓航空", "대한항공"),
        _names("Airbus A330-300", "Airbus A330-300", "エアバスA330-300", "에어버스 A330-300"),
        ("#8cc8e8", "#0c3a74"),
        (("1:200", 1_350_000, 0, 1000, 32), ("1:100", 3_900_000, 0, 3900, 64)),
        lead_time_days=45,
    ),
]  # fmt: skip

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "name": "{airline} {aircraft} model",
        "summary": "The {aircraft} in {airline} colours, painted by hand, on a wooden stand.",
        "description_md": (
            "A {aircraft} in the colours of {airline}: cast in resin, sanded seam by seam and "
            "airbrushed by hand, with the airline's markings as fine decals.\n\n"
            "- Mahogany stand with an engraved plate\n"
            "- Landing gear up, for a clean display profile\n"
            "- Shipped in a fitted foam box"
        ),
        "materials": "Cast resin, mahogany stand, acrylic paint, waterslide decals",
    },
    "id": {
        "name": "Miniatur {aircraft} {airline}",
        "summary": "{aircraft} berwarna {airline}, dicat dengan tangan, di atas dudukan kayu.",
        "description_md": (
            "Sebuah {aircraft} dengan warna {airline}: dicetak dari resin, diamplas di setiap "
            "sambungan dan dicat dengan airbrush oleh tangan, dengan tanda maskapai berupa "
            "decal yang halus.\n\n"
            "- Dudukan mahoni dengan pelat grafir\n"
            "- Roda pendarat terlipat, untuk tampilan pajangan yang rapi\n"
            "- Dikirim dalam kotak busa yang pas dengan modelnya"
        ),
        "materials": "Resin cetak, dudukan mahoni, cat akrilik, decal waterslide",
    },
    "ja": {
        "name": "{airline} {aircraft} 模型",
        "summary": "{airline}塗装の{aircraft}を手塗りで仕上げ、木製スタンドに据えた模型です。",
        "description_md": (
            "{airline}のカラーをまとった{aircraft}です。レジンで注型し、継ぎ目を一つひとつ研磨して、"
            "エアブラシで手塗りしました。航空会社のマークは精細なデカールです。\n\n"
            "- 刻印プレート付きのマホガニー製スタンド\n"
            "- すっきりとした展示姿勢になるよう、脚は格納した状態です\n"
            "- 形に合わせたフォーム入りの箱でお届けします"
        ),
        "materials": "レジン（注型）、マホガニー製スタンド、アクリル塗料、水転写デカール",
    },
    "ko": {
        "name": "{airline} {aircraft} 모형",
        "summary": "{airline} 도장의 {aircraft}를 손으로 칠해 원목 받침대에 올린 모형입니다.",
        "description_md": (
            "{airline}의 색을 입힌 {aircraft}입니다. 레진으로 캐스팅하고 이음매를 하나하나 "
            "샌딩한 뒤 에어브러시로 손수 칠했으며, 항공사 마크는 정교한 데칼로 표현했습니다.\n\n"
            "- 각인 명판이 달린 마호가니 받침대\n"
            "- 깔끔한 전시 모습을 위해 착륙 장치를 접은 상태\n"
            "- 모형에 꼭 맞는 폼 상자에 담아 배송"
        ),
        "materials": "캐스팅 레진, 마호가니 받침대, 아크릴 도료, 수전사 데칼",
    },
}

_CARE = {
    "en": "Dust with a soft, dry brush. Keep out of direct sunlight. Lift the model by the stand, never by the wings.",
    "id": "Bersihkan debu dengan kuas lembut yang kering. Jauhkan dari sinar matahari langsung. Angkat model pada dudukannya, jangan pada sayapnya.",
    "ja": "柔らかく乾いたブラシでほこりを払い、直射日光を避けて飾ってください。持ち上げるときはスタンドを持ち、翼は持たないでください。",
    "ko": "부드럽고 마른 솔로 먼지를 털고, 직사광선을 피해 주세요. 들 때는 받침대를 잡고 날개는 잡지 마세요.",
}  # fmt: skip


def _texts(livery: Livery, locale: str) -> dict[str, str]:
    names = {"airline": livery.airline[locale], "aircraft": livery.aircraft[locale]}
    return {key: text.format(**names) for key, text in _TEXTS[locale].items()}


def livery_texts(slug: str) -> dict[str, dict[str, str]]:
    """The Indonesian, Japanese and Korean texts of one livery model, as staff would type them
    (none for another product)."""
    livery = next((x for x in LIVERIES if x.slug == slug), None)
    if livery is None:
        return {}
    return {loc: _texts(livery, loc) | {"care_notes": _CARE[loc]} for loc in ("id", "ja", "ko")}


def _product(livery: Livery) -> DemoProduct:
    english = _texts(livery, "en")
    variants = [
        DemoVariant(
            sku=f"LV-{livery.code}-{scale.replace(':', '')}",
            label=f"Scale {scale} ({cm} cm)",
            price_idr=price,
            stock=stock,
            weight_g=weight,
            dims_mm=(cm * 10, round(cm * 9.5), max(60, cm * 3)),
        )
        for scale, price, stock, weight, cm in livery.variants
    ]
    return DemoProduct(
        slug=livery.slug,
        name=english["name"],
        category="miniature-aircraft",
        workshop="model-aircraft-tangerang",
        kind="aircraft",
        palette=livery.palette,
        summary=english["summary"],
        description=english["description_md"],
        materials=english["materials"],
        care=_CARE["en"],
        variants=variants,
        made_to_order=livery.lead_time_days is not None,
        lead_time_days=livery.lead_time_days,
        maker_share_pct=35,
    )


def livery_products() -> list[DemoProduct]:
    """The airline-livery demo models."""
    return [_product(livery) for livery in LIVERIES]
