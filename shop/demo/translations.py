"""Staff translations of the demo catalog: Bahasa Indonesia, Japanese and Korean.

The English source texts live in ``shop.demo.data`` (categories, workshops) and
``shop.demo.products`` (aircraft template, other products, care notes). Six products
have no Japanese or Korean translation on purpose, so the demo shows how the shop falls
back to English.
"""

from __future__ import annotations

LOCALES = ("id", "ja", "ko")

# --- Care notes shared by several products (mirror the constants in products.py) ---

_AIRCRAFT_CARE: dict[str, str] = {
    "id": "Bersihkan debu dengan kuas lembut yang kering. Jauhkan dari sinar matahari langsung agar catnya terlindungi. Angkat model pada dudukannya, jangan pernah pada sayapnya.",
    "ja": "柔らかく乾いたブラシでほこりを払ってください。塗装を守るため、直射日光の当たらない場所に飾ってください。持ち上げるときは必ずスタンドを持ち、翼は持たないでください。",
    "ko": "부드럽고 마른 솔로 먼지를 털어 주세요. 도장을 보호하려면 직사광선을 피해 주세요. 모형을 들 때는 반드시 받침대를 잡고, 날개는 절대 잡지 마세요.",
}

_WOOD_CARE: dict[str, str] = {
    "id": "Cuci dengan tangan menggunakan air hangat, lalu segera keringkan. Tidak untuk mesin pencuci piring atau microwave. Olesi dengan minyak yang aman untuk makanan setiap beberapa bulan.",
    "ja": "ぬるま湯で手洗いし、すぐに水気を拭き取ってください。食器洗い機や電子レンジには使用できません。数か月に一度、食品に使えるオイルを塗り込んでください。",
    "ko": "따뜻한 물에 손으로 씻은 뒤 바로 물기를 닦아 주세요. 식기세척기와 전자레인지에는 사용할 수 없습니다. 몇 달에 한 번 식품용 오일을 발라 문질러 주세요.",
}

_RATTAN_CARE: dict[str, str] = {
    "id": "Bersihkan debu dengan kuas lembut. Jauhkan dari genangan air dan sumber panas langsung.",
    "ja": "柔らかいブラシでほこりを払ってください。水がたまる場所や、熱が直接当たる場所には置かないでください。",
    "ko": "부드러운 솔로 먼지를 털어 주세요. 물이 고이는 곳이나 열기가 직접 닿는 곳은 피해 주세요.",
}

_TEAK_CARE: dict[str, str] = {
    "id": "Lap dengan kain kering. Olesi dengan minyak jati setahun sekali. Di luar ruangan, warna jati lambat laun berubah menjadi keperakan.",
    "ja": "乾いた布で拭いてください。年に一度、チークオイルを塗ってください。屋外に置くと、チークは経年で銀灰色に変化します。",
    "ko": "마른 천으로 닦아 주세요. 1년에 한 번 티크 오일을 발라 주세요. 야외에 두면 티크는 시간이 지나며 은회색으로 변합니다.",
}

# --- Categories ---

CATEGORY_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    "miniature-aircraft": {
        "id": {
            "name": "Pesawat miniatur",
            "description": "Model pajangan pesawat komersial dan pesawat buatan Indonesia yang dibuat dengan tangan, dari ukuran meja hingga ukuran lobi.",
        },
        "ja": {
            "name": "ミニチュア航空機",
            "description": "旅客機やインドネシアの航空機を手作業で作り上げたディスプレイモデルです。デスクに飾れるサイズから、ロビーに映える大型モデルまでそろえています。",
        },
        "ko": {
            "name": "미니어처 항공기",
            "description": "여객기와 인도네시아 항공기를 손으로 만든 전시용 모형입니다. 책상 위에 두는 크기부터 로비에 전시하는 대형 작품까지 있습니다.",
        },
    },
    "tableware": {
        "id": {
            "name": "Peralatan makan",
            "description": "Mangkuk, piring, cangkir, dan perkakas makan yang dibubut dan diukir dari kayu Indonesia yang diperoleh secara berkelanjutan.",
        },
        "ja": {
            "name": "食器",
            "description": "持続可能な方法で調達したインドネシアの木材を、ろくろで挽き、彫って仕上げたボウル、皿、カップ、カトラリーです。",
        },
        "ko": {
            "name": "식기",
            "description": "지속 가능하게 조달한 인도네시아 목재를 선반으로 깎고 조각해 만든 그릇, 접시, 컵, 주방 도구입니다.",
        },
    },
    "rattan-bamboo": {
        "id": {
            "name": "Rotan & bambu",
            "description": "Keranjang, nampan, dan wadah penyimpanan yang dianyam dari rotan, bambu, dan eceng gondok.",
        },
        "ja": {
            "name": "ラタン・竹製品",
            "description": "ラタン（籐）、竹、ウォーターヒヤシンスで編んだかご、トレー、収納用品です。",
        },
        "ko": {
            "name": "라탄 & 대나무",
            "description": "라탄, 대나무, 워터 히아신스로 엮은 바구니, 트레이, 수납용품입니다.",
        },
    },
    "furniture": {
        "id": {
            "name": "Mebel",
            "description": "Kursi, bangku, meja, dan rak dari kayu jati dan mahoni yang disambung dengan tangan.",
        },
        "ja": {
            "name": "家具",
            "description": "チークやマホガニーを手作業で組み上げた椅子、スツール、テーブル、棚です。",
        },
        "ko": {
            "name": "가구",
            "description": "티크와 마호가니를 손으로 짜 맞춘 의자, 스툴, 테이블, 선반입니다.",
        },
    },
    "home-decor": {
        "id": {
            "name": "Dekorasi rumah",
            "description": "Lampu, vas, dan hiasan untuk mempercantik rumah Anda.",
        },
        "ja": {
            "name": "インテリア雑貨",
            "description": "暮らしを彩るランプ、花瓶、装飾小物です。",
        },
        "ko": {
            "name": "홈 데코",
            "description": "집 안을 꾸미는 조명, 꽃병, 장식 소품입니다.",
        },
    },
}

