"""The knobs of the synthetic city: sizes, towns, zone kinds, species groups and seasons, weather, names."""

from __future__ import annotations

from collections.abc import Callable

# ---------------------------------------------------------------------------------------------
# Knobs

SIGHTINGS_PER_GARDEN_YEAR = 6_700  # 300 gardens x 5 years -> about 10 million sightings
REVIEW_LAG_DAYS = 42  # records newer than this are still "Unconfirmed – not reviewed"
CHUNK_SIGHTINGS = 2_000_000  # sightings generated and inserted per chunk (memory bound)
BOX = (31.0, 31.4, 121.2, 121.7)  # lat min/max, lon min/max (WGS84)
SOURCE = "synthetic"

# (town, district, lat, lon): Shanghai towns and sub-districts, centres approximate (WGS84)
TOWNS = (
    ("新泾镇", "长宁区", 31.212, 121.365),
    ("程家桥街道", "长宁区", 31.196, 121.372),
    ("北新泾街道", "长宁区", 31.218, 121.383),
    ("仙霞新村街道", "长宁区", 31.205, 121.392),
    ("虹桥街道", "长宁区", 31.199, 121.412),
    ("天山路街道", "长宁区", 31.214, 121.402),
    ("周家桥街道", "长宁区", 31.213, 121.418),
    ("华阳路街道", "长宁区", 31.222, 121.426),
    ("田林街道", "徐汇区", 31.174, 121.424),
    ("康健新村街道", "徐汇区", 31.160, 121.419),
    ("漕河泾街道", "徐汇区", 31.168, 121.441),
    ("凌云路街道", "徐汇区", 31.150, 121.442),
    ("长桥街道", "徐汇区", 31.139, 121.446),
    ("华泾镇", "徐汇区", 31.124, 121.452),
    ("虹梅路街道", "徐汇区", 31.172, 121.401),
    ("枫林路街道", "徐汇区", 31.196, 121.447),
    ("长征镇", "普陀区", 31.243, 121.388),
    ("桃浦镇", "普陀区", 31.282, 121.377),
    ("万里街道", "普陀区", 31.262, 121.404),
    ("真如镇街道", "普陀区", 31.250, 121.412),
    ("曹杨新村街道", "普陀区", 31.241, 121.413),
    ("长风新村街道", "普陀区", 31.225, 121.398),
    ("甘泉路街道", "普陀区", 31.265, 121.436),
    ("彭浦新村街道", "静安区", 31.303, 121.450),
    ("大宁路街道", "静安区", 31.281, 121.456),
    ("临汾路街道", "静安区", 31.296, 121.458),
    ("彭浦镇", "静安区", 31.292, 121.436),
    ("江湾镇街道", "虹口区", 31.284, 121.482),
    ("曲阳路街道", "虹口区", 31.281, 121.494),
    ("五角场街道", "杨浦区", 31.301, 121.514),
    ("殷行街道", "杨浦区", 31.319, 121.528),
    ("新江湾城街道", "杨浦区", 31.327, 121.505),
    ("长白新村街道", "杨浦区", 31.285, 121.541),
    ("控江路街道", "杨浦区", 31.276, 121.530),
    ("花木街道", "浦东新区", 31.212, 121.556),
    ("洋泾街道", "浦东新区", 31.240, 121.531),
    ("潍坊新村街道", "浦东新区", 31.225, 121.524),
    ("塘桥街道", "浦东新区", 31.210, 121.516),
    ("金杨新村街道", "浦东新区", 31.263, 121.579),
    ("张江镇", "浦东新区", 31.204, 121.598),
    ("北蔡镇", "浦东新区", 31.183, 121.552),
    ("三林镇", "浦东新区", 31.146, 121.503),
    ("金桥镇", "浦东新区", 31.255, 121.620),
    ("高桥镇", "浦东新区", 31.352, 121.572),
    ("康桥镇", "浦东新区", 31.142, 121.598),
    ("周浦镇", "浦东新区", 31.110, 121.576),
    ("川沙新镇", "浦东新区", 31.192, 121.678),
    ("古美路街道", "闵行区", 31.150, 121.397),
    ("莘庄镇", "闵行区", 31.112, 121.386),
    ("七宝镇", "闵行区", 31.156, 121.350),
    ("梅陇镇", "闵行区", 31.123, 121.421),
    ("虹桥镇", "闵行区", 31.182, 121.381),
    ("颛桥镇", "闵行区", 31.066, 121.408),
    ("浦锦街道", "闵行区", 31.098, 121.482),
    ("华漕镇", "闵行区", 31.215, 121.296),
    ("大场镇", "宝山区", 31.311, 121.410),
    ("庙行镇", "宝山区", 31.330, 121.440),
    ("淞南镇", "宝山区", 31.340, 121.472),
    ("顾村镇", "宝山区", 31.350, 121.382),
    ("张庙街道", "宝山区", 31.324, 121.446),
    ("江桥镇", "嘉定区", 31.250, 121.322),
    ("南翔镇", "嘉定区", 31.298, 121.316),
    ("真新街道", "嘉定区", 31.246, 121.366),
    ("九亭镇", "松江区", 31.131, 121.323),
    ("泗泾镇", "松江区", 31.120, 121.262),
    ("新桥镇", "松江区", 31.060, 121.320),
    ("徐泾镇", "青浦区", 31.176, 121.276),
)
TOWN_REPEAT_SUFFIX = ("", "（二片）", "（三片）", "（四片）", "（五片）")

