"""The demo's stories, questions, problems and fresh records, as data (habitat.demo.records tells them
through the services)."""

from __future__ import annotations

from dataclasses import dataclass

from habitat.domain import verification as v

# ------------------------------------------------------------------------------------------ stories


@dataclass(frozen=True)
class Pic:
    kind: str = "jpeg"  # jpeg, portrait, png, stripped
    look: str = "day"  # day, night, blurred
    gps: bool = False
    name: str | None = None


@dataclass(frozen=True)
class Step:
    """Something done to the record ``hours`` after it was logged."""

    hours: float
    who: str
    action: str  # identify, query, answer, decide
    text: str | None = None
    species: str | None = None  # scientific name (identify, decide)
    status: str | None = None  # decide


@dataclass(frozen=True)
class Story:
    key: str
    who: str
    garden: str
    zone_kind: str
    when: tuple  # ("on", month, day, hour, minute): the latest such day before today; ("ago", days, hour, minute)
    species: tuple[str | None, ...]  # candidates (scientific names): the first in season that day is used
    verbatim: str | None = None
    count: int | None = 1
    life_stage: str = "adult"
    behavior: str | None = None
    cultivated: bool = False
    nest_or_den: bool = False
    note: str | None = None
    pics: tuple[Pic, ...] = (Pic(),)
    steps: tuple[Step, ...] = ()


ANIMALS, PLANTS, ALL = "zhanggong", "chenlaoshi", "xuboshi"