# --- Workshops (the institution is an official name and stays as it is, so it is not here) ---

WORKSHOP_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    "model-aircraft-tangerang": {
        "id": {
            "name": "Bengkel model pesawat",
            "region": "Banten",
            "summary": "Model pajangan pesawat komersial dari resin dan kayu, dicat dengan tangan.",
            "story": (
                "Bengkel model pesawat ini dimulai pada tahun 2016 dengan empat perajin dan satu airbrush. "
                "Kini para perajinnya mengukir master, mencetak komponen, mengamplas, memberi cat dasar, "
                "dan mengecat setiap model dengan tangan, dan maskapai di seluruh Asia memajang karya "
                "mereka di kantor dan agen perjalanan.\n\n"
                "Para perajin mempelajari **finishing presisi, teknik airbrush, dan pemasangan decal**: "
                "keterampilan yang membuka jalan ke pekerjaan di bengkel cat otomotif, finishing mebel, "
                "dan pembuatan papan reklame setelah mereka bebas."
            ),
        },
        "ja": {
            "name": "模型航空機工房",
            "region": "バンテン州",
            "summary": "レジンと木で組み上げ、一つひとつ手作業で塗装した旅客機のディスプレイモデルです。",
            "story": (
                "模型航空機工房は2016年、4人の職人と1台のエアブラシから始まりました。"
                "現在では職人たちが原型を彫り、パーツを注型し、研磨と下地塗りを経て、すべてのモデルを"
                "手作業で塗装しています。その作品は、アジア各地の航空会社のオフィスや旅行代理店に"
                "飾られています。\n\n"
                "職人たちは**精密な仕上げ、エアブラシ塗装、デカール貼り**を学びます。"
                "出所後、自動車の塗装工場や家具の仕上げ、看板製作の仕事につながる技術です。"
            ),
        },
        "ko": {
            "name": "모형 항공기 공방",
            "region": "반텐주",
            "summary": "레진과 나무로 만들고 손으로 도색한 여객기 전시용 모형입니다.",
            "story": (
                "모형 항공기 공방은 2016년 제작자 네 명과 에어브러시 한 대로 시작했습니다. "
                "지금은 제작자들이 원형을 깎고, 부품을 캐스팅하고, 샌딩과 프라이머 작업을 거쳐 "
                "모든 모형을 손으로 도색합니다. 이들의 작품은 아시아 곳곳의 항공사 사무실과 "
                "여행사에 전시되어 있습니다.\n\n"
                "제작자들은 **정밀 마감, 에어브러시 도색, 데칼 작업**을 배웁니다. "
                "출소 후 자동차 도장 업체, 가구 마감, 간판 제작 분야의 일자리로 이어지는 기술입니다."
            ),
        },
    },
    "woodcraft-banyuwangi": {
        "id": {
            "name": "Bengkel kerajinan kayu",
            "region": "Jawa Timur",
            "summary": "Peralatan makan bubutan dan ukiran dari sisa potongan kayu sono, mahoni, dan jati.",
            "story": (
                "Di Banyuwangi, di ujung timur Pulau Jawa, bengkel kerajinan kayu ini mengolah sisa "
                "potongan kayu dari produsen mebel berizin menjadi mangkuk, piring, dan perkakas makan. "
                "Tidak ada yang terbuang: serutan kayunya menjadi kayu bakar untuk dapur lapas.\n\n"
                "Para perajin mempelajari **teknik bubut, ukir, dan finishing yang aman untuk makanan**, "
                "dan banyak di antara mereka kemudian bekerja di industri mebel dan suvenir di Jawa Timur."
            ),
        },
        "ja": {
            "name": "木工工房",
            "region": "東ジャワ州",
            "summary": "ソノ材、マホガニー、チークの端材をろくろで挽き、彫って仕上げた食器です。",
            "story": (
                "ジャワ島の東端に位置するバニュワンギの木工工房では、認可を受けた家具メーカーから出る"
                "端材を、ボウルや皿、カトラリーに生まれ変わらせています。無駄になるものはありません。"
                "削りくずも、施設の厨房で焚きつけとして使われます。\n\n"
                "職人たちは**木工旋盤、彫刻、食品に安全な仕上げ**を学び、その多くがのちに東ジャワの"
                "家具・土産物業界で働いています。"
            ),
        },
        "ko": {
            "name": "목공예 공방",
            "region": "동자와주",
            "summary": "소노, 마호가니, 티크 자투리 목재를 깎고 조각해 만든 식기입니다.",
            "story": (
                "자바섬 동쪽 끝 바뉴왕이에 있는 목공예 공방은 허가받은 가구 업체에서 나온 자투리 "
                "목재로 그릇, 접시, 주방 도구를 만듭니다. 버려지는 것은 없습니다. 깎고 남은 나무 "
                "부스러기는 교정 시설 주방의 불쏘시개로 쓰입니다.\n\n"
                "제작자들은 **선반 작업, 조각, 식품 안전 마감**을 배우며, 많은 이들이 이후 동부 "
                "자바의 가구·기념품 업계에서 일하고 있습니다."
            ),
        },
    },
    "rattan-cirebon": {
        "id": {
            "name": "Bengkel anyaman rotan",
            "region": "Jawa Barat",
            "summary": "Keranjang dan nampan anyaman dari ibu kota rotan Indonesia.",
            "story": (
                "Cirebon adalah pusat industri rotan Indonesia, dan bengkel kerja di sini berakar pada "
                "tradisi tersebut. Perajin setempat datang untuk mengajar, dan kini para penganyam "
                "terbaik sendirilah yang mengajari peserta baru.\n\n"
                "Para perajin mempelajari **teknik anyam, pembuatan rangka, dan pewarnaan alami**, "
                "keterampilan yang banyak dicari oleh pabrik-pabrik rotan di sekitar Cirebon."
            ),
        },
        "ja": {
            "name": "ラタン編み工房",
            "region": "西ジャワ州",
            "summary": "インドネシア随一のラタンの産地で編み上げた、かごとトレーです。",
            "story": (
                "チルボンはインドネシアのラタン産業の中心地で、この工房もその伝統に根ざしています。"
                "地元の職人が指導に訪れ、今では腕の立つ編み手たちが自ら新人に教えています。\n\n"
                "職人たちは**編み、フレーム作り、天然染色**を学びます。いずれも、チルボン周辺に"
                "数多くあるラタン工場で求められている技術です。"
            ),
        },
        "ko": {
            "name": "라탄 공예 공방",
            "region": "서자와주",
            "summary": "인도네시아 라탄의 본고장에서 엮은 바구니와 트레이입니다.",
            "story": (
                "치르본은 인도네시아 라탄 산업의 중심지이며, 이곳 공방도 그 전통을 이어 가고 "
                "있습니다. 지역 장인들이 찾아와 가르치고, 이제는 솜씨가 가장 좋은 제작자들이 "
                "직접 새로 온 이들을 가르칩니다.\n\n"
                "제작자들은 **엮기, 프레임 제작, 천연 염색**을 배웁니다. 모두 치르본 일대의 "
                "수많은 라탄 공장에서 찾는 기술입니다."
            ),
        },
    },
    "furniture-jepara": {
        "id": {
            "name": "Bengkel mebel jati",
            "region": "Jawa Tengah",
            "summary": "Kursi, bangku, dan meja dari kayu jati solid yang disambung tanpa sekrup.",
            "story": (
                "Selama berabad-abad Jepara termasyhur dengan mebel jati ukirnya. Para perajin di "
                "bengkel ini membuat mebel dengan sambungan purus-lubang tradisional, lalu "
                "menyelesaikannya dengan minyak alami.\n\n"
                "Para perajin mempelajari **teknik sambungan kayu, ukir, dan finishing**, dan saat bebas "
                "mereka membawa portofolio yang dikenal baik oleh para eksportir mebel Jepara."
            ),
        },
        "ja": {
            "name": "チーク家具工房",
            "region": "中部ジャワ州",
            "summary": "ネジを使わずに組み上げた、チーク無垢材の椅子、スツール、テーブルです。",
            "story": (
                "ジェパラは何世紀にもわたり、チークの彫刻家具で知られてきました。工房の職人たちは"
                "伝統的なほぞ継ぎで家具を組み、天然オイルで仕上げます。\n\n"
                "職人たちは**木組み、彫刻、仕上げ**を学び、ジェパラの家具輸出業者にも認められる"
                "ポートフォリオを手に出所していきます。"
            ),
        },
        "ko": {
            "name": "티크 가구 공방",
            "region": "중부자와주",
            "summary": "나사 없이 짜 맞춘 티크 원목 의자, 스툴, 테이블입니다.",
            "story": (
                "제파라는 수백 년 동안 조각 티크 가구로 이름난 곳입니다. 공방의 제작자들은 전통 "
                "장부맞춤 방식으로 가구를 짜고 천연 오일로 마감합니다.\n\n"
                "제작자들은 **짜맞춤, 조각, 마감**을 배우며, 제파라의 가구 수출업체들이 인정하는 "
                "포트폴리오를 갖추고 출소합니다."
            ),
        },
    },
}