THEMES = ("蝴蝶主题", "鸟类友好", "滨河湿地", "五区科普", "传粉昆虫", "雨水花园")
T_BUTTERFLY, T_BIRD, T_WETLAND, T_SCIENCE, T_POLLINATOR, T_RAIN = range(len(THEMES))

# zone kind -> (Chinese names, English names); names are picked per garden
ZONE_KINDS = {
    "pond": (
        ("雨水塘", "生态池塘", "小池塘", "滨水湿地"),
        ("Rain pond", "Eco pond", "Small pond", "Wetland"),
    ),
    "nectar_bed": (("蜜源花境", "蜜源植物区"), ("Nectar border", "Nectar plants")),
    "host_plants": (("寄主植物区",), ("Host plants",)),
    "undisturbed": (("秘境区",), ("Undisturbed area",)),
    "insect_hotel": (("昆虫旅馆", "昆虫旅馆与步道"), ("Insect hotel", "Insect hotel and path")),
    "woodland": (("林下灌丛", "鸟类食源林"), ("Woodland edge", "Bird food trees")),
    "lawn": (("草坪与步道", "自然教室"), ("Lawn and path", "Outdoor classroom")),
}
OPTIONAL_KINDS = ("pond", "host_plants", "insect_hotel", "woodland", "lawn")
OPTIONAL_WEIGHTS = (0.9, 0.8, 0.6, 0.6, 0.5)
THEME_KIND = {T_BUTTERFLY: "host_plants", T_BIRD: "woodland", T_WETLAND: "pond", T_RAIN: "pond"}

GROUPS = (
    "bird", "butterfly", "moth", "dragonfly", "damselfly", "bee", "insect",
    "amphibian", "reptile", "mammal", "plant", "other",
)  # fmt: skip
# each group's share of the records before season and time of day (birds and butterflies
# dominate, mammals are rare); within a group, checklist order is commonness order
GROUP_SHARE = {
    "bird": 0.33, "butterfly": 0.18, "moth": 0.02, "dragonfly": 0.05, "damselfly": 0.015, "bee": 0.05,
    "insect": 0.05, "amphibian": 0.02, "reptile": 0.015, "mammal": 0.01, "plant": 0.14, "other": 0.01,
}  # fmt: skip
SEASON_PEAK = {
    "butterfly": 8,
    "moth": 8,
    "dragonfly": 7,
    "damselfly": 7,
    "bee": 6,
    "insect": 7,
    "amphibian": 6,
}
# conditions of a visit: 0 morning dry, 1 morning rain, 2 evening dry, 3 evening rain
EVENING_FACTOR = {
    "bird": 0.3, "butterfly": 0.02, "moth": 3.0, "dragonfly": 0.2, "damselfly": 0.2, "bee": 0.05,
    "insect": 1.0, "amphibian": 6.0, "reptile": 0.5, "mammal": 4.0, "plant": 0.5, "other": 1.0,
}  # fmt: skip
RAIN_FACTOR = {
    "amphibian": 4.0,
    "butterfly": 0.3,
    "bee": 0.3,
    "dragonfly": 0.5,
    "damselfly": 0.5,
    "moth": 0.6,
}
THEME_FACTOR = {
    T_BUTTERFLY: {"butterfly": 2.0, "moth": 1.3},
    T_BIRD: {"bird": 1.8},
    T_WETLAND: {"dragonfly": 2.0, "damselfly": 2.0, "amphibian": 2.0},
    T_POLLINATOR: {"bee": 2.0, "butterfly": 1.4, "insect": 1.3},
    T_RAIN: {"amphibian": 1.5, "dragonfly": 1.3},
}