STORIES: tuple[Story, ...] = (
    # --- reviewed over the year: every decision, every group
    Story(
        "thrush",
        "wangayi",
        "zhongjing",
        "undisturbed",
        ("on", 1, 12, 8, 40),
        ("Turdus pallidus",),
        note="秘境区落叶里翻找食物，胸口两侧灰褐色",
        pics=(Pic(gps=True),),
        steps=(Step(20, ANIMALS, "decide", status=v.ACCEPTED_CORRECT),),
    ),
    Story(
        "den",
        "zhaoshifu",
        "xinsen",
        "undisturbed",
        ("on", 5, 18, 21, 40),
        ("Nyctereutes procyonoides",),
        count=3,
        nest_or_den=True,
        note="红外相机：朽木堆下的洞口，一只成年貉带着两只幼崽",
        pics=(Pic(look="night", name="CAM_0412.JPG"), Pic(look="night", name="CAM_0413.JPG")),
        steps=(
            Step(
                14,
                ANIMALS,
                "decide",
                status=v.ACCEPTED_CORRECT,
                text="幼崽期请不要靠近洞口，相机也请少去查看。",
            ),
        ),
    ),
    Story(
        "nest",
        "xiaoming",
        "zhongjing",
        "host_plants",
        ("on", 4, 26, 7, 50),
        ("Pycnonotus sinensis",),
        count=3,
        life_stage="juvenile",
        behavior="nesting",
        nest_or_den=True,
        note="柑橘树里的鸟巢，三只雏鸟张着嘴",
        pics=(Pic(kind="portrait"),),
        steps=(Step(30, ALL, "decide", status=v.ACCEPTED_CONSIDERED),),
    ),
    Story(
        "planted",
        "sunayi",
        "leyi",
        "host_plants",
        ("on", 3, 15, 10, 0),
        ("Aristolochia debilis",),
        count=None,
        life_stage="unknown",
        cultivated=True,
        note="从苗圃买来补种的马兜铃，给红珠凤蝶当寄主",
        pics=(Pic(gps=True),),
        steps=(Step(26, PLANTS, "decide", status=v.ACCEPTED_CORRECT),),
    ),
    Story(
        "swallowtail",
        "wangayi",
        "zhongjing",
        "host_plants",
        ("on", 8, 21, 8, 30),
        ("Papilio polytes",),
        count=2,
        life_stage="larva",
        note="柑橘叶上两条绿色的大毛虫，头上会伸出橙色的“角”",
        pics=(Pic(gps=True), Pic(kind="portrait"), Pic(kind="png", name="Screenshot_放大.png")),
        steps=(
            Step(6, "xiaoming", "identify", species="Papilio xuthus", text="背上的花纹像柑橘凤蝶"),
            Step(
                22,
                ANIMALS,
                "decide",
                status=v.ACCEPTED_CORRECT,
                species="Papilio xuthus",
                text="四龄幼虫，柑橘凤蝶；玉带凤蝶幼虫的胸部花纹不同。",
            ),
        ),
    ),
    Story(
        "violet",
        "zhaoshifu",
        "xinsen",
        "undisturbed",
        ("on", 3, 28, 9, 30),
        ("Viola philippica",),
        count=None,
        life_stage="unknown",
        pics=(Pic(),),
        steps=(Step(28, PLANTS, "decide", status=v.ACCEPTED_CORRECT),),
    ),
    Story(
        "frog",
        "lishushu",
        "changxin",
        "pond",
        ("on", 6, 9, 20, 10),
        ("Pelophylax nigromaculatus",),
        count=2,
        note="晚上在池塘边叫",
        pics=(Pic(look="night"),),
        steps=(
            Step(14, ANIMALS, "query", text="背上有没有一条浅色的背中线？两侧的褶皱是什么颜色？"),
            Step(30, "lishushu", "answer", text="有一条浅绿色的背中线，两侧褶皱黄绿色，背上有很多黑斑。"),
            Step(40, ANIMALS, "decide", status=v.ACCEPTED_CONSIDERED, text="根据照片和描述，是黑斑侧褶蛙。"),
        ),
    ),
    Story(
        "blurred",
        "sunayi",
        "leyi",
        "pond",
        ("on", 7, 3, 20, 30),
        ("Hoplobatrachus chinensis",),
        pics=(Pic(kind="stripped", look="blurred"),),
        steps=(
            Step(
                18,
                ANIMALS,
                "decide",
                status=v.NOT_ACCEPTED_UNABLE,
                text="照片太模糊，看不清背部花纹，无法确认是虎纹蛙。下次请尽量拍清楚背部。",
            ),
        ),
    ),
    Story(
        "cat",
        "lishushu",
        "changxin",
        "woodland",
        ("on", 9, 12, 22, 15),
        ("Viverricula indica",),
        note="红外相机拍到的，像是小灵猫",
        pics=(Pic(look="night", name="CAM_0917.JPG"),),
        steps=(
            Step(
                20,
                ANIMALS,
                "decide",
                status=v.NOT_ACCEPTED_INCORRECT,
                text="尾巴没有环纹，是一只流浪家猫，不是小灵猫。",
            ),
        ),
    ),
    Story(
        "kingfisher",
        "zhaoshifu",
        "xinsen",
        "pond",
        ("on", 10, 30, 8, 10),
        ("Alcedo atthis",),
        note="离得很远，一道蓝光落在池塘边",
        pics=(Pic(),),
        steps=(
            Step(
                26,
                ALL,
                "decide",
                status=v.UNCONFIRMED_PLAUSIBLE,
                text="距离太远，只看得出蓝色的背，很可能是翠鸟。",
            ),
        ),
    ),
    Story(
        "hedgehog",
        "sunayi",
        "leyi",
        "undisturbed",
        ("on", 10, 8, 19, 45),
        ("Erinaceus amurensis",),
        note="傍晚从灌丛里走出来",
        pics=(Pic(look="night"),),
        steps=(Step(15, ANIMALS, "decide", status=v.ACCEPTED_CORRECT),),
    ),
    Story(
        "nymphs",
        "sunayi",
        "leyi",
        "host_plants",
        ("on", 6, 20, 9, 0),
        (None,),
        verbatim="叶子背面一群黑底白点的小虫子，会跳",
        count=12,
        life_stage="larva",
        pics=(Pic(),),
        steps=(
            Step(
                24,
                ANIMALS,
                "decide",
                status=v.ACCEPTED_CONSIDERED,
                species="Lycorma delicatula",
                text="斑衣蜡蝉的若虫。",
            ),
        ),
    ),
    Story(
        "seedling",
        "wangayi",
        "zhongjing",
        "host_plants",
        ("on", 4, 9, 8, 20),
        ("Aristolochia debilis",),
        count=None,
        life_stage="unknown",
        note="马兜铃旁边冒出的小苗，应该是马兜铃自己播的种",
        pics=(Pic(look="blurred"),),
        steps=(
            Step(
                30,
                PLANTS,
                "decide",
                status=v.NOT_ACCEPTED_UNABLE,
                text="只有两片子叶，照片也有点糊，还看不出是什么。等长出真叶再拍一张。",
            ),
        ),
    ),
    Story(
        "prickly",
        "lishushu",
        "changxin",
        "woodland",
        ("on", 5, 6, 9, 10),
        ("Zanthoxylum armatum",),
        count=None,
        life_stage="unknown",
        pics=(Pic(), Pic(kind="portrait")),
        steps=(
            Step(
                22,
                PLANTS,
                "decide",
                status=v.NOT_ACCEPTED_INCORRECT,
                text="枝上没有刺，叶柄有翅，是柑橘的实生苗，不是竹叶花椒。",
            ),
        ),
    ),
    Story(
        "waterweed",
        "sunayi",
        "leyi",
        "pond",
        ("on", 8, 2, 8, 40),
        ("Hydrilla verticillata",),
        count=None,
        life_stage="unknown",
        note="池塘里一大片细细的水草",
        pics=(Pic(),),
        steps=(
            Step(
                28,
                PLANTS,
                "decide",
                status=v.UNCONFIRMED_PLAUSIBLE,
                text="隔着水面看不清叶子的排列，很可能是黑藻。",
            ),
        ),
    ),
    # --- recent and still open: the queue and "my records"
    Story(
        "community",
        "lishushu",
        "changxin",
        "nectar_bed",
        ("ago", 11, 10, 20),
        ("Pieris rapae", "Spodiopsar cineraceus"),
        count=2,
        pics=(Pic(), Pic(gps=True)),
        steps=(
            Step(5, "wangayi", "identify", species="Pieris canidia|Spodiopsar sericeus"),
            Step(9, "sunayi", "identify", species="Pieris canidia|Spodiopsar sericeus"),
            Step(
                28, "xiaoming", "identify", species="Pieris canidia|Spodiopsar sericeus", text="和图鉴对比过"
            ),
        ),
    ),
    Story(
        "answered",
        "wangayi",
        "zhongjing",
        "nectar_bed",
        ("ago", 9, 8, 5),
        ("Macroglossum stellatarum", "Phoenicurus auroreus"),
        pics=(Pic(),),
        steps=(
            Step(20, ANIMALS, "query", text="照片只拍到一部分，能说说它有多大、当时在做什么吗？"),
            Step(
                27,
                "wangayi",
                "answer",
                text="拇指大小，在花前悬停吸蜜，翅膀快得看不清，拍了好几张才拍到。"
                "|麻雀大小，肚子橙色，在花境边的枝头上一抖一抖地翘尾巴。",
            ),
        ),
    ),
    Story(
        "waiting",
        "zhaoshifu",
        "xinsen",
        "woodland",
        ("ago", 6, 8, 20),
        ("Eophona migratoria", "Chloris sinica"),
        pics=(Pic(kind="portrait"),),
        steps=(Step(22, ALL, "query", text="照片里只看到背影。嘴是什么颜色？翅膀上有没有白斑？"),),
    ),
    Story(
        "waiting2",
        "xiaoming",
        "zhongjing",
        "host_plants",
        ("ago", 4, 8, 45),
        ("Zizeeria maha", "Parus minor"),
        pics=(Pic(), Pic(gps=True)),
        steps=(Step(20, ANIMALS, "query", text="能再拍一张它停着时侧面的照片吗？"),),
    ),
    Story(  # 王阿姨's own open question: her home's inbox banner and the "answer an expert" journey
        "waiting3",
        "wangayi",
        "zhongjing",
        "nectar_bed",
        ("ago", 2, 9, 30),
        ("Papilio xuthus", "Pycnonotus sinensis"),  # a bulbul once the butterflies are out of season
        pics=(Pic(),),
        steps=(Step(18, ANIMALS, "query", text="照片有点模糊：它大概有多大？停在什么植物上？"),),
    ),
    Story(
        "unknown",
        "sunayi",
        "leyi",
        "nectar_bed",
        ("ago", 3, 8, 15),
        (None,),
        verbatim="一只没见过的小鸟，绿色的背，眼睛一圈白",
        pics=(Pic(),),
        steps=(Step(6, "xiaoming", "identify", species="Zosterops simplex", text="可能是暗绿绣眼鸟"),),
    ),
    Story(
        "coarse",
        "zhaoshifu",
        "xinsen",
        "pond",
        ("ago", 5, 8, 5),
        ("Aves",),
        note="芦苇里只看到一个灰褐色带白点的影子",
        pics=(Pic(look="blurred"),),
        steps=(
            Step(
                26,
                ALL,
                "decide",
                status=v.ACCEPTED_CONSIDERED,
                species="Nycticorax nycticorax",
                text="灰褐色带白点，是夜鹭的亚成鸟。",
            ),
        ),
    ),
)


