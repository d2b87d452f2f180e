"""The Xinjing demo's town: its four gardens and their zones, the demo accounts, tasks, features, and where
each group of species is usually seen. Plain data; habitat.demo.build turns it into rows."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "huayuan2026"  # documented in the README; exists only in demo databases


@dataclass(frozen=True)
class ZoneSpec:
    code: str
    name: str
    name_en: str
    kind: str
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 in metres from the garden centre


@dataclass(frozen=True)
class GardenSpec:
    slug: str
    name: str
    name_en: str
    theme: str
    address: str
    lat: float
    lon: float
    zones: tuple[ZoneSpec, ...]


def _z(code, name, name_en, kind, rect):
    return ZoneSpec(code, name, name_en, kind, rect)


GARDENS = (
    GardenSpec(
        "zhongjing",
        "中泾生境花园",
        "Zhongjing Habitat Garden",
        "蝴蝶主题",
        "新泾港畔",
        31.21630,
        121.37120,
        (
            _z("A", "雨水塘", "Rain pond", "pond", (-19, -10, -7, 2)),
            _z("B", "蜜源花境", "Nectar border", "nectar_bed", (-7, -10, 7, 2)),
            _z("C", "寄主植物区", "Host plants", "host_plants", (7, -10, 19, 2)),
            _z("D", "秘境区", "Undisturbed area", "undisturbed", (-19, 2, 0, 10)),
            _z("E", "昆虫旅馆与步道", "Insect hotel and path", "insect_hotel", (0, 2, 19, 10)),
        ),
    ),
    GardenSpec(
        "changxin",
        "常馨生境花园",
        "Changxin Habitat Garden",
        "滨河湿地",
        "金虹苑西南角，陆家浜河畔",
        31.20790,
        121.35830,
        (
            _z("A", "滨水湿地", "Creekside wetland", "pond", (-16, -9, 0, 0)),
            _z("B", "蜜源花境", "Nectar border", "nectar_bed", (0, -9, 16, 0)),
            _z("C", "林下灌丛", "Woodland edge", "woodland", (-16, 0, 0, 9)),
            _z("D", "秘境区", "Undisturbed area", "undisturbed", (0, 0, 16, 9)),
        ),
    ),
    GardenSpec(
        "xinsen",
        "新森生境花园",
        "Xinsen Habitat Garden",
        "鸟类友好",
        "刘四居民区",
        31.21420,
        121.35590,
        (
            _z("A", "小池塘", "Small pond", "pond", (-15, -8, -4, 2)),
            _z("B", "鸟类食源林", "Bird food trees", "woodland", (-4, -8, 15, 2)),
            _z("C", "昆虫旅馆", "Insect hotel", "insect_hotel", (-15, 2, -4, 9)),
            _z("D", "秘境区", "Undisturbed area", "undisturbed", (-4, 2, 8, 9)),
            _z("E", "草坪与步道", "Lawn and path", "lawn", (8, 2, 15, 9)),
        ),
    ),
    GardenSpec(
        "leyi",
        "乐颐生境花园",
        "Leyi Habitat Garden",
        "五区科普",
        "乐颐居民区",
        31.21050,
        121.36810,
        (
            _z("A", "生态池塘", "Eco pond", "pond", (-18, -10, -6, 0)),
            _z("B", "蜜源植物区", "Nectar plants", "nectar_bed", (-6, -10, 6, 0)),
            _z("C", "寄主植物区", "Host plants", "host_plants", (6, -10, 18, 0)),
            _z("D", "秘境区", "Undisturbed area", "undisturbed", (-18, 0, 0, 10)),
            _z("E", "自然教室", "Outdoor classroom", "lawn", (0, 0, 18, 10)),
        ),
    ),
)

PEOPLE = (
    # username, display name, role, expertise, home garden slug, organisation
    ("liuzhuren", "刘主任", "committee", None, None, "新泾镇居委会"),
    ("zhoujie", "周洁", "committee", None, "leyi", "乐颐居民区居委会"),
    (
        "zhanggong",
        "张工（动物园）",
        "expert",
        "bird|butterfly|moth|dragonfly|damselfly|bee|insect|amphibian|reptile|mammal",
        None,
        "上海动物园",
    ),
    ("chenlaoshi", "陈老师（植物园）", "expert", "plant", None, "上海辰山植物园"),
    (
        "xuboshi",
        "徐博士（保护组织）",
        "expert",
        "bird|butterfly|amphibian|mammal|plant",
        None,
        "城市荒野工作室",
    ),
    ("wangayi", "王阿姨", "volunteer", None, "zhongjing", None),
    ("lishushu", "李叔叔", "volunteer", None, "changxin", None),
    ("zhaoshifu", "赵师傅", "volunteer", None, "xinsen", None),
    ("sunayi", "孙阿姨", "volunteer", None, "leyi", None),
    ("xiaoming", "小明（学生志愿者）", "volunteer", None, "zhongjing", None),
)

TASKS = (
    # zone kind -> (task kind, title, every_days)
    ("nectar_bed", "water", "浇水", 2),
    ("host_plants", "weed", "除杂草（先问专家再拔）", 7),
    ("nectar_bed", "prune", "修剪残花", 30),
    ("pond", "pond", "清理水塘落叶与垃圾", 30),
    ("insect_hotel", "insect_hotel", "检查昆虫旅馆", 14),
    ("woodland", "feeder", "补充喂鸟器", 7),
    ("lawn", "litter", "捡拾垃圾", 7),
    ("undisturbed", "litter", "秘境区边界巡查（不进入）", 14),
)

FEATURES = (
    ("pond", "pond", "雨水收集池", "water"),
    ("insect_hotel", "insect_hotel", "昆虫旅馆", "shelter"),
    ("undisturbed", "log_pile", "朽木堆", "shelter|food"),
    ("woodland", "bird_feeder", "喂鸟器", "food"),
    ("nectar_bed", "bird_bath", "鸟浴盆", "water"),
    ("undisturbed", "camera_trap", "红外相机", ""),
)

# Which zone kinds each group is usually seen in.
GROUP_ZONES = {
    "bird": ("woodland", "undisturbed", "lawn", "pond", "nectar_bed", "host_plants", "insect_hotel"),
    "butterfly": ("nectar_bed", "host_plants"),
    "moth": ("nectar_bed",),
    "dragonfly": ("pond",),
    "damselfly": ("pond",),
    "bee": ("nectar_bed", "insect_hotel"),
    "insect": ("nectar_bed", "host_plants", "insect_hotel", "woodland"),
    "amphibian": ("pond", "undisturbed"),
    "reptile": ("undisturbed", "pond", "insect_hotel"),
    "mammal": ("undisturbed", "woodland"),
    "plant": ("host_plants", "nectar_bed", "pond", "woodland", "undisturbed"),
}