# --- Generated aircraft products: templates mirroring _aircraft(), "{name}" is replaced ---

_AIRCRAFT_TEMPLATES: dict[str, dict[str, str]] = {
    "id": {
        "name": "Model pajangan {name}",
        "summary": "Model {name} yang dirampungkan dengan tangan di atas dudukan kayu yang dipoles, tersedia dari ukuran meja hingga ukuran lobi.",
        "description_md": (
            "Setiap model {name} berawal dari sebuah master yang diukir. Para perajin kami mencetak "
            "badan pesawat dan sayapnya, mengamplas setiap sambungan, memberi cat dasar, lalu "
            "mengecat livery-nya dengan tangan menggunakan airbrush; garis jendela dan nomor "
            "registrasinya berupa decal yang halus.\n\n"
            "- Bodi resin padat di atas dudukan mahoni dengan pelat grafir\n"
            "- Roda pendarat dalam posisi terlipat, untuk tampilan pajangan yang rapi\n"
            "- Dikirim dalam kotak busa yang pas dengan modelnya\n\n"
            "Maskapai dan agen perjalanan memesan model ini dengan livery mereka sendiri: hubungi "
            "kami untuk penawaran harga pemesanan 10 buah atau lebih."
        ),
        "materials": "Resin cetak, dudukan mahoni, cat akrilik, decal waterslide",
    },
    "ja": {
        "name": "{name} ディスプレイモデル",
        "summary": "磨き上げた木製スタンドに据えた、手仕上げの{name}です。デスクサイズからロビーサイズまでご用意しています。",
        "description_md": (
            "{name}のモデルはすべて、手彫りの原型から始まります。職人が胴体と主翼を注型し、"
            "継ぎ目を一つひとつ研磨して下地を塗り、エアブラシを使って手作業で機体の塗装を施します。"
            "窓のラインや機体記号には精細なデカールを使用しています。\n\n"
            "- 無垢のレジン製ボディと、刻印プレート付きのマホガニー製スタンド\n"
            "- すっきりとした展示姿勢になるよう、脚は格納した状態です\n"
            "- 形に合わせたフォーム入りの箱でお届けします\n\n"
            "航空会社や旅行代理店から、自社カラーリングでのご注文もいただいています。"
            "10個以上のご注文はお見積もりいたしますので、お気軽にお問い合わせください。"
        ),
        "materials": "レジン（注型）、マホガニー製スタンド、アクリル塗料、水転写デカール",
    },
    "ko": {
        "name": "{name} 전시용 모형",
        "summary": "윤이 나게 다듬은 원목 받침대에 올린 수작업 마감 {name} 모형입니다. 책상용부터 로비용까지 다양한 크기가 있습니다.",
        "description_md": (
            "모든 {name} 모형은 손으로 깎은 원형에서 시작합니다. 저희 제작자들이 동체와 날개를 "
            "캐스팅하고, 이음매를 하나하나 샌딩한 뒤 프라이머를 칠하고, 에어브러시로 기체 도장을 "
            "손수 입힙니다. 창문 라인과 기체 등록 번호는 정교한 데칼로 표현합니다.\n\n"
            "- 각인 명판이 달린 마호가니 받침대와 속이 꽉 찬 레진 바디\n"
            "- 깔끔한 전시 모습을 위해 착륙 장치를 접은 상태\n"
            "- 모형에 꼭 맞는 폼 상자에 담아 배송\n\n"
            "항공사와 여행사에서 자사 도장으로 주문하기도 합니다. 10개 이상 주문하실 경우 "
            "견적을 문의해 주세요."
        ),
        "materials": "캐스팅 레진, 마호가니 받침대, 아크릴 도료, 수전사 데칼",
    },
}