# Shanghai: chance of rain on a day, by month; sightings per visit relative to the year's mean
RAIN_P = (0.30, 0.33, 0.38, 0.36, 0.36, 0.50, 0.40, 0.38, 0.33, 0.23, 0.25, 0.24)
SIGHTING_SEASON = (0.5, 0.55, 0.8, 1.05, 1.2, 1.2, 1.25, 1.3, 1.25, 1.05, 0.8, 0.55)
VISIT_SEASON = (0.8, 0.8, 1.0, 1.1, 1.1, 1.0, 0.9, 0.9, 1.1, 1.1, 1.0, 0.85)

PROTOCOLS = ("timed_patrol", "transect", "point_count", "casual", "bioblitz")
P_PATROL, P_TRANSECT, P_POINT, P_CASUAL, P_BIOBLITZ = range(len(PROTOCOLS))
PROTOCOL_SIGHTINGS = (1.0, 0.8, 0.6, 0.35, 4.0)  # relative sightings per visit
WEATHERS = ("晴", "多云", "阴", "小雨", "中雨")
DISTURBANCES = ("遛狗", "绿化修剪", "施工噪音", "儿童游玩", "保洁清扫")

STATUSES = (
    "Accepted – correct",
    "Accepted – considered correct",
    "Unconfirmed – plausible",
    "Unconfirmed – not reviewed",
    "Not accepted – unable to verify",
)
S_CORRECT, S_CONSIDERED, S_PLAUSIBLE, S_NOT_REVIEWED, S_UNABLE = range(len(STATUSES))
LIFE_STAGES = ("adult", "larva", "pupa", "egg", "juvenile", "unknown")
SEXES = ("male", "female")
BEHAVIOURS = ("nectaring", "egg_laying", "feeding", "calling", "nesting", "resting", "flying", "basking")
VERBATIM = ("不认识的小虫", "一种小鸟，没看清", "没拍清楚的蝴蝶", "草丛里的小动物", "叫不出名字的野花")

SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕")
ELDER_SUFFIXES = ("阿姨", "叔叔", "师傅", "老师", "奶奶", "爷爷", "大姐", "大哥", "阿婆", "老伯")
YOUNG_NAMES = ("小明", "小雨", "小杰", "小琳", "小宇", "小萱", "小乐", "小舟")
ANIMAL_ORGS = ("上海动物园", "上海自然博物馆", "华东师范大学生态与环境科学学院", "复旦大学生命科学学院")
PLANT_ORGS = ("上海辰山植物园", "上海植物园")
NGO_ORGS = ("城市荒野工作室", "四叶草堂", "上海野鸟会")
ANIMAL_EXPERTISE = "bird|butterfly|moth|dragonfly|damselfly|bee|insect|amphibian|reptile|mammal|other"
GENERAL_EXPERTISE = "bird|butterfly|amphibian|mammal|plant"

TASKS = (  # zone kind, task kind, title, every_days, minutes low, high (as in habitat.demo)
    ("nectar_bed", "water", "浇水", 2, 10, 30),
    ("host_plants", "weed", "除杂草（先问专家再拔）", 7, 20, 60),
    ("nectar_bed", "prune", "修剪残花", 30, 20, 50),
    ("pond", "pond", "清理水塘落叶与垃圾", 30, 30, 60),
    ("insect_hotel", "insect_hotel", "检查昆虫旅馆", 14, 10, 20),
    ("woodland", "feeder", "补充喂鸟器", 7, 5, 15),
    ("lawn", "litter", "捡拾垃圾", 7, 10, 30),
    ("undisturbed", "litter", "秘境区边界巡查（不进入）", 14, 10, 20),
)
FEATURES = (  # zone kind, feature kind, name, provides
    ("pond", "pond", "雨水收集池", "water"),
    ("insect_hotel", "insect_hotel", "昆虫旅馆", "shelter"),
    ("undisturbed", "log_pile", "朽木堆", "shelter|food"),
    ("woodland", "bird_feeder", "喂鸟器", "food"),
    ("nectar_bed", "bird_bath", "鸟浴盆", "water"),
    ("undisturbed", "camera_trap", "红外相机", None),
)
PROBLEMS = (  # kind, zone kind (None: any), description, resolution
    ("fence", None, "围栏被撞坏一段，有狗进入", "已请物业修好围栏"),
    ("litter", "lawn", "步道旁有外卖垃圾", "志愿者已清理"),
    ("dead_plant", "nectar_bed", "几株蜜源植物枯死", "已补种"),
    ("invasive_plant", "pond", "水边发现一片加拿大一枝黄花", "已连根拔除并装袋"),
    ("pond", "pond", "水塘水位偏低，水面有油膜", "已补水并清理"),
    ("feature", "insect_hotel", "昆虫旅馆被雨水淋坏", "已修补并加了顶"),
    ("other", None, "有居民在秘境区堆放杂物", "已沟通并移走"),
)

Progress = Callable[[str, int, int], None]
