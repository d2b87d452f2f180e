"""Synthetic data at scale: hundreds of gardens over Shanghai and years of patrols.

``python -m habitat seed-synthetic --db PATH --gardens 300 --years 5`` builds about ten million
sightings for load tests and benchmarks. Everything is generated with vectorised numpy into Arrow
tables and inserted with ``INSERT ... SELECT`` in large chunks; identifications and verifications
are derived from the sightings in SQL. Rows are written physically sorted by
(garden_id, event_date), which keeps per-garden dashboard queries fast.

Rules kept so the app works on the result:
- every sighting carries garden_id and zone_id, and its point lies inside its zone's rectangle
  (no spatial join is ever needed);
- bulk rows get explicit ids reserved from the table's sequence, so later inserts through the
  sequence DEFAULT never collide;
- nobody can sign in (password_hash is NULL for every synthetic person);
- the same seed and end date give the same database.

Heavy imports (numpy, pyarrow, duckdb) stay inside functions: the CLI imports this module to
register its command.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import click

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
from habitat.demo.town import GROUP_ZONES  # noqa: E402 - where each group is usually seen, shared with the demo
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

# ---------------------------------------------------------------------------------------------
# Public API


def seed_synthetic(
    con,
    *,
    gardens: int,
    years: int,
    seed: int = 1,
    end_date: date | None = None,
    progress: Progress | None = None,
) -> dict:
    """Fill an empty database (schema migrated) with ``gardens`` gardens and ``years`` of records.

    ``end_date`` is the last day with records (default: yesterday in Shanghai). ``progress`` is
    called as ``progress(phase, done, total)``. Returns ``{"rows": {table: n}, "seconds":
    {phase: s, "total": s}, ...}``. Raises DatabaseError("db.not_empty") when gardens, zones,
    people, visits, sightings, identifications or task logs already hold rows. Loads the shipped
    checklist when the species table is empty. Everything is written in one transaction, then
    checkpointed.
    """
    import duckdb
    import numpy as np

    from habitat.clock import system_clock

    if gardens < 1 or years < 1:
        raise ValueError("gardens and years must be at least 1")
    end_date = end_date or (system_clock().date() - timedelta(days=1))
    timer = _Timer(progress)
    report: dict = {"gardens": gardens, "years": years, "seed": seed, "end_date": end_date.isoformat()}
    rows: dict[str, int] = {}

    _require_empty(con)
    _ensure_checklist(con)
    con.execute("BEGIN TRANSACTION")
    try:
        cal = _Calendar(end_date, years, np.random.default_rng([seed, 1]))
        species = _Species(con)
        timer.lap("setup")

        places = _places(np.random.default_rng([seed, 2]), gardens, cal)
        rows.update(_insert_places(con, places, cal))
        timer.lap("gardens_zones")

        people = _people(np.random.default_rng([seed, 3]), places)
        rows.update(_insert_people(con, people, places, cal))
        timer.lap("people_tasks")

        visits = _visits(np.random.default_rng([seed, 4]), places, people, cal)
        rows["visits"] = _insert_visits(con, visits, places, people, cal)
        timer.lap("visits")

        rows["sightings"] = _sightings(con, seed, places, people, visits, species, cal, timer)
        timer.lap("sightings")

        rows["identifications"] = _identifications(con, rows["sightings"])
        timer.lap("identifications")

        rows["verifications"] = _verifications(con)
        timer.lap("verifications")

        rows.update(_upkeep(con, np.random.default_rng([seed, 6]), places, people, cal))
        timer.lap("task_logs_problems")

        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # the original error matters more
            con.execute("ROLLBACK")
        raise
    timer.lap("commit")
    con.execute("CHECKPOINT")
    timer.lap("checkpoint")
    report["rows"] = rows
    report["seconds"] = timer.seconds()
    return report


# ---------------------------------------------------------------------------------------------
# Helpers: timing, ids, inserts


class _Timer:
    def __init__(self, progress: Progress | None) -> None:
        self.start = self.last = time.perf_counter()
        self.phases: dict[str, float] = {}
        self.progress = progress

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self.last, 3)
        self.last = now
        if self.progress:
            self.progress(phase, 1, 1)

    def tick(self, phase: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(phase, done, total)

    def seconds(self) -> dict[str, float]:
        return {**self.phases, "total": round(time.perf_counter() - self.start, 3)}


def _require_empty(con) -> None:
    from habitat.errors import DatabaseError

    for table in ("gardens", "zones", "people", "visits", "sightings", "identifications", "task_logs"):
        if con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]:
            path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
            raise DatabaseError("db.not_empty", path=(path.fetchall() or [("?",)])[0][0] or "?")


def _ensure_checklist(con) -> None:
    from habitat.checklist import load_checklist

    if not con.execute("SELECT count(*) FROM species").fetchall()[0][0]:
        load_checklist(con)


def _reserve_ids(con, sequence: str, n: int) -> int:
    """Take n consecutive values from a sequence; returns the first. Later DEFAULT nextval() continues after them."""
    first = con.execute(f"SELECT nextval('{sequence}')").fetchall()[0][0]
    if n > 1:
        con.execute(f"SELECT max(nextval('{sequence}')) FROM range({n - 1})").fetchall()
    return int(first)


def _insert(con, table: str, data, select: dict[str, str] | None = None) -> int:
    """INSERT INTO table (cols) SELECT ... FROM an Arrow table; ``select`` adds computed columns."""
    import pyarrow as pa

    if not isinstance(data, pa.Table):
        data = pa.table(data)
    if data.num_rows == 0:
        return 0
    exprs = {name: f'"{name}"' for name in data.column_names}
    exprs.update(select or {})
    cols = ", ".join(f'"{c}"' for c in exprs)
    name = f"syn_{table}"
    con.register(name, data)
    try:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {', '.join(exprs.values())} FROM {name}")
    finally:
        con.unregister(name)
    return data.num_rows


def _dict(codes, words, mask=None):
    """A dictionary-encoded Arrow string column (DuckDB ingests these fastest)."""
    import numpy as np
    import pyarrow as pa

    codes = np.asarray(codes)
    codes = codes.astype(np.int8 if len(words) < 128 else np.int32, copy=False)
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), pa.array(list(words), pa.string()))


def _ts(micros, mask=None):
    import pyarrow as pa

    return pa.array(micros, type=pa.timestamp("us", tz="UTC"), mask=mask)


# ---------------------------------------------------------------------------------------------
# Calendar and weather


class _Calendar:
    """Days of the period as numpy arrays; city-wide weather per day."""

    def __init__(self, end_date: date, years: int, rng) -> None:
        import numpy as np

        try:
            start = end_date.replace(year=end_date.year - years) + timedelta(days=1)
        except ValueError:  # 29 February
            start = end_date.replace(year=end_date.year - years, day=28) + timedelta(days=1)
        self.start, self.end = start, end_date
        self.n = (end_date - start).days + 1
        self.epoch_day = (start - date(1970, 1, 1)).days + np.arange(self.n, dtype=np.int64)
        d64 = self.epoch_day.astype("datetime64[D]")
        self.month = (d64.astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(np.int8)
        self.year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
        self.doy = (d64 - d64.astype("datetime64[Y]")).astype(np.int64)
        self.weekday = ((self.epoch_day + 3) % 7).astype(np.int8)  # Monday 0
        # midnight in Shanghai (UTC+8, no daylight saving) as UTC microseconds
        self.midnight_us = (self.epoch_day * 86_400 - 8 * 3_600) * 1_000_000
        cutoff_day = (end_date - timedelta(days=REVIEW_LAG_DAYS) - date(1970, 1, 1)).days + 1
        self.review_cutoff_us = (cutoff_day * 86_400 - 8 * 3_600) * 1_000_000
        self.end_us = ((end_date - date(1970, 1, 1)).days + 1) * 86_400_000_000 - 8 * 3_600_000_000

        # rain comes in spells; temperature anomalies persist for days
        p = np.asarray(RAIN_P)[self.month - 1]
        u = rng.random(self.n)
        noise = rng.normal(0.0, 1.6, self.n)
        rainy = np.zeros(self.n, dtype=bool)
        anomaly = np.zeros(self.n)
        for i in range(self.n):
            prev = rainy[i - 1] if i else False
            rainy[i] = u[i] < (min(0.8, p[i] * 1.5) if prev else p[i] * 0.8)
            anomaly[i] = (0.8 * anomaly[i - 1] if i else 0.0) + noise[i]
        self.rainy = rainy
        self.temperature = 17.0 - 11.5 * np.cos((self.doy - 20) / 365.25 * 2 * math.pi) + anomaly
        dry = rng.choice(3, self.n, p=[0.45, 0.35, 0.20])  # 晴 多云 阴
        wet = np.where(rng.random(self.n) < 0.8, 3, 4)  # 小雨 中雨
        self.weather = np.where(rainy, wet, dry).astype(np.int8)


# ---------------------------------------------------------------------------------------------
# Species


class _Species:
    """The checklist as arrays: pickable taxa, coarse "unidentified" taxa per group."""

    def __init__(self, con) -> None:
        import numpy as np

        rows = con.execute(
            "SELECT id, group_name, taxon_rank, usual_months, garden_common, invasive, sensitive, difficulty"
            " FROM species WHERE accepted_id IS NULL ORDER BY id"
        ).fetchall()
        pick = [r for r in rows if r[2] in ("species", "subspecies", "genus")]
        coarse = {r[1]: r[0] for r in rows if r[2] not in ("species", "subspecies", "genus")}
        self.n = len(pick)
        self.id = np.array([r[0] for r in pick], dtype=np.int64)
        self.group = np.array([GROUPS.index(r[1]) if r[1] in GROUPS else GROUPS.index("other") for r in pick])
        self.common = np.array([bool(r[4]) for r in pick])
        self.invasive = np.array([bool(r[5]) for r in pick])
        self.sensitive = np.array([bool(r[6]) for r in pick])
        self.rank_in_group = np.zeros(self.n)
        for gi in range(len(GROUPS)):
            members = self.group == gi
            self.rank_in_group[members] = np.arange(members.sum())
        self.difficulty = np.clip(np.array([int(r[7] or 2) for r in pick]), 1, 5).astype(np.int8)
        self.in_month = np.zeros((12, self.n), dtype=bool)
        for j, r in enumerate(pick):
            for m in _months_of(r[3] or "1-12"):
                self.in_month[m - 1, j] = True
        # coarse taxon per group (e.g. 蝴蝶（未识别）), -1 when the checklist has none
        self.coarse_by_group = np.array([coarse.get(g, -1) for g in GROUPS], dtype=np.int64)
        if self.n == 0:
            raise RuntimeError("the species checklist is empty")

    def season(self):
        """(12, n) weights: in usual months, with group peaks (as habitat.demo)."""
        import numpy as np

        w = np.zeros((12, self.n))
        for m in range(1, 13):
            for gi, g in enumerate(GROUPS):
                peak = SEASON_PEAK.get(g)
                f = 1.0 if peak is None else 0.25 + math.exp(-(((m - peak) / 2.2) ** 2)) * 2.5
                w[m - 1, self.group == gi] = f
        return w * self.in_month

    def conditions(self):
        """(4, n) factors for morning/evening x dry/rain."""
        import numpy as np

        evening = np.array([EVENING_FACTOR.get(GROUPS[g], 1.0) for g in self.group])
        evening = np.where(self.sensitive, 60.0, evening)  # raccoon dogs and civets come out at night
        rain = np.array([RAIN_FACTOR.get(GROUPS[g], 1.0) for g in self.group])
        return np.stack([np.ones(self.n), rain, evening, evening * rain])


def _months_of(spec: str) -> set[int]:
    """ "3-11" -> {3..11}; "10-4" wraps over the new year."""
    a, b = (int(x) for x in spec.split("-"))
    return set(range(a, b + 1)) if a <= b else set(range(a, 13)) | set(range(1, b + 1))


# ---------------------------------------------------------------------------------------------
# Gardens, zones, features


def _metres_per_degree(lat):
    """Local metre -> degree factors on the WGS84 ellipsoid (exact enough over a garden)."""
    import numpy as np

    phi = np.radians(lat)
    per_lat = 111_132.92 - 559.82 * np.cos(2 * phi) + 1.175 * np.cos(4 * phi)
    per_lon = 111_412.84 * np.cos(phi) - 93.5 * np.cos(3 * phi)
    return per_lat, per_lon


def _places(rng, n_gardens: int, cal: _Calendar) -> dict:
    import numpy as np

    # towns of 6-14 gardens, about ten on average
    sizes: list[int] = []
    while sum(sizes) < n_gardens:
        sizes.append(int(rng.integers(6, 15)))
    sizes[-1] -= sum(sizes) - n_gardens
    order = rng.permutation(len(TOWNS))
    towns = []
    for t in range(len(sizes)):
        name, district, lat, lon = TOWNS[order[t % len(TOWNS)]]
        rep = t // len(TOWNS)
        suffix = TOWN_REPEAT_SUFFIX[rep] if rep < len(TOWN_REPEAT_SUFFIX) else f"（{rep + 1}）"
        if rep:
            lat, lon = lat + rng.normal(0, 0.01), lon + rng.normal(0, 0.01)
        towns.append((name + suffix, district, lat, lon))
    town_of = np.repeat(np.arange(len(sizes)), sizes)

    g = n_gardens
    lat0, lat1, lon0, lon1 = BOX
    t_lat = np.array([t[2] for t in towns])[town_of]
    t_lon = np.array([t[3] for t in towns])[town_of]
    clat = np.clip(t_lat + rng.normal(0, 0.009, g), lat0 + 0.005, lat1 - 0.005)
    clon = np.clip(t_lon + rng.normal(0, 0.011, g), lon0 + 0.005, lon1 - 0.005)
    area = np.clip(np.exp(rng.normal(math.log(720), 0.42, g)), 400, 2500)
    aspect = rng.uniform(1.2, 2.2, g)
    width = np.sqrt(area * aspect)
    height = area / width
    theme = rng.choice(len(THEMES), g, p=[0.25, 0.2, 0.15, 0.15, 0.15, 0.10])
    n_zones = rng.choice([4, 5, 6], g, p=[0.3, 0.45, 0.25])
    activity = np.exp(rng.normal(0, 0.3, g))
    activity /= activity.mean()
    per_lat, per_lon = _metres_per_degree(clat)

    zone_garden, zone_kind, zone_rect, zone_name, zone_name_en = [], [], [], [], []
    for i in range(g):
        k = int(n_zones[i])
        kinds = ["nectar_bed", "undisturbed"]
        must = THEME_KIND.get(int(theme[i]))
        if must:
            kinds.append(must)
        rest = [x for x in OPTIONAL_KINDS if x not in kinds]
        w = np.array([OPTIONAL_WEIGHTS[OPTIONAL_KINDS.index(x)] for x in rest])
        kinds += list(rng.choice(rest, k - len(kinds), replace=False, p=w / w.sum()))
        kinds = [kinds[j] for j in rng.permutation(k)]
        # two rows of rectangles: south row gets ceil(k/2) zones
        split = -height[i] / 2 + height[i] * rng.uniform(0.4, 0.6)
        rows_ = ((-height[i] / 2, split, (k + 1) // 2), (split, height[i] / 2, k // 2))
        j = 0
        for y0, y1, cols in rows_:
            cuts = np.concatenate([[0.0], np.cumsum(rng.dirichlet(np.full(cols, 5.0)))])
            xs = -width[i] / 2 + width[i] * cuts
            for c in range(cols):
                names, names_en = ZONE_KINDS[kinds[j]]
                pick = int(rng.integers(len(names)))
                zone_garden.append(i)
                zone_kind.append(kinds[j])
                zone_rect.append((xs[c], y0, xs[c + 1], y1))
                zone_name.append(names[pick])
                zone_name_en.append(names_en[pick])
                j += 1
    rect = np.array(zone_rect)
    return {
        "n": g,
        "towns": towns,
        "town_of": town_of,
        "lat": clat,
        "lon": clon,
        "area": area,
        "width": width,
        "height": height,
        "theme": theme,
        "activity": activity,
        "per_lat": per_lat,
        "per_lon": per_lon,
        "opened_days_before": rng.integers(30, 500, g),
        "zone_garden": np.array(zone_garden),
        "zone_kind": zone_kind,
        "zone_kind_idx": np.array([list(ZONE_KINDS).index(x) for x in zone_kind]),
        "zone_rect": rect,
        "zone_name": zone_name,
        "zone_name_en": zone_name_en,
        "zone_first": np.searchsorted(np.array(zone_garden), np.arange(g)),
        "n_zones": n_zones,
    }


def _geojson_rect(lat, lon, per_lat, per_lon, x0, y0, x1, y1) -> str:
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    coords = ",".join(f"[{lon + x / per_lon:.7f},{lat + y / per_lat:.7f}]" for x, y in ring)
    return '{"type": "Polygon", "coordinates": [[' + coords + "]]}"


def _insert_places(con, p: dict, cal: _Calendar) -> dict[str, int]:
    import numpy as np

    g = p["n"]
    base = _reserve_ids(con, "seq_gardens", g)
    p["garden_id"] = base + np.arange(g, dtype=np.int64)
    opened = cal.epoch_day[0] - p["opened_days_before"]
    created = _ts(cal.midnight_us[0] - (p["opened_days_before"] + 30) * 86_400_000_000)
    w, h = p["width"], p["height"]
    town_names = [p["towns"][t][0] for t in p["town_of"]]
    _insert(
        con,
        "gardens",
        {
            "id": p["garden_id"],
            "slug": [f"g{i + 1:04d}" for i in range(g)],
            "name": [f"生境花园 {i + 1:04d}" for i in range(g)],
            "name_en": [f"Habitat Garden {i + 1:04d}" for i in range(g)],
            "town": town_names,
            "district": [p["towns"][t][1] for t in p["town_of"]],
            "address": [f"{town_names[i]}第{(i % 17) + 1}居民区" for i in range(g)],
            "theme": [THEMES[t] for t in p["theme"]],
            "centre_lat": np.round(p["lat"], 6),
            "centre_lon": np.round(p["lon"], 6),
            "area_m2": np.round(w * h),
            "boundary": [
                _geojson_rect(
                    p["lat"][i],
                    p["lon"][i],
                    p["per_lat"][i],
                    p["per_lon"][i],
                    -w[i] / 2,
                    -h[i] / 2,
                    w[i] / 2,
                    h[i] / 2,
                )
                for i in range(g)
            ],
            "opened_on": opened.astype("datetime64[D]"),
            "created_at": created,
        },
    )

    zg, rect = p["zone_garden"], p["zone_rect"]
    nz = len(zg)
    zbase = _reserve_ids(con, "seq_zones", nz)
    p["zone_id"] = zbase + np.arange(nz, dtype=np.int64)
    codes = np.arange(nz) - p["zone_first"][zg]
    _insert(
        con,
        "zones",
        {
            "id": p["zone_id"],
            "garden_id": p["garden_id"][zg],
            "code": [chr(65 + int(c)) for c in codes],
            "name": p["zone_name"],
            "name_en": p["zone_name_en"],
            "kind": p["zone_kind"],
            "geometry": [
                _geojson_rect(p["lat"][i], p["lon"][i], p["per_lat"][i], p["per_lon"][i], *rect[z])
                for z, i in enumerate(zg)
            ],
            "area_m2": np.round((rect[:, 2] - rect[:, 0]) * (rect[:, 3] - rect[:, 1]), 1),
            "created_at": _ts(np.full(nz, cal.midnight_us[0] - 400 * 86_400_000_000)),
        },
    )

    feats = [(z, kind, name, provides) for z, zk in enumerate(p["zone_kind"])
             for k, kind, name, provides in FEATURES if k == zk]  # fmt: skip
    fz = np.array([f[0] for f in feats], dtype=np.int64)
    nf = len(feats)
    fbase = _reserve_ids(con, "seq_features", nf)
    frng = np.random.default_rng(int(p["zone_id"][0]))
    _insert(
        con,
        "features",
        {
            "id": fbase + np.arange(nf, dtype=np.int64),
            "garden_id": p["garden_id"][zg[fz]],
            "zone_id": p["zone_id"][fz],
            "kind": [f[1] for f in feats],
            "name": [f[2] for f in feats],
            "condition": frng.choice(["good", "good", "good", "fair", "poor"], nf),
            "provides": [f[3] for f in feats],
            "checked_on": (cal.epoch_day[-1] - frng.integers(3, 90, nf)).astype("datetime64[D]"),
            "updated_at": _ts(np.full(nf, cal.end_us - 86_400_000_000)),
        },
    )
    return {"gardens": g, "zones": nz, "features": nf}


# ---------------------------------------------------------------------------------------------
# People and task definitions


def _people(rng, p: dict) -> dict:
    import numpy as np

    usernames, names, roles, expertise, home, orgs = [], [], [], [], [], []

    def add(u, n, r, e=None, h=None, o=None):
        (
            usernames.append(u),
            names.append(n),
            roles.append(r),
            expertise.append(e),
            home.append(h),
            orgs.append(o),
        )
        return len(usernames) - 1

    n_vol = rng.integers(3, 9, p["n"])
    vol_first = np.zeros(p["n"], dtype=np.int64)
    for i in range(p["n"]):
        for j in range(int(n_vol[i])):
            if j and rng.random() < 0.15:
                name = f"{YOUNG_NAMES[int(rng.integers(len(YOUNG_NAMES)))]}（学生志愿者）"
            else:
                name = (
                    SURNAMES[int(rng.integers(len(SURNAMES)))]
                    + ELDER_SUFFIXES[int(rng.integers(len(ELDER_SUFFIXES)))]
                )
            k = add(f"v{i + 1:04d}_{j + 1}", name, "volunteer", h=i)
            if j == 0:
                vol_first[i] = k
    n_towns = len(p["towns"])
    animal = np.zeros(n_towns, dtype=np.int64)
    plant = np.zeros(n_towns, dtype=np.int64)
    general = np.full(n_towns, -1, dtype=np.int64)
    committee = np.zeros(n_towns, dtype=np.int64)
    for t, (town, *_rest) in enumerate(p["towns"]):

        def s() -> str:
            return SURNAMES[int(rng.integers(len(SURNAMES)))]

        org = ANIMAL_ORGS[int(rng.integers(len(ANIMAL_ORGS)))]
        animal[t] = add(f"e{t + 1:03d}_a", f"{s()}工（{org[:4]}）", "expert", ANIMAL_EXPERTISE, o=org)
        org = PLANT_ORGS[int(rng.integers(len(PLANT_ORGS)))]
        plant[t] = add(f"e{t + 1:03d}_p", f"{s()}老师（植物园）", "expert", "plant", o=org)
        if rng.random() < 0.5:
            org = NGO_ORGS[int(rng.integers(len(NGO_ORGS)))]
            general[t] = add(f"e{t + 1:03d}_g", f"{s()}博士（{org}）", "expert", GENERAL_EXPERTISE, o=org)
        committee[t] = add(f"c{t + 1:03d}_1", f"{s()}主任", "committee", o=f"{town}社区办")
        if rng.random() < 0.6:
            add(f"c{t + 1:03d}_2", f"{s()}书记", "committee", o=f"{town}居委会")
    return {
        "username": usernames,
        "name": names,
        "role": roles,
        "expertise": expertise,
        "home": home,
        "org": orgs,
        "n_vol": n_vol,
        "vol_first": vol_first,  # index of a garden's first (lead) volunteer; the others follow
        "animal": animal,
        "plant": plant,
        "general": general,
        "committee": committee,
    }


def _insert_people(con, people: dict, p: dict, cal: _Calendar) -> dict[str, int]:
    import numpy as np

    n = len(people["username"])
    base = _reserve_ids(con, "seq_people", n)
    people["base"] = base
    home = np.array([-1 if h is None else h for h in people["home"]])
    _insert(
        con,
        "people",
        {
            "id": base + np.arange(n, dtype=np.int64),
            "username": people["username"],
            "display_name": people["name"],
            "role": people["role"],
            "password_hash": [None] * n,  # nobody can sign in to a synthetic database
            "expertise": people["expertise"],
            "home_garden_id": [None if h < 0 else int(p["garden_id"][h]) for h in home],
            "organisation": people["org"],
            "created_at": _ts(np.full(n, cal.midnight_us[0] - 200 * 86_400_000_000)),
        },
    )

    defs = [(z, kind, title, every, lo, hi) for z, zk in enumerate(p["zone_kind"])
            for k, kind, title, every, lo, hi in TASKS if k == zk]  # fmt: skip
    nt = len(defs)
    tz = np.array([d[0] for d in defs], dtype=np.int64)
    tbase = _reserve_ids(con, "seq_task_defs", nt)
    garden = p["zone_garden"][tz]
    p["tasks"] = {
        "id": tbase + np.arange(nt, dtype=np.int64),
        "garden": garden,
        "zone": tz,
        "kind": [d[1] for d in defs],
        "every": np.array([d[3] for d in defs]),
        "lo": np.array([d[4] for d in defs]),
        "hi": np.array([d[5] for d in defs]),
    }
    _insert(
        con,
        "task_defs",
        {
            "id": p["tasks"]["id"],
            "garden_id": p["garden_id"][garden],
            "zone_id": p["zone_id"][tz],
            "kind": p["tasks"]["kind"],
            "title": [d[2] for d in defs],
            "every_days": p["tasks"]["every"].astype(np.int32),
            "start_on": np.full(nt, cal.epoch_day[0]).astype("datetime64[D]"),
            "source": ["manual"] * nt,
            "created_by": base + people["committee"][p["town_of"][garden]],
            "created_at": _ts(np.full(nt, cal.midnight_us[0] - 86_400_000_000)),
        },
    )
    return {"people": n, "task_defs": nt}


# ---------------------------------------------------------------------------------------------
# Visits (patrols)


def _visits(rng, p: dict, people: dict, cal: _Calendar) -> dict:
    import numpy as np

    g, d = p["n"], cal.n
    rate = rng.uniform(2.0, 4.0, g) / 7.0  # 2-4 patrols a week
    day_p = np.asarray(VISIT_SEASON)[cal.month - 1] * np.where(cal.rainy, 0.6, 1.06)
    happens = rng.random((g, d)) < rate[:, None] * day_p[None, :]
    # one BioBlitz a year per garden, on a Saturday in May
    bioblitz = np.zeros((g, d), dtype=bool)
    for y in np.unique(cal.year):
        sats = np.nonzero((cal.year == y) & (cal.month == 5) & (cal.weekday == 5))[0]
        if len(sats) >= 4:
            bioblitz[np.arange(g), sats[rng.integers(0, len(sats), g)]] = True
    happens |= bioblitz
    gi, di = np.nonzero(happens)  # sorted by garden, then day
    blitz = bioblitz[gi, di]
    v = len(gi)

    month = cal.month[di]
    warm = (month >= 4) & (month <= 9)
    evening = (rng.random(v) < np.where(warm, 0.10, 0.03)) & ~blitz
    afternoon = ~evening & (rng.random(v) < 0.2)
    start_min = np.where(
        evening,
        rng.integers(19 * 60, 20 * 60 + 31, v),
        np.where(afternoon, rng.integers(15 * 60, 17 * 60, v), rng.integers(7 * 60, 10 * 60, v)),
    )
    start_min = np.where(blitz, 9 * 60, start_min)
    u = rng.random(v)
    theme = p["theme"][gi]
    protocol = np.full(v, P_PATROL, dtype=np.int8)
    protocol[u < 0.15] = P_CASUAL
    protocol[(theme == T_BIRD) & ~evening & ~afternoon & (u > 0.7)] = P_POINT
    protocol[(theme == T_BUTTERFLY) & (cal.weekday[di] == 5) & (month >= 4) & (month <= 10) & ~evening] = (
        P_TRANSECT
    )
    protocol[blitz] = P_BIOBLITZ
    minutes = np.select(
        [protocol == P_CASUAL, protocol == P_POINT, protocol == P_TRANSECT, protocol == P_BIOBLITZ],
        [
            rng.integers(10, 40, v),
            rng.integers(20, 41, v),
            rng.integers(30, 61, v),
            rng.integers(180, 301, v),
        ],
        rng.integers(20, 76, v),
    )
    n_vol = people["n_vol"][gi]
    lead = rng.random(v) < 0.5
    recorder_rank = np.where(lead, 0, rng.integers(0, 1 << 30, v) % n_vol)
    observers = np.where(blitz, rng.integers(6, 16, v), np.minimum(rng.integers(1, 4, v), n_vol))
    rainy = cal.rainy[di]
    # relative number of sightings; scaled to the target in _sightings
    weight = (
        p["activity"][gi]
        * np.asarray(SIGHTING_SEASON)[month - 1]
        * np.asarray(PROTOCOL_SIGHTINGS)[protocol]
        * np.where(rainy, 0.6, 1.0)
        * np.where(evening, 0.6, 1.0)
    )
    weather = cal.weather[di]
    sun = np.select(
        [weather == 0, weather == 1, weather == 2],
        [rng.integers(60, 96, v), rng.integers(30, 71, v), rng.integers(5, 31, v)],
        0,
    )
    sun = np.where(evening, 0, sun)
    temp = (
        cal.temperature[di] + np.where(evening, -0.5, np.where(afternoon, 1.5, -1.5)) + rng.normal(0, 1.0, v)
    )
    return {
        "n": v,
        "garden": gi,
        "day": di,
        "month": month,
        "start_us": cal.midnight_us[di] + start_min.astype(np.int64) * 60_000_000,
        "minutes": minutes.astype(np.int64),
        "protocol": protocol,
        "evening": evening,
        "rainy": rainy,
        "weight": weight,
        "recorder": people["vol_first"][gi] + recorder_rank,
        "recorder_rank": recorder_rank,
        "observers": observers.astype(np.int32),
        "blitz": blitz,
        "weather": weather,
        "sun": sun.astype(np.int32),
        "temp": np.round(temp, 1),
        "wind": np.where(rainy, rng.integers(2, 6, v), rng.integers(0, 4, v)).astype(np.int32),
        "complete": np.where(
            np.isin(protocol, [P_TRANSECT, P_POINT, P_BIOBLITZ]),
            True,
            np.where(protocol == P_CASUAL, False, rng.random(v) < 0.5),
        ),
        "disturbance": np.where(rng.random(v) < 0.08, rng.integers(0, len(DISTURBANCES), v), -1),
    }


def _insert_visits(con, vis: dict, p: dict, people: dict, cal: _Calendar) -> int:
    import numpy as np

    v = vis["n"]
    base = _reserve_ids(con, "seq_visits", v)
    vis["id"] = base + np.arange(v, dtype=np.int64)
    # "王阿姨、李叔叔" from the recorder on; a BioBlitz lists the volunteers and the head count
    texts: dict[tuple[int, int, int], int] = {}
    words: list[str] = []
    codes = np.empty(v, dtype=np.int32)
    keys = zip(vis["garden"].tolist(), vis["recorder_rank"].tolist(), vis["observers"].tolist())
    for k, key in enumerate(keys):
        code = texts.get(key)
        if code is None:
            gi, r, n = key
            nv = int(people["n_vol"][gi])
            first = int(people["vol_first"][gi])
            vols = [people["name"][first + (r + j) % nv] for j in range(min(n, nv))]
            text = "、".join(vols) + (f"等{n}人" if n > nv else "")
            code = texts[key] = len(words)
            words.append(text)
        codes[k] = code
    end_us = vis["start_us"] + vis["minutes"] * 60_000_000
    _insert(
        con,
        "visits",
        {
            "id": vis["id"],
            "garden_id": p["garden_id"][vis["garden"]],
            "started_at": _ts(vis["start_us"]),
            "ended_at": _ts(end_us),
            "observers": _dict(codes, words),
            "observer_count": vis["observers"],
            "protocol": _dict(vis["protocol"], PROTOCOLS),
            "weather": _dict(vis["weather"], WEATHERS),
            "temperature_c": vis["temp"],
            "wind_beaufort": vis["wind"],
            "sun_pct": vis["sun"],
            "disturbance": _dict(
                np.maximum(vis["disturbance"], 0), DISTURBANCES, mask=vis["disturbance"] < 0
            ),
            "complete_checklist": vis["complete"],
            "note": _dict(np.zeros(v), ["年度 BioBlitz 生物快速调查"], mask=~vis["blitz"]),
            "recorded_by": people["base"] + vis["recorder"],
            "created_at": _ts(end_us + 10 * 60_000_000),
        },
    )
    return v


# ---------------------------------------------------------------------------------------------
# Sightings


def _species_tables(p: dict, species: _Species, rng):
    """Cumulative species weights per (garden, month, condition), flattened for one searchsorted."""
    import numpy as np

    g, s = p["n"], species.n
    base = np.where(species.common, 3.0, 0.6) * np.where(species.invasive, 0.15, 1.0)
    base = base * np.where(species.sensitive, 0.05, 1.0) / (1.0 + 0.2 * species.rank_in_group)
    for gi, group in enumerate(GROUPS):
        members = species.group == gi
        if members.any():
            base[members] *= GROUP_SHARE[group] / base[members].sum()
    per_garden = np.broadcast_to(base, (g, s)).copy()
    for theme, factors in THEME_FACTOR.items():
        for group, f in factors.items():
            per_garden[np.ix_(p["theme"] == theme, species.group == GROUPS.index(group))] *= f
    # each garden has its own mix: common taxa vary in abundance, uncommon ones are often absent
    per_garden *= np.exp(rng.normal(0, 0.5, (g, s)))
    absent = (rng.random((g, s)) < np.where(species.common, 0.05, 0.5)) | (
        species.sensitive & (rng.random((g, s)) < 0.7)
    )
    per_garden[absent] = 0.0
    w = (
        per_garden[:, None, None, :]
        * species.season()[None, :, None, :]
        * species.conditions()[None, None, :, :]
    )
    w = w.reshape(g * 48, s)
    totals = w.sum(axis=1, keepdims=True)
    empty = totals[:, 0] == 0
    w[empty] = 1.0  # never happens with the shipped checklist (birds are seen all year)
    cdf = np.cumsum(w, axis=1)
    cdf /= cdf[:, -1:]
    return (cdf + np.arange(g * 48)[:, None]).ravel()


def _zone_choices(p: dict):
    """(gardens, groups, 6) local zone choices per group, and how many there are."""
    import numpy as np

    g = p["n"]
    choice = np.zeros((g, len(GROUPS), 6), dtype=np.int64)
    count = np.zeros((g, len(GROUPS)), dtype=np.int64)
    kinds = p["zone_kind"]
    for i in range(g):
        first, nz = int(p["zone_first"][i]), int(p["n_zones"][i])
        zones = list(range(first, first + nz))
        for gi, group in enumerate(GROUPS):
            ok = [z for z in zones if kinds[z] in GROUP_ZONES.get(group, ())] or zones
            choice[i, gi, : len(ok)] = ok
            count[i, gi] = len(ok)
    return choice, count


def _sightings(con, seed, p, people, vis, species: _Species, cal: _Calendar, timer: _Timer) -> int:
    import numpy as np

    rng0 = np.random.default_rng([seed, 5])
    cdf = _species_tables(p, species, rng0)
    zchoice, zcount = _zone_choices(p)
    target = p["n"] * cal.n / 365.25 * SIGHTINGS_PER_GARDEN_YEAR
    lam = vis["weight"] * (target / vis["weight"].sum())
    n_per_visit = rng0.poisson(lam)
    total = int(n_per_visit.sum())
    sbase = _reserve_ids(con, "seq_sightings", total)

    # chunks of whole gardens (a garden's rows stay together and in time order)
    per_garden = np.bincount(vis["garden"], weights=n_per_visit, minlength=p["n"])
    cum = np.cumsum(per_garden)
    bounds = [0]
    while bounds[-1] < p["n"]:
        start_rows = cum[bounds[-1] - 1] if bounds[-1] else 0
        nxt = int(np.searchsorted(cum, start_rows + CHUNK_SIGHTINGS, side="right"))
        bounds.append(min(p["n"], max(nxt, bounds[-1] + 1)))
    visit_bounds = np.searchsorted(vis["garden"], bounds)
    rows_before = np.concatenate([[0], np.cumsum(n_per_visit)])[visit_bounds]

    def make(c: int):
        v0, v1 = int(visit_bounds[c]), int(visit_bounds[c + 1])
        rng = np.random.default_rng([seed, 5, c])
        table = _sightings_chunk(rng, p, people, vis, species, cal, cdf, zchoice, zcount, n_per_visit, v0, v1)
        return table.append_column("id", _arrow_ids(sbase + int(rows_before[c]), table.num_rows))

    occurrence_id = (
        f"((hash(id, {int(seed)}, 1) & 18446744073709490175 | 16384)::UHUGEINT << 64"
        f" | (hash(id, {int(seed)}, 2) & 4611686018427387903 | 9223372036854775808))::UUID"
    )  # a version-4 UUID that depends only on the seed and the id: same seed, same occurrenceIDs
    done = 0
    for c in range(len(bounds) - 1):
        table = make(c)
        _insert(con, "sightings", table, select={"occurrence_id": occurrence_id, "source": f"'{SOURCE}'"})
        done += table.num_rows
        del table
        timer.tick("sightings", done, total)
    return done


def _arrow_ids(first: int, n: int):
    import numpy as np
    import pyarrow as pa

    return pa.array(np.arange(first, first + n, dtype=np.int64))


def _sightings_chunk(rng, p, people, vis, species, cal, cdf, zchoice, zcount, n_per_visit, v0, v1):
    import numpy as np
    import pyarrow as pa

    counts = n_per_visit[v0:v1]
    n = int(counts.sum())
    vrow = np.repeat(np.arange(v0, v1), counts)
    starts = np.cumsum(counts) - counts
    j = np.arange(n) - np.repeat(starts, counts)  # position within its visit
    g = vis["garden"][vrow]
    month = vis["month"][vrow].astype(np.int64)
    cond = vis["rainy"][vrow].astype(np.int64) + 2 * vis["evening"][vrow].astype(np.int64)

    # species: one searchsorted over every (garden, month, condition) table
    key = (g * 12 + (month - 1)) * 4 + cond
    u = np.minimum(rng.random(n), 1.0 - 1e-9)
    sp = np.searchsorted(cdf, key + u, side="right") - key * species.n
    sp = np.clip(sp, 0, species.n - 1)
    grp = species.group[sp]
    species_id = species.id[sp]
    # about 1 % recorded only as "butterfly (unidentified)" etc., 0.1 % with no taxon at all
    coarse_id = species.coarse_by_group[grp]
    r = rng.random(n)
    coarse = (r < 0.01) & (coarse_id > 0)
    unnamed = (r >= 0.01) & (r < 0.011)
    species_id = np.where(coarse, coarse_id, species_id)

    # zone and point
    zi = zchoice[g, grp, (rng.random(n) * zcount[g, grp]).astype(np.int64)]
    rect = p["zone_rect"][zi]
    kind = p["zone_kind_idx"][zi]
    by_gps = rng.random(n) < 0.75
    ux, uy = rng.random(n), rng.random(n)
    x = np.where(
        by_gps, rect[:, 0] + 0.5 + ux * (rect[:, 2] - rect[:, 0] - 1.0), (rect[:, 0] + rect[:, 2]) / 2
    )
    y = np.where(
        by_gps, rect[:, 1] + 0.5 + uy * (rect[:, 3] - rect[:, 1] - 1.0), (rect[:, 1] + rect[:, 3]) / 2
    )
    lat = np.round(p["lat"][g] + y / p["per_lat"][g], 6)
    lon = np.round(p["lon"][g] + x / p["per_lon"][g], 6)
    half_diag = np.ceil(np.hypot(rect[:, 2] - rect[:, 0], rect[:, 3] - rect[:, 1]) / 2)
    uncertainty = np.where(by_gps, np.asarray([5.0, 8.0, 10.0, 15.0, 20.0])[rng.integers(0, 5, n)], half_diag)

    # time: spread over the visit, in order
    minutes = vis["minutes"][vrow]
    frac = (j + rng.random(n)) / counts[vrow - v0]
    event_us = vis["start_us"][vrow] + (frac * minutes * 60_000_000).astype(np.int64)
    visit_end = vis["start_us"][vrow] + minutes * 60_000_000
    created_us = visit_end + (rng.exponential(40.0, n) * 60_000_000).astype(np.int64) + 60_000_000

    # life stage, sex, behaviour, counts
    G = {name: i for i, name in enumerate(GROUPS)}
    K = {name: i for i, name in enumerate(ZONE_KINDS)}
    adult = np.zeros(n, dtype=np.int8)
    r1, r2 = rng.random(n), rng.random(n)
    is_b = grp == G["butterfly"]
    on_host = kind == K["host_plants"]
    stage = adult.copy()
    stage[is_b & on_host & (r1 < 0.22)] = 1
    stage[is_b & on_host & (r1 >= 0.22) & (r1 < 0.27)] = 3
    stage[is_b & on_host & (r1 >= 0.27) & (r1 < 0.30)] = 2
    stage[(grp == G["moth"]) & (r1 < 0.2)] = 1
    amph = grp == G["amphibian"]
    stage[amph & ((month == 3) | (month == 4)) & (r1 < 0.15)] = 3
    stage[amph & (month >= 4) & (month <= 6) & (r1 >= 0.15) & (r1 < 0.5)] = 1
    stage[(grp == G["bird"]) & (month >= 5) & (month <= 7) & (r1 < 0.12)] = 4
    stage[((grp == G["dragonfly"]) | (grp == G["damselfly"])) & (kind == K["pond"]) & (r1 < 0.1)] = 1
    stage[grp == G["plant"]] = 5
    is_adult = stage == 0

    sexed = is_adult & np.isin(grp, [G["bird"], G["butterfly"], G["dragonfly"]]) & (r2 < 0.15)
    sex = (r2 * 1000).astype(np.int64) % 2

    evening = vis["evening"][vrow]
    beh = np.full(n, -1, dtype=np.int8)
    r3 = rng.random(n)
    beh[(grp == G["insect"]) & is_adult & (r3 < 0.15)] = 5
    beh[(grp == G["dragonfly"]) & is_adult & (r3 < 0.3)] = 6
    beh[(grp == G["reptile"]) & (r3 < 0.3)] = 7
    beh[amph & is_adult & evening & (r3 < 0.5)] = 3
    bird = grp == G["bird"]
    beh[bird & (r3 < 0.25)] = 2
    beh[bird & is_adult & (r3 >= 0.25) & (r3 < 0.35)] = 3
    nesting = bird & is_adult & (month >= 4) & (month <= 6) & (r3 >= 0.35) & (r3 < 0.40)
    beh[nesting] = 4
    beh[
        is_adult
        & np.isin(grp, [G["butterfly"], G["bee"], G["moth"]])
        & (kind == K["nectar_bed"])
        & (r3 < 0.65)
    ] = 0
    beh[is_adult & is_b & on_host & (r3 < 0.12)] = 1

    lam = np.select(
        [bird, stage == 1, grp == G["bee"], is_b],
        [np.full(n, 1.6), np.where(amph, 40.0, 3.0), np.full(n, 2.0), np.full(n, 0.6)],
        0.8,
    )
    count = (1 + rng.poisson(lam)).astype(np.int32)
    count[stage == 3] = 1  # an egg mass or a clutch
    no_count = (grp == G["plant"]) | (rng.random(n) < 0.03)  # present, not counted
    cultivated = (grp == G["plant"]) & (rng.random(n) < 0.5)
    nest = nesting | (species.sensitive[sp] & (rng.random(n) < 0.3))

    # review: older records decided by the town's experts, the last six weeks still waiting
    reviewed = event_us < cal.review_cutoff_us
    diff = species.difficulty[sp].astype(np.float64)
    r4 = rng.random(n)
    t1 = 0.62 - 0.07 * (diff - 1)  # accepted - correct (photo)
    t2 = t1 + 0.28  # accepted - considered correct
    t3 = 0.99 - 0.01 * (diff - 1)  # the rest plausible, a few unable to verify
    status = np.select([r4 < t1, r4 < t2, r4 < t3], [S_CORRECT, S_CONSIDERED, S_PLAUSIBLE], S_UNABLE)
    status = np.where(coarse, np.where(r4 < 0.5, S_PLAUSIBLE, S_UNABLE), status)
    status = np.where(unnamed, S_UNABLE, status)
    status = np.where(reviewed, status, S_NOT_REVIEWED).astype(np.int8)
    town = p["town_of"][g]
    general = people["general"][town]
    expert = np.where(grp == G["plant"], people["plant"][town], people["animal"][town])
    by_general = (
        (general >= 0) & np.isin(grp, [G[x] for x in GENERAL_EXPERTISE.split("|")]) & (rng.random(n) < 0.3)
    )
    expert = np.where(by_general, general, expert) + people["base"]
    lag = (rng.exponential(4.0 * 86_400, n).clip(0, 28 * 86_400) + 3_600) * 1_000_000
    verified_us = np.maximum(created_us, event_us + lag.astype(np.int64))

    verbatim_codes = rng.integers(0, len(VERBATIM), n)
    person_base = people["base"]
    return pa.table(
        {
            "garden_id": p["garden_id"][g],
            "zone_id": p["zone_id"][zi],
            "visit_id": vis["id"][vrow],
            "species_id": pa.array(species_id, mask=unnamed),
            "verbatim_identification": _dict(verbatim_codes, VERBATIM, mask=~unnamed),
            "event_date": _ts(event_us),
            "individual_count": pa.array(count, mask=no_count),
            "life_stage": _dict(stage, LIFE_STAGES),
            "sex": _dict(sex, SEXES, mask=~sexed),
            "behavior": _dict(np.maximum(beh, 0), BEHAVIOURS, mask=beh < 0),
            "degree_of_establishment": _dict(cultivated, ("wild", "cultivated")),
            "nest_or_den": nest,
            "decimal_latitude": lat,
            "decimal_longitude": lon,
            "coordinate_uncertainty_in_meters": uncertainty,
            "location_source": _dict(~by_gps, ("photo_gps", "zone")),
            "recorded_by": person_base + vis["recorder"][vrow],
            "identification_verification_status": _dict(status, STATUSES),
            "verified_by": pa.array(expert, mask=~reviewed),
            "verified_at": _ts(verified_us, mask=~reviewed),
            "version": pa.array(np.where(reviewed, 2, 1).astype(np.int32)),
            "created_at": _ts(created_us),
            "updated_at": _ts(verified_us, mask=~reviewed),
        }
    )


def _identifications(con, n: int) -> int:
    """The recorder's identification for every sighting, in sighting order."""
    if not n:
        return 0
    first_sighting = con.execute("SELECT min(id) FROM sightings").fetchall()[0][0]
    base = _reserve_ids(con, "seq_identifications", n)
    con.execute(
        "INSERT INTO identifications (id, sighting_id, species_id, identified_by, identified_at, by_expert)"
        f" SELECT id + {base - first_sighting}, id, species_id, recorded_by, created_at, FALSE FROM sightings"
    )
    return n