# ---------------------------------------------------------------------------------------- questions

# garden, zone kind, asker, days ago, question, photo?, (answerer, verdict, species, answer, hours later) or None
QUESTIONS = (
    (
        "leyi",
        "host_plants",
        "sunayi",
        30,
        "寄主植物区长出一丛开黄色小花的草，叶子像三叶草，要拔吗？",
        True,
        (PLANTS, "keep", "Oxalis corniculata", "这是酢浆草，是酢浆灰蝶的寄主植物，请保留。", 20),
    ),
    (
        "changxin",
        "pond",
        "lishushu",
        21,
        "河边有一种很高的黄花，长得很快，是杂草吗？",
        True,
        (PLANTS, "remove", "Solidago canadensis", "加拿大一枝黄花，入侵植物，请在结籽前连根拔除并装袋。", 18),
    ),
    (
        "zhongjing",
        "undisturbed",
        "xiaoming",
        15,
        "步道边开小紫花的草是不是野草？",
        False,
        (ALL, "keep", "Viola philippica", "紫花地丁，本土野花，早春的蜜源，留着吧。", 30),
    ),
    ("xinsen", "pond", "zhaoshifu", 8, "池塘里冒出一大片细细的水草，会不会把水塘堵死？", True, None),
    ("zhongjing", "host_plants", "wangayi", 1, "马兜铃旁边冒出来一种藤，叶子心形，要不要拔？", True, None),
)