def aircraft_texts(name: str, locale: str) -> dict[str, str]:
    """The translated texts of one generated aircraft product (name like "Boeing 737-800"),
    with keys name, summary, description_md, materials, care_notes — mirroring _aircraft()."""
    try:
        template = _AIRCRAFT_TEMPLATES[locale]
    except KeyError:
        raise KeyError(f"no aircraft texts for locale {locale!r}") from None
    texts = {key: text.replace("{name}", name) for key, text in template.items()}
    texts["care_notes"] = _AIRCRAFT_CARE[locale]
    return texts


# --- The other products, written out. Six have only "id": the demo falls back to English. ---

PRODUCT_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    "sono-wood-salad-bowl": {
        "id": {
            "name": "Mangkuk salad kayu sono",
            "summary": "Mangkuk saji yang dalam, dibubut dari satu balok utuh kayu sono.",
            "description_md": "Dibubut dari satu balok **sono keling** (rosewood Indonesia) dan diselesaikan dengan minyak kelapa yang aman untuk makanan. Serat kayunya berbeda di setiap mangkuk, jadi mangkuk Anda benar-benar satu-satunya.",
            "materials": "Kayu sono keling, minyak kelapa",
            "care_notes": _WOOD_CARE["id"],
        },
        "ja": {
            "name": "ソノ材のサラダボウル",
            "summary": "ソノ材の一つの塊からろくろで挽き出した、深めの取り分け用ボウルです。",
            "description_md": "**sono keling**（ソノケリン、インドネシアン・ローズウッド）の一つの塊から旋盤で挽き出し、食品に使えるココナッツオイルで仕上げました。木目はボウルごとに異なるため、お手元に届くのは世界に一つだけのボウルです。",
            "materials": "ソノケリン（sono keling）材、ココナッツオイル",
            "care_notes": _WOOD_CARE["ja"],
        },
        "ko": {
            "name": "소노 나무 샐러드 볼",
            "summary": "소노 나무 한 덩어리를 선반으로 깎아 만든 깊은 서빙 볼입니다.",
            "description_md": "**sono keling**(소노켈링, 인도네시아 로즈우드) 한 덩어리를 선반으로 깎아 만들고, 식품용 코코넛 오일로 마감했습니다. 그릇마다 나뭇결이 모두 달라, 받으시는 그릇은 세상에 하나뿐입니다.",
            "materials": "소노켈링(sono keling) 원목, 코코넛 오일",
            "care_notes": _WOOD_CARE["ko"],
        },
    },
    "mahogany-dinner-plate-set": {
        "id": {
            "name": "Piring makan mahoni, isi 4",
            "summary": "Empat piring makan datar dengan bibir yang landai, dibubut dari kayu mahoni.",
            "description_md": "Satu set berisi empat piring yang dibubut dari sisa potongan kayu mahoni dari produsen mebel berizin. Ringan, terasa hangat di tangan, dan awet.",
            "materials": "Mahoni, minyak yang aman untuk makanan",
            "care_notes": _WOOD_CARE["id"],
        },
        "ja": {
            "name": "マホガニーのディナープレート 4枚セット",
            "summary": "ゆるやかな縁のある平たいディナープレート4枚組です。マホガニーをろくろで挽いて仕上げました。",
            "description_md": "認可を受けた家具メーカーから出たマホガニーの端材を挽いて作った、4枚組のプレートです。軽く、手に温かみが伝わり、丈夫で長くお使いいただけます。",
            "materials": "マホガニー、食品用オイル",
            "care_notes": _WOOD_CARE["ja"],
        },
        "ko": {
            "name": "마호가니 디너 접시 4개 세트",
            "summary": "테두리가 완만한 납작한 디너 접시 4개로, 마호가니를 깎아 만들었습니다.",
            "description_md": "허가받은 가구 업체에서 나온 마호가니 자투리 목재를 깎아 만든 접시 4개 세트입니다. 가볍고, 손에 닿는 감촉이 따뜻하며, 오래 써도 튼튼합니다.",
            "materials": "마호가니, 식품용 오일",
            "care_notes": _WOOD_CARE["ko"],
        },
    },
    "teak-serving-spoons": {
        "id": {
            "name": "Sendok dan garpu saji jati",
            "summary": "Sepasang sendok dan garpu salad dari kayu jati, diukir dengan tangan.",
            "description_md": "Diukir dengan tangan menggunakan pahat ukir dan pisau, lalu diamplas hingga halus. Keduanya bisa digantung bersama pada tali kulit.",
            "materials": "Jati, tali gantung kulit",
            "care_notes": _WOOD_CARE["id"],
        },
        "ja": {
            "name": "チークのサーバースプーン＆フォーク",
            "summary": "チークを彫って作った、サラダサーバーのペアです。",
            "description_md": "丸ノミとナイフを使って手で彫り、なめらかに研磨しました。2本まとめて革のループに掛けて吊るせます。",
            "materials": "チーク、革ループ",
            "care_notes": _WOOD_CARE["ja"],
        },
        "ko": {
            "name": "티크 서빙 스푼과 포크",
            "summary": "티크를 조각해 만든 샐러드 서버 한 쌍입니다.",
            "description_md": "둥근끌과 칼로 손수 깎은 뒤 매끄럽게 샌딩했습니다. 가죽 고리에 두 개를 함께 걸어 둘 수 있습니다.",
            "materials": "티크, 가죽 고리",
            "care_notes": _WOOD_CARE["ko"],
        },
    },
    "coconut-shell-cups": {
        "id": {
            "name": "Cangkir batok kelapa, isi 2",
            "summary": "Cangkir batok kelapa yang dipoles mengilap, dengan kaki kayu hasil bubutan.",
            "description_md": "Batok kelapa dari pasar-pasar di Banyuwangi, dipoles bagian dalam dan luarnya, lalu dipasang pada kaki kecil hasil bubutan.",
            "materials": "Batok kelapa, kayu sono",
            "care_notes": "Hanya dicuci dengan tangan. Tidak untuk minuman panas di atas 60 °C.",
        },
        "ja": {
            "name": "ココナッツシェルのカップ 2個セット",
            "summary": "磨き上げたココナッツの殻に、ろくろ挽きの木の脚を付けたカップです。",
            "description_md": "バニュワンギの市場で仕入れたココナッツの殻を内側も外側も磨き、ろくろで挽いた小さな脚に取り付けました。",
            "materials": "ココナッツの殻、ソノ材",
            "care_notes": "手洗いのみでお願いします。60 °Cを超える熱い飲み物にはご使用いただけません。",
        },
        "ko": {
            "name": "코코넛 껍질 컵 2개 세트",
            "summary": "선반으로 깎은 나무 굽을 단, 윤이 나는 코코넛 껍질 컵입니다.",
            "description_md": "바뉴왕이 시장에서 구한 코코넛 껍질을 안팎으로 윤이 나게 다듬고, 선반으로 깎은 작은 굽 위에 얹었습니다.",
            "materials": "코코넛 껍질, 소노 나무",
            "care_notes": "손세척만 가능합니다. 60 °C가 넘는 뜨거운 음료에는 사용하지 마세요.",
        },
    },
    "trembesi-cheese-board": {
        "id": {
            "name": "Papan keju kayu trembesi",
            "summary": "Papan saji bertepi alami (live edge) dari kayu trembesi (pohon hujan).",
            "description_md": "Setiap papan mempertahankan tepi alami batang pohonnya. Diselesaikan dengan lilin lebah dan minyak yang aman untuk makanan.",
            "materials": "Kayu trembesi, lilin lebah",
            "care_notes": _WOOD_CARE["id"],
        },
        "ja": {
            "name": "トレンベシ材のチーズボード",
            "summary": "trembesi（トレンベシ、モンキーポッド）材を使った、耳付きのサービングボードです。",
            "description_md": "一枚ごとに、幹の自然な縁（耳）をそのまま残しています。蜜蝋と食品用オイルで仕上げました。",
            "materials": "トレンベシ（trembesi）材、蜜蝋",
            "care_notes": _WOOD_CARE["ja"],
        },
        "ko": {
            "name": "트렘베시 치즈 보드",
            "summary": "trembesi(트렘베시, 레인트리) 원목으로 만든 라이브 엣지 서빙 보드입니다.",
            "description_md": "보드마다 나무줄기의 자연스러운 가장자리를 그대로 살렸습니다. 밀랍과 식품용 오일로 마감했습니다.",
            "materials": "트렘베시(trembesi) 원목, 밀랍",
            "care_notes": _WOOD_CARE["ko"],
        },
    },
    "nesting-bowls-trio": {
        "id": {
            "name": "Mangkuk susun, isi 3",
            "summary": "Tiga mangkuk yang bisa disusun satu di dalam yang lain, dari satu balok kayu.",
            "description_md": "Dipotong dari satu balok utuh dengan alat coring, sehingga ketiga mangkuk memiliki serat kayu yang sama.",
            "materials": "Mahoni, minyak yang aman untuk makanan",
            "care_notes": _WOOD_CARE["id"],
        },
        "ja": {
            "name": "入れ子ボウル 3個セット",
            "summary": "一つの木の塊から作った、入れ子に重ねられる3つのボウルです。",
            "description_md": "コアリングツールで一つの木の塊から切り出しているため、3つのボウルはすべて同じ木目を持っています。",
            "materials": "マホガニー、食品用オイル",
            "care_notes": _WOOD_CARE["ja"],
        },
        "ko": {
            "name": "네스팅 볼 3개 세트",
            "summary": "나무 한 덩어리로 만든, 포개어 넣을 수 있는 그릇 세 개입니다.",
            "description_md": "코어링 도구로 나무 한 덩어리에서 잘라 내어, 세 그릇 모두 같은 나뭇결을 지니고 있습니다.",
            "materials": "마호가니, 식품용 오일",
            "care_notes": _WOOD_CARE["ko"],
        },
    },
    "carved-rice-paddle-set": {
        "id": {
            "name": "Centong nasi ukir, isi 3",
            "summary": "Centong pipih untuk menyajikan dan mengaduk.",
            "description_md": "Tiga centong dari kayu sono dengan gagang berukir, untuk nasi, tumisan, dan salad.",
            "materials": "Kayu sono",
            "care_notes": _WOOD_CARE["id"],
        },
        "ja": {
            "name": "木彫りのしゃもじ 3本セット",
            "summary": "よそうのにも混ぜるのにも使える、平たいしゃもじです。",
            "description_md": "柄に彫りを施したソノ材のしゃもじ3本セットです。ご飯はもちろん、炒め物やサラダにもお使いいただけます。",
            "materials": "ソノ材",
            "care_notes": _WOOD_CARE["ja"],
        },
        "ko": {
            "name": "조각 밥주걱 3개 세트",
            "summary": "밥을 푸거나 저을 때 쓰는 납작한 주걱입니다.",
            "description_md": "손잡이에 조각을 새긴 소노 나무 주걱 세 개로, 밥, 볶음 요리, 샐러드에 두루 쓸 수 있습니다.",
            "materials": "소노 나무",
            "care_notes": _WOOD_CARE["ko"],
        },
    },
    "teak-root-fruit-bowl": {
        "id": {
            "name": "Mangkuk buah akar jati",
            "summary": "Mangkuk bernuansa patung yang diukir dari akar jati daur ulang.",
            "description_md": "Diukir dari akar jati yang diselamatkan dari perkebunan tua. Berat, memukau, dan dibuat untuk buah, bukan untuk sup.",
            "materials": "Akar jati daur ulang",
            "care_notes": "Bersihkan debunya dan olesi minyak sesekali. Tidak untuk cairan.",
        },
        "ja": {
            "name": "チーク根のフルーツボウル",
            "summary": "回収したチークの根を彫り上げた、彫刻のようなボウルです。",
            "description_md": "古い植林地から回収したチークの根を彫って作りました。重厚で存在感があり、スープではなくフルーツを盛るためのボウルです。",
            "materials": "回収したチークの根",
            "care_notes": "ときどきほこりを払い、オイルを塗ってください。液体には使用できません。",
        },
        "ko": {
            "name": "티크 뿌리 과일 볼",
            "summary": "재활용한 티크 뿌리를 조각해 만든 조형적인 그릇입니다.",
            "description_md": "오래된 조림지에서 수거한 티크 뿌리를 조각해 만들었습니다. 묵직하고 인상적이며, 수프가 아닌 과일을 담기 위한 그릇입니다.",
            "materials": "재활용 티크 뿌리",
            "care_notes": "가끔 먼지를 털고 오일을 발라 주세요. 액체를 담는 용도로는 사용할 수 없습니다.",
        },
    },
    "rattan-market-basket": {
        "id": {
            "name": "Keranjang belanja rotan",
            "summary": "Keranjang belanja yang kokoh dengan pegangan rotan melengkung.",
            "description_md": "Dianyam pada rangka rotan dengan anyaman kepar yang rapat. Cukup kuat untuk belanjaan seminggu.",
            "materials": "Rotan alami",
            "care_notes": _RATTAN_CARE["id"],
        },
        "ja": {
            "name": "ラタンのマルシェかご",
            "summary": "曲げたラタンの持ち手が付いた、丈夫な買い物かごです。",
            "description_md": "ラタンの骨組みに、目の詰まった綾編みで編み上げました。1週間分の買い物にも耐える丈夫さです。",
            "materials": "天然ラタン",
            "care_notes": _RATTAN_CARE["ja"],
        },
        "ko": {
            "name": "라탄 장바구니",
            "summary": "구부린 라탄 손잡이가 달린 튼튼한 장바구니입니다.",
            "description_md": "라탄 프레임에 촘촘한 능직 짜임으로 엮었습니다. 일주일 치 장을 봐도 거뜬할 만큼 튼튼합니다.",
            "materials": "천연 라탄",
            "care_notes": _RATTAN_CARE["ko"],
        },
    },
    "bamboo-serving-tray": {
        "id": {
            "name": "Nampan saji bambu",
            "summary": "Nampan ringan dari bilah bambu dengan pegangan berlilit rotan.",
            "description_md": "Bilah-bilah bambu disusun rapat berdampingan di atas rangka, lalu diikat dengan rotan pada bagian pegangannya.",
            "materials": "Bambu, rotan",
            "care_notes": _RATTAN_CARE["id"],
        },
        "ja": {
            "name": "竹のサービングトレー",
            "summary": "割り竹で作った軽やかなトレーで、持ち手はラタンで巻き留めています。",
            "description_md": "割り竹を枠の上にすき間なく並べ、持ち手の部分をラタンで巻き留めました。",
            "materials": "竹、ラタン",
            "care_notes": _RATTAN_CARE["ja"],
        },
        "ko": {
            "name": "대나무 서빙 트레이",
            "summary": "쪼갠 대나무로 만든 가벼운 트레이로, 손잡이는 라탄으로 감았습니다.",
            "description_md": "쪼갠 대나무를 프레임 위에 빈틈없이 나란히 놓고, 손잡이 부분을 라탄으로 묶었습니다.",
            "materials": "대나무, 라탄",
            "care_notes": _RATTAN_CARE["ko"],
        },
    },
    "water-hyacinth-storage-basket": {
        "id": {
            "name": "Keranjang penyimpanan eceng gondok",
            "summary": "Keranjang penyimpanan bertutup yang dianyam dari eceng gondok.",
            "description_md": "Eceng gondok adalah tanaman invasif yang dibersihkan dari sungai-sungai di Jawa; setelah dikeringkan dan dianyam, tanaman ini menjadi keranjang yang lembut namun kuat.",
            "materials": "Eceng gondok, rangka rotan",
            "care_notes": _RATTAN_CARE["id"],
        },
        "ja": {
            "name": "ウォーターヒヤシンスの収納かご",
            "summary": "ウォーターヒヤシンスで編んだ、ふた付きの収納かごです。",
            "description_md": "ウォーターヒヤシンス（ホテイアオイ）は、ジャワ島の川で駆除の対象となっている侵略的な水草です。乾燥させて編み込むと、柔らかく丈夫なかごになります。",
            "materials": "ウォーターヒヤシンス、ラタンの骨組み",
            "care_notes": _RATTAN_CARE["ja"],
        },
        "ko": {
            "name": "워터 히아신스 수납 바구니",
            "summary": "워터 히아신스로 엮은 뚜껑 있는 수납 바구니입니다.",
            "description_md": "워터 히아신스(부레옥잠)는 자바섬의 강에서 걷어 내는 침입성 식물입니다. 말려서 땋으면 부드러우면서도 튼튼한 바구니가 됩니다.",
            "materials": "워터 히아신스, 라탄 프레임",
            "care_notes": _RATTAN_CARE["ko"],
        },
    },
    "rattan-bread-basket": {
        "id": {
            "name": "Keranjang roti rotan bundar",
            "summary": "Keranjang bundar yang dangkal untuk roti dan buah.",
            "description_md": "Anyamannya renggang sehingga roti tetap bisa bernapas. Dianyam mengelilingi lingkaran rotan.",
            "materials": "Rotan alami",
            "care_notes": _RATTAN_CARE["id"],
        },
        "ja": {
            "name": "ラタンの丸型ブレッドバスケット",
            "summary": "パンやフルーツを盛るのにちょうどよい、浅い丸型のかごです。",
            "description_md": "目を粗く編んだ透かし編みなので、パンが蒸れにくくなっています。ラタンの輪を芯にして編み上げました。",
            "materials": "天然ラタン",
            "care_notes": _RATTAN_CARE["ja"],
        },
        "ko": {
            "name": "라탄 원형 빵 바구니",
            "summary": "빵과 과일을 담는 얕은 원형 바구니입니다.",
            "description_md": "성기게 엮어 빵이 숨을 쉴 수 있습니다. 라탄 테를 따라 둥글게 엮었습니다.",
            "materials": "천연 라탄",
            "care_notes": _RATTAN_CARE["ko"],
        },
    },
    "bamboo-pendant-lamp": {
        "id": {
            "name": "Kap lampu gantung bambu",
            "summary": "Kap anyaman bambu yang memancarkan cahaya berpola.",
            "description_md": "Dianyam dari bilah bambu tipis dengan pola anyaman heksagonal yang terbuka. Cocok untuk fitting lampu gantung standar E27 (tidak termasuk).",
            "materials": "Bambu",
            "care_notes": "Bersihkan debu dengan kuas lembut. Gunakan hanya bohlam LED.",
        },
        "ja": {
            "name": "竹のペンダントランプシェード",
            "summary": "光が模様を描いて広がる、竹編みのシェードです。",
            "description_md": "細い竹ひごを六つ目編みで編み上げました。一般的なE27口金のペンダント器具（別売）に取り付けられます。",
            "materials": "竹",
            "care_notes": "柔らかいブラシでほこりを払ってください。電球はLEDのみご使用ください。",
        },
        "ko": {
            "name": "대나무 펜던트 조명 갓",
            "summary": "무늬진 빛을 드리우는 대나무 엮음 갓입니다.",
            "description_md": "얇은 대나무 살을 성긴 육각형 무늬로 엮었습니다. 표준 E27 펜던트 소켓에 장착할 수 있습니다(소켓 별매).",
            "materials": "대나무",
            "care_notes": "부드러운 솔로 먼지를 털어 주세요. LED 전구만 사용해 주세요.",
        },
    },
    "rattan-laundry-hamper": {
        "id": {
            "name": "Keranjang cucian rotan",
            "summary": "Keranjang cucian tinggi bertutup dengan rangka rotan.",
            "description_md": "Tinggi, bertutup, dan berlapis kain katun yang bisa dilepas. Dibuat sesuai pesanan dalam dua minggu.",
            "materials": "Rotan, lapisan katun",
            "care_notes": _RATTAN_CARE["id"],
        },
        "ja": {
            "name": "ラタンのランドリーバスケット",
            "summary": "ラタンの骨組みで作った、背の高いふた付きのランドリーバスケットです。",
            "description_md": "背が高く、ふた付きで、取り外せるコットンの内布が付いています。ご注文から2週間でお作りします。",
            "materials": "ラタン、コットンの内布",
            "care_notes": _RATTAN_CARE["ja"],
        },
        "ko": {
            "name": "라탄 빨래 바구니",
            "summary": "라탄 프레임으로 만든, 키가 크고 뚜껑이 있는 빨래 바구니입니다.",
            "description_md": "키가 크고 뚜껑이 있으며, 분리할 수 있는 면 안감을 댔습니다. 주문 후 2주 안에 제작합니다.",
            "materials": "라탄, 면 안감",
            "care_notes": _RATTAN_CARE["ko"],
        },
    },
    "woven-placemats": {
        "id": {
            "name": "Tatakan piring anyaman rotan, isi 6",
            "summary": "Tatakan piring oval beranyaman datar dari rotan alami.",
            "description_md": "Enam tatakan piring oval dengan anyaman datar. Cukup tahan panas untuk menampung piring panas.",
            "materials": "Inti rotan",
            "care_notes": _RATTAN_CARE["id"],
        },
    },
    "teak-dining-chair": {
        "id": {
            "name": "Kursi makan jati",
            "summary": "Kursi makan dari kayu jati solid dengan dudukan anyaman rotan.",
            "description_md": "Sambungan purus-lubang, tanpa sekrup. Dudukannya dari rotan yang dianyam dengan tangan. Dikirim dalam kemasan pipih (flat-pack) berupa dua bagian.",
            "materials": "Jati solid, dudukan rotan",
            "care_notes": _TEAK_CARE["id"],
        },
        "ja": {
            "name": "チークのダイニングチェア",
            "summary": "チーク無垢材に、ラタン編みの座面を合わせたダイニングチェアです。",
            "description_md": "ほぞ継ぎで組み、ネジは使っていません。座面は手編みのラタンです。2つのパーツに分けたフラットパックでお届けします。",
            "materials": "チーク無垢材、ラタンの座面",
            "care_notes": _TEAK_CARE["ja"],
        },
        "ko": {
            "name": "티크 다이닝 체어",
            "summary": "라탄을 엮은 좌판을 얹은 티크 원목 다이닝 체어입니다.",
            "description_md": "나사 없이 장부맞춤으로 짰습니다. 좌판은 손으로 엮은 라탄입니다. 두 부분으로 나눈 플랫팩 상태로 배송됩니다.",
            "materials": "티크 원목, 라탄 좌판",
            "care_notes": _TEAK_CARE["ko"],
        },
    },
    "carved-teak-stool": {
        "id": {
            "name": "Bangku jati ukir",
            "summary": "Bangku bundar berukir motif bunga khas Jepara.",
            "description_md": "Dudukannya diukir dengan motif bunga tradisional Jepara. Tiga kakinya yang melebar ke luar berdiri kokoh di lantai apa pun.",
            "materials": "Jati solid",
            "care_notes": _TEAK_CARE["id"],
        },
        "ja": {
            "name": "チークの彫刻スツール",
            "summary": "ジェパラの花模様を彫り込んだ丸スツールです。",
            "description_md": "座面にはジェパラ伝統の花模様を彫り込みました。外側に開いた3本脚で、どんな床でもしっかり安定します。",
            "materials": "チーク無垢材",
            "care_notes": _TEAK_CARE["ja"],
        },
        "ko": {
            "name": "조각 티크 스툴",
            "summary": "제파라 꽃무늬를 새긴 원형 스툴입니다.",
            "description_md": "좌판에 제파라 전통 꽃무늬를 새겼습니다. 바깥쪽으로 벌어진 세 다리가 어떤 바닥에서도 흔들림 없이 섭니다.",
            "materials": "티크 원목",
            "care_notes": _TEAK_CARE["ko"],
        },
    },
    "teak-coffee-table": {
        "id": {
            "name": "Meja kopi jati",
            "summary": "Meja rendah dengan rak bilah di bagian bawah.",
            "description_md": "Daun meja dari jati solid dengan breadboard end (bilah penahan di kedua ujung) agar tetap rata di iklim apa pun. Dilengkapi rak bilah di bawahnya.",
            "materials": "Jati solid",
            "care_notes": _TEAK_CARE["id"],
        },
        "ja": {
            "name": "チークのコーヒーテーブル",
            "summary": "下にすのこ状の棚が付いた、ロータイプのテーブルです。",
            "description_md": "天板はチーク無垢材で、両端に端嵌め（ブレッドボードエンド）を施し、どんな気候でも反りにくくしています。下にはすのこ状の棚が付いています。",
            "materials": "チーク無垢材",
            "care_notes": _TEAK_CARE["ja"],
        },
        "ko": {
            "name": "티크 커피 테이블",
            "summary": "아래에 살대 선반이 있는 낮은 테이블입니다.",
            "description_md": "티크 원목 상판 양 끝에 브레드보드 엔드를 대어 어떤 기후에서도 평평함을 유지합니다. 아래에는 살대 선반이 있습니다.",
            "materials": "티크 원목",
            "care_notes": _TEAK_CARE["ko"],
        },
    },
    "mahogany-wall-shelf": {
        "id": {
            "name": "Rak dinding mahoni",
            "summary": "Rak dinding tiga tingkat dengan sudut bersambungan ekor burung.",
            "description_md": "Tiga papan rak yang disambung dengan sambungan ekor burung (dovetail) yang dipotong dengan tangan. Digantung pada dua braket tersembunyi (sudah termasuk).",
            "materials": "Mahoni",
            "care_notes": _TEAK_CARE["id"],
        },
    },
    "teak-dining-table": {
        "id": {
            "name": "Meja makan jati",
            "summary": "Meja makan untuk enam orang dari jati solid, dibuat sesuai pesanan.",
            "description_md": "Jati solid dengan breadboard end dan sambungan purus-lubang yang dipotong dengan tangan. Minyak alami kayu jati menjaganya tetap stabil selama puluhan tahun.",
            "materials": "Jati solid",
            "care_notes": _TEAK_CARE["id"],
        },
        "ja": {
            "name": "チークのダイニングテーブル",
            "summary": "チーク無垢材で受注生産する、6人掛けのダイニングテーブルです。",
            "description_md": "チーク無垢材に端嵌め（ブレッドボードエンド）を施し、手刻みのほぞ継ぎで組み上げました。チークに含まれる天然の油分のおかげで、何十年にもわたって狂いにくい状態を保ちます。",
            "materials": "チーク無垢材",
            "care_notes": _TEAK_CARE["ja"],
        },
        "ko": {
            "name": "티크 다이닝 테이블",
            "summary": "주문 제작하는 6인용 티크 원목 다이닝 테이블입니다.",
            "description_md": "브레드보드 엔드를 댄 티크 원목을 손으로 깎은 장부맞춤으로 짰습니다. 티크 고유의 천연 오일 덕분에 수십 년이 지나도 뒤틀림 없이 안정적입니다.",
            "materials": "티크 원목",
            "care_notes": _TEAK_CARE["ko"],
        },
    },
    "teak-root-table-lamp": {
        "id": {
            "name": "Lampu meja akar jati",
            "summary": "Lampu meja berdasar akar jati yang dipoles, dengan kap linen.",
            "description_md": "Dasarnya berupa sepotong akar jati yang dipoles, jadi tidak ada dua lampu yang sama. Kap linen, fitting E27, kabel EU/UK/US tersedia sesuai permintaan.",
            "materials": "Akar jati, linen, fitting kuningan",
            "care_notes": "Bersihkan debu pada dasarnya; jaga kap lampu tetap kering.",
        },
    },
    "bamboo-vase-set": {
        "id": {
            "name": "Set vas bambu",
            "summary": "Tiga vas bambu dengan tinggi bertingkat, untuk bunga kering.",
            "description_md": "Dipotong dari batang bambu dengan ruasnya dibiarkan sebagai alas alami. Untuk bunga dan rumput kering.",
            "materials": "Bambu, pernis",
            "care_notes": "Cukup dibersihkan dari debu; tidak kedap air.",
        },
    },
    "carved-wooden-vase": {
        "id": {
            "name": "Vas kayu sono ukir",
            "summary": "Vas tinggi hasil bubutan dengan wadah kaca di dalamnya untuk bunga segar.",
            "description_md": "Dibubut dari kayu sono dan dilengkapi wadah kaca yang bisa dilepas, sehingga bisa diisi bunga segar.",
            "materials": "Kayu sono, wadah kaca",
            "care_notes": _WOOD_CARE["id"],
        },
    },
    "rattan-table-lamp": {
        "id": {
            "name": "Lampu meja rotan",
            "summary": "Lampu samping tempat tidur dengan kap anyaman rotan buatan tangan.",
            "description_md": "Kapnya dianyam mengelilingi lingkaran rotan; dasarnya dibubut dari kayu sono. Fitting E27, kabel EU/UK/US tersedia sesuai permintaan.",
            "materials": "Rotan, kayu sono, kabel berbalut linen",
            "care_notes": _RATTAN_CARE["id"],
        },
    },
}