def _verifications(con) -> int:
    """One decision per reviewed sighting (the newest decision is the sighting's status)."""
    first, last, n = con.execute(
        "SELECT min(id), max(id), count(*) FROM sightings WHERE verified_by IS NOT NULL"
    ).fetchall()[0]
    if not n:
        return 0
    # ids follow the sighting ids (with gaps where a sighting waits for review)
    base = _reserve_ids(con, "seq_verifications", last - first + 1)
    con.execute(
        "INSERT INTO verifications (id, sighting_id, status, decided_by, decided_at, machine)"
        f" SELECT id + {base - first}, id, identification_verification_status, verified_by, verified_at, FALSE"
        " FROM sightings WHERE verified_by IS NOT NULL"
    )
    return int(n)


# ---------------------------------------------------------------------------------------------
# Upkeep: task logs and problems


def _upkeep(con, rng, p: dict, people: dict, cal: _Calendar) -> dict[str, int]:
    import numpy as np

    t = p["tasks"]
    nt = len(t["id"])
    # slack per garden: some are well kept, others slip and have overdue tasks now
    slack = rng.uniform(0.3, 2.0, p["n"])[t["garden"]]
    rounds = (cal.n // t["every"] + 2).astype(np.int64)
    idx = np.repeat(np.arange(nt), rounds)
    k = np.arange(len(idx)) - np.repeat(np.cumsum(rounds) - rounds, rounds)
    every = t["every"][idx]
    jitter = rng.normal(0, 1, len(idx)) * slack[idx] * (0.3 + every / 10)
    day = np.round((k + 1) * every + jitter).astype(np.int64)
    keep = (day >= 0) & (day < cal.n) & (rng.random(len(idx)) >= 0.04 * slack[idx])
    water = np.array([x == "water" for x in t["kind"]])[idx]
    keep &= ~(
        water & np.isin(cal.month[np.clip(day, 0, cal.n - 1)], [12, 1, 2]) & (rng.random(len(idx)) < 0.6)
    )
    keep &= ~(water & cal.rainy[np.clip(day, 0, cal.n - 1)])
    idx, day = idx[keep], day[keep]
    g = t["garden"][idx]
    order = np.lexsort((day, g))
    idx, day, g = idx[order], day[order], g[order]
    m = len(idx)
    done_us = cal.midnight_us[day] + rng.integers(7 * 60, 11 * 60, m) * 60_000_000
    vol = people["vol_first"][g] + rng.integers(0, 1 << 30, m) % people["n_vol"][g]
    lbase = _reserve_ids(con, "seq_task_logs", m)
    kinds = sorted(set(t["kind"]))
    kind_code = np.array([kinds.index(x) for x in t["kind"]])
    _insert(
        con,
        "task_logs",
        {
            "id": lbase + np.arange(m, dtype=np.int64),
            "task_def_id": t["id"][idx],
            "garden_id": p["garden_id"][g],
            "zone_id": p["zone_id"][t["zone"][idx]],
            "kind": _dict(kind_code[idx], kinds),
            "done_at": _ts(done_us),
            "done_by": people["base"] + vol,
            "minutes": rng.integers(t["lo"][idx], t["hi"][idx] + 1).astype(np.int32),
            "created_at": _ts(done_us + 30 * 60_000_000),
        },
    )

    # a few problems: about 1.5 per garden a year, older ones resolved by the committee
    per = rng.poisson(1.5 * cal.n / 365.25, p["n"])
    pg = np.repeat(np.arange(p["n"]), per)
    np_ = len(pg)
    kind = rng.integers(0, len(PROBLEMS), np_)
    day = np.sort(rng.integers(0, cal.n, np_))
    order = np.lexsort((day, pg))
    day = day[order]
    zone = np.empty(np_, dtype=np.int64)
    for i in range(np_):
        gi, zk = pg[i], PROBLEMS[kind[i]][1]
        first, nz = int(p["zone_first"][gi]), int(p["n_zones"][gi])
        ok = [z for z in range(first, first + nz) if zk is None or p["zone_kind"][z] == zk]
        zone[i] = ok[int(rng.integers(len(ok)))] if ok else first + int(rng.integers(nz))
    reported_us = cal.midnight_us[day] + rng.integers(8 * 60, 18 * 60, np_) * 60_000_000
    resolved_us = reported_us + rng.integers(1, 21, np_) * 86_400_000_000
    resolved = (resolved_us < cal.end_us - 7 * 86_400_000_000) & (rng.random(np_) < 0.92)
    reporter = people["vol_first"][pg] + rng.integers(0, 1 << 30, np_) % people["n_vol"][pg]
    committee = people["committee"][p["town_of"][pg]] + people["base"]
    pbase = _reserve_ids(con, "seq_problems", np_)
    _insert(
        con,
        "problems",
        {
            "id": pbase + np.arange(np_, dtype=np.int64),
            "garden_id": p["garden_id"][pg],
            "zone_id": p["zone_id"][zone],
            "kind": [PROBLEMS[k][0] for k in kind],
            "description": [PROBLEMS[k][2] for k in kind],
            "reported_by": people["base"] + reporter,
            "reported_at": _ts(reported_us),
            "status": np.where(resolved, "resolved", "open"),
            "resolved_by": _masked(committee, ~resolved),
            "resolved_at": _ts(resolved_us, mask=~resolved),
            "resolution": [PROBLEMS[k][3] if ok else None for k, ok in zip(kind, resolved)],
        },
    )
    return {"task_logs": m, "problems": np_}


def _masked(values, mask):
    import pyarrow as pa

    return pa.array(values, mask=mask)


# ---------------------------------------------------------------------------------------------
# Command line


@click.command("seed-synthetic")
@click.option(
    "--db", "db_path", type=click.Path(path_type=Path), required=True, help="New or empty database file."
)
@click.option(
    "--gardens", type=click.IntRange(1, 20_000), required=True, help="Number of gardens (e.g. 300)."
)
@click.option("--years", type=click.IntRange(1, 30), required=True, help="Years of records (e.g. 5).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same database.")
@click.option(
    "--end-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day with records (default: yesterday, Shanghai time).",
)
@click.option("--force", is_flag=True, help="Delete the database file (and its .wal) first, if it exists.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def seed_synthetic_command(
    db_path: Path, gardens: int, years: int, seed: int, end_date, force: bool, quiet: bool
):
    """Build realistic synthetic data at scale (300 gardens x 5 years: about 10 million sightings)."""
    from habitat.cli import _fail
    from habitat.db import open_database
    from habitat.errors import HabitatError

    started = time.perf_counter()
    if force:
        for f in (db_path, db_path.with_name(db_path.name + ".wal")):
            if f.exists():
                f.unlink()

    def progress(phase: str, done: int, total: int) -> None:
        if quiet:
            return
        if phase == "sightings" and total > 1:
            click.echo(f"  sightings {done:,}/{total:,}", err=True)
        else:
            click.echo(f"  {phase} done ({time.perf_counter() - started:.1f} s)", err=True)

    try:
        con = open_database(db_path)
        try:
            report = seed_synthetic(
                con,
                gardens=gardens,
                years=years,
                seed=seed,
                end_date=end_date.date() if end_date else None,
                progress=progress,
            )
        finally:
            con.close()
    except HabitatError as err:
        _fail(err)
    report = {"db": str(db_path), **report}
    report["seconds"]["with_open_and_close"] = round(time.perf_counter() - started, 3)
    report["file_mb"] = round(db_path.stat().st_size / 1e6, 1)
    click.echo(json.dumps(report, ensure_ascii=False))


COMMANDS = [seed_synthetic_command]