# garden, zone kind, kind, text, reporter, days ago, photo?, resolution (None = still open)
PROBLEMS = (
    ("zhongjing", "pond", "pond", "水塘水位偏低，水面有油膜", "wangayi", 5, True, None),
    ("changxin", "woodland", "fence", "西侧围栏被撞坏一段，有狗进入", "lishushu", 12, True, None),
    ("xinsen", "lawn", "litter", "步道旁有外卖垃圾", "zhaoshifu", 2, False, None),
    ("leyi", "nectar_bed", "dead_plant", "两株马利筋枯死", "sunayi", 40, True, "已补种"),
    (
        "changxin",
        "pond",
        "invasive_plant",
        "河边发现一片加拿大一枝黄花",
        "lishushu",
        20,
        False,
        "已连根拔除并装袋",
    ),
)

# today's (or the last days') records: every volunteer, every garden (species: first in season)
FRESH = (
    ("wangayi", "zhongjing", "nectar_bed", ("Pycnonotus sinensis",), 0.35),
    ("xiaoming", "zhongjing", "insect_hotel", ("Passer montanus",), 0.55),
    ("lishushu", "changxin", "pond", ("Egretta garzetta",), 0.45),
    ("zhaoshifu", "xinsen", "woodland", ("Turdus mandarinus",), 0.6),
    ("sunayi", "leyi", "nectar_bed", ("Spilopelia chinensis",), 0.5),
    ("sunayi", "leyi", "host_plants", ("Osmanthus fragrans",), 0.7),
)
