"""Demo partners, events and a children's plot for the Xinjing demo (called from habitat.demo.build_demo,
after the sightings and reviews are in). Over 500 lines because it is mostly data: the demo's events as
literal rows.

Partners for every garden, experts linked to their organisations, past events of every kind with
attendance (so volunteer hours include event help), upcoming events of every kind with sign-ups, a
past BioBlitz at 中泾 with about forty records in its window linked through event_id, a 24-hour
BioBlitz at 常馨 running now (begun a few hours ago) with its first records, garden meetings (the one held
and the next), and a children's observation plot in every garden with sessions and observations.
Rows are written directly (no acting user in a demo build); bulk sightings go through a DataFrame.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from shapely.geometry import Point

from habitat import geo
from habitat.clock import SHANGHAI
from habitat.db import events as events_db
from habitat.db import gardens as gardens_db
from habitat.db import species as species_db
from habitat.db.util import insert_frame
from habitat.domain import verification as v
from habitat.domain.checks import months_of
from habitat.services.context import Ctx

# name, English name, kind, description, contact (name, phone), gardens (slug -> what they do), experts
PARTNERS = (
    (
        "上海动物园",
        "Shanghai Zoo",
        "zoo",
        "动物鉴定、夜观与科普讲座",
        ("科普部 王老师", "138-0000-0101"),
        {
            "zhongjing": "审核动物记录",
            "changxin": "审核动物记录",
            "xinsen": "审核鸟类记录",
            "leyi": "审核动物记录",
        },
        ("zhanggong",),
    ),
    (
        "上海辰山植物园",
        "Shanghai Chenshan Botanical Garden",
        "botanical_garden",
        "植物鉴定、本土植物配置与除草指导",
        ("科普中心 刘老师", "138-0000-0102"),
        {
            "zhongjing": "审核植物记录",
            "changxin": "指导除草",
            "xinsen": "审核植物记录",
            "leyi": "本土植物配置",
        },
        ("chenlaoshi",),
    ),
    (
        "城市荒野工作室",
        "Wild City Studio",
        "ngo",
        "生境花园设计、生物快查（BioBlitz）和自然课",
        ("项目部 徐博士", "138-0000-0103"),
        {"zhongjing": "生物快查与自然课", "xinsen": "观鸟活动", "leyi": "生物快查"},
        ("xuboshi",),
    ),
    (
        "新泾镇第二小学",
        "Xinjing No. 2 Primary School",
        "school",
        "三年级自然观察课",
        ("自然课 孙老师", "138-0000-0104"),
        {"leyi": "儿童观察田", "zhongjing": "自然课与观察田", "xinsen": "观鸟观察点"},
        (),
    ),
    (
        "金虹苑幼儿园",
        "Jinhongyuan Kindergarten",
        "kindergarten",
        "亲子自然活动",
        ("园长办公室", "138-0000-0105"),
        {"changxin": "亲子自然课"},
        (),
    ),
    (
        "绿手指花店",
        "Green Fingers Florist",
        "business",
        "捐赠本土苗木，协助修剪和浇水",
        ("店长 钱女士", "138-0000-0106"),
        {"xinsen": "捐赠苗木", "changxin": "协助养护"},
        (),
    ),
)

# Which zone kinds each group is recorded in during the BioBlitz.
BLITZ_ZONES = {
    "butterfly": ("nectar_bed", "host_plants"),
    "moth": ("nectar_bed",),
    "dragonfly": ("pond",),
    "damselfly": ("pond",),
    "bee": ("nectar_bed", "insect_hotel"),
    "amphibian": ("pond",),
    "plant": ("host_plants", "nectar_bed", "undisturbed", "pond"),
}
BLITZ_RECORDERS = (("xuboshi", 12), ("wangayi", 10), ("xiaoming", 9), ("zhanggong", 6), ("chenlaoshi", 4))
LIVE_RECORDERS = (("lishushu", 6), ("xuboshi", 5), ("zhaoshifu", 3), ("chenlaoshi", 2))

# One observation plot per garden: (note, value, unit) are what the class wrote at its sessions.
PLOTS = {
    "leyi": {
        "name": "向日葵与马利筋观察田",
        "zone": "E",
        "partner": "新泾镇第二小学",
        "class": "三年级（2）班",
        "host": "sunayi",
        "began": 56,
        "time": (15, 30),
        "children": 24,
        "description": "孩子们种下向日葵和马利筋，每两周来量一量、看一看，记录来访的昆虫。",
        "notes": (
            ("播种向日葵和马利筋种子，浇透水", None, None),
            ("向日葵出苗，苗高 4 厘米", 4.0, "厘米"),
            ("向日葵苗高 12 厘米，发现 3 只蚜虫", 12.0, "厘米"),
            ("马利筋上发现 1 只金斑蝶幼虫", 1.0, "只"),
            ("向日葵苗高 35 厘米，有蜜蜂来访", 35.0, "厘米"),
        ),
    },
    "zhongjing": {
        "name": "蝴蝶寄主植物观察田",
        "zone": "C",
        "partner": "新泾镇第二小学",
        "class": "四年级（1）班",
        "host": "wangayi",
        "began": 63,
        "time": (15, 45),
        "children": 25,
        "description": "在柑橘和马兜铃旁边数一数卵和幼虫，看它们怎样一天天长大。",
        "notes": (
            ("柑橘叶上找到 6 粒凤蝶卵", 6.0, "粒"),
            ("孵出 4 条小幼虫，像鸟粪一样", 4.0, "条"),
            ("最大的幼虫长 3 厘米，变绿了", 3.0, "厘米"),
            ("发现 1 个挂在枝条上的蛹", 1.0, "个"),
            ("马兜铃新叶被吃掉一半，没找到幼虫", None, None),
        ),
    },
    "changxin": {
        "name": "小小种子观察角",
        "zone": "B",
        "partner": "金虹苑幼儿园",
        "class": "大班",
        "host": "lishushu",
        "began": 49,
        "time": (9, 30),
        "children": 26,
        "description": "大班的小朋友种下鸢尾和菖蒲，用小尺子量一量，用图画记下来。",
        "notes": (
            ("种下 10 株鸢尾苗", 10.0, "株"),
            ("鸢尾长出新叶，最高 15 厘米", 15.0, "厘米"),
            ("水边的菖蒲高 40 厘米", 40.0, "厘米"),
            ("看到 2 只蜻蜓停在菖蒲上", 2.0, "只"),
        ),
    },
    "xinsen": {
        "name": "鸟类食源林观察点",
        "zone": "B",
        "partner": "新泾镇第二小学",
        "class": "五年级（3）班",
        "host": "zhaoshifu",
        "began": 70,
        "time": (15, 30),
        "children": 27,
        "description": "每两周来数一数食源树上的鸟和果子，冬天看看谁来吃女贞和乌桕的果子。",
        "notes": (
            ("女贞果子开始变紫", None, None),
            ("数到 9 只白头鹎在吃女贞果", 9.0, "只"),
            ("乌桕果壳裂开，露出白色的种子", None, None),
            ("3 只灰椋鸟和 2 只乌鸫来吃果子", 5.0, "只"),
            ("喂鸟器一周吃掉 1.5 千克谷子", 1.5, "千克"),
        ),
    },
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def _saturday_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 5) % 7)


def _live_window(now: datetime) -> datetime:
    """Start of a 24-hour BioBlitz running at ``now``: on a six-hour mark (0, 6, 12 or 18 o'clock) two to
    eight hours ago, so it has its first records and runs on for at least sixteen hours."""
    start = (now - timedelta(hours=2)).astimezone(SHANGHAI)
    return start.replace(hour=start.hour - start.hour % 6, minute=0, second=0, microsecond=0)


def build_events_demo(
    ctx: Ctx, garden_ids: dict[str, int], people_ids: dict[str, int], today: date, now: datetime | None = None
) -> dict[str, int]:
    con = ctx.con
    if now is None:
        now = ctx.now() if ctx.now().date() == today else datetime.combine(today, time(12), SHANGHAI)
    rng = np.random.default_rng(2027)
    created = _at(today - timedelta(days=60), 9)
    partner_ids = _partners(con, garden_ids, people_ids, created)
    committee = people_ids["liuzhuren"]
    P, G = people_ids, garden_ids

    def zone(slug: str, code: str) -> int:
        zones = gardens_db.zones(con, G[slug])
        return int(zones.loc[zones["code"] == code, "id"].iloc[0])

    def event(
        slug,
        kind,
        title,
        start,
        hours,
        host,
        partner,
        *,
        zone_code=None,
        capacity=None,
        audience=None,
        place=None,
        description=None,
        series_id=None,
    ) -> int:
        return events_db.insert_event(
            con,
            {
                "garden_id": G[slug],
                "zone_id": zone(slug, zone_code) if zone_code else None,
                "kind": kind,
                "title": title,
                "starts_at": start,
                "ends_at": start + timedelta(hours=hours),
                "place": place,
                "host_id": P[host],
                "partner_id": partner_ids.get(partner),
                "capacity": capacity,
                "audience": audience,
                "description": description,
                "series_id": series_id,
                "created_by": committee,
                "created_at": start - timedelta(days=14),
            },
        )

    blitz_day = _saturday_before(today - timedelta(days=14))
    blitz = event(
        "zhongjing",
        "bioblitz",
        "中泾生境花园生物快查",
        _at(blitz_day, 9),
        6,
        "xuboshi",
        "城市荒野工作室",
        capacity=60,
        audience="children|families",
        place="花园入口（新泾港步道）",
        description="六个小时里，和专家一起找出花园里所有的物种：蝴蝶、蜻蜓、青蛙、野花……",
    )
    past = [
        (
            blitz,
            {"wangayi": 360, "xiaoming": 300, "zhanggong": 240, "xuboshi": 360, "liuzhuren": 120},
            ["张阿婆", "陈先生"],
            16,
            11,
            {"wangayi": True, "xiaoming": True, "zhanggong": True},
            14,
            10,
        ),
        (
            event(
                "leyi",
                "nature_class",
                "家门口的自然课：认识蝴蝶的寄主植物",
                _at(today - timedelta(days=35), 9, 30),
                1.5,
                "chenlaoshi",
                "上海辰山植物园",
                zone_code="C",
                capacity=20,
                audience="children|families",
                description="马兜铃、酢浆草、柑橘——认一认蝴蝶妈妈把卵产在哪里。",
            ),
            {"sunayi": 90, "chenlaoshi": 90},
            [],
            7,
            11,
            {"sunayi": True},
            8,
            12,
        ),
        (
            event(
                "changxin",
                "cleanup",
                "陆家浜河边清洁日",
                _at(today - timedelta(days=10), 8, 30),
                1.5,
                "lishushu",
                "绿手指花店",
                zone_code="A",
                audience="families",
            ),
            {"lishushu": 90, "zhaoshifu": 60},
            ["钱女士"],
            5,
            0,
            {"lishushu": True, "zhaoshifu": True},
            5,
            0,
        ),
        (
            event(
                "xinsen",
                "planting",
                "秋播本土野花种植日",
                _at(today - timedelta(days=45), 9),
                2,
                "zhaoshifu",
                "绿手指花店",
                zone_code="B",
                audience="families|elders",
            ),
            {"zhaoshifu": 120, "sunayi": 60},
            [],
            6,
            3,
            {"sunayi": True},
            6,
            3,
        ),
        (
            event(
                "zhongjing",
                "meeting",
                "中泾花园议事会",
                _at(today - timedelta(days=20), 14),
                1.5,
                "liuzhuren",
                None,
                place="中泾花园自然角",
                audience="elders|families",
                description="鸟浴盆、长椅、花境施肥和秘境区围栏：居民、物业和志愿者一起商量。",
            ),
            {"liuzhuren": 90, "wangayi": 90, "xiaoming": 90, "xuboshi": 90},
            ["张大爷", "李阿姨", "陈经理", "业委会王主任", "城市荒野工作室 小林"],
            3,
            0,
            {"wangayi": True},
            6,
            0,
        ),
    ]
    upcoming = [
        (
            event(
                "zhongjing",
                "nature_class",
                "家门口的自然课：数一数蜜源花境里的蝴蝶",
                _at(today + timedelta(days=5), 9, 30),
                1.5,
                "wangayi",
                "上海动物园",
                zone_code="B",
                capacity=25,
                audience="children|families",
                place="蜜源花境旁的步道",
            ),
            {"xiaoming": True},
            4,
            6,
        ),
        (
            event(
                "xinsen",
                "nature_class",
                "清晨观鸟",
                _at(today + timedelta(days=12), 7, 0),
                1.5,
                "xuboshi",
                "城市荒野工作室",
                capacity=15,
                audience="elders|families",
                place="小池塘边",
            ),
            {"zhaoshifu": False},
            5,
            0,
        ),
        (
            event(
                "changxin",
                "cleanup",
                "池塘落叶清理（幼儿园大班一起来）",
                _at(today + timedelta(days=3), 9),
                1,
                "lishushu",
                "金虹苑幼儿园",
                zone_code="A",
                capacity=30,
                audience="children",
            ),
            {"lishushu": True},
            3,
            8,
        ),
        (
            event(
                "leyi",
                "bioblitz",
                "乐颐生境花园生物快查",
                _at(_saturday_before(today + timedelta(days=30)), 10),
                5,
                "zhoujie",
                "城市荒野工作室",
                capacity=50,
                audience="children|families",
            ),
            {"sunayi": True},
            0,
            0,
        ),
        (
            event(
                "xinsen",
                "planting",
                "冬季本土灌木补种",
                _at(today + timedelta(days=18), 9),
                2,
                "zhaoshifu",
                "绿手指花店",
                zone_code="B",
                capacity=20,
                audience="families|elders",
                place="鸟类食源林",
                description="补种南天竹和枸骨，冬天给鸟儿留下果子。",
            ),
            {"zhaoshifu": True, "sunayi": True},
            5,
            2,
        ),
        (
            event(
                "zhongjing",
                "meeting",
                "中泾花园议事会：回顾落实情况",
                _at(today + timedelta(days=40), 14),
                1.5,
                "liuzhuren",
                None,
                place="中泾花园自然角",
                description="看看鸟浴盆、长椅和围栏的落实情况，再听听新的金点子。",
            ),
            {"liuzhuren": True, "wangayi": False},
            4,
            0,
        ),
        (
            event(
                "leyi",
                "meeting",
                "乐颐花园议事会：自然教室的小板凳",
                _at(today + timedelta(days=9), 15),
                1,
                "zhoujie",
                None,
                place="乐颐自然教室",
                audience="families",
            ),
            {"sunayi": False},
            6,
            0,
        ),
    ]
    signups, attendance, observations = [], [], []
    for eid, came, guests, adults, children, signed, s_adults, s_children in past:
        signups += _signups(eid, signed, s_adults, s_children, P, committee, created)
        attendance += _attendance(eid, came, guests, adults, children, P, committee, created)
    for eid, signed, s_adults, s_children in upcoming:
        signups += _signups(
            eid, signed, s_adults, s_children, P, committee, _at(today - timedelta(days=2), 10)
        )

    live_start = _live_window(now)
    live = event(
        "changxin",
        "bioblitz",
        "常馨生境花园24小时生物快查",
        live_start,
        24,
        "lishushu",
        "城市荒野工作室",
        capacity=80,
        audience="children|families",
        place="金虹苑西南角花园入口",
        description="连续二十四小时：白天找蝴蝶和鸟，晚上打着手电找青蛙和飞蛾。",
    )
    signups += _signups(
        live,
        {"lishushu": True, "xuboshi": True, "zhaoshifu": False},
        12,
        15,
        P,
        committee,
        live_start - timedelta(days=6),
    )

    for slug, spec in PLOTS.items():
        _, plot_signups, plot_attendance, plot_observations = _plot(
            con, G, P, partner_ids, slug, zone(slug, spec["zone"]), spec, now, committee
        )
        signups += plot_signups
        attendance += plot_attendance
        observations += plot_observations
    insert_frame(con, "event_signups", pd.DataFrame(signups))
    insert_frame(
        con, "event_attendance", pd.DataFrame(attendance).astype({"person_id": "Int64", "minutes": "Int64"})
    )
    insert_frame(con, "plot_observations", pd.DataFrame(observations))
    n_blitz = _blitz_sightings(con, blitz, G["zhongjing"], _at(blitz_day, 9), P, rng)
    n_live = _blitz_sightings(
        con,
        live,
        G["changxin"],
        live_start,
        P,
        rng,
        recorders=LIVE_RECORDERS,
        until=now - timedelta(minutes=3),
        decided=False,
    )
    return {
        "partners": len(partner_ids),
        "events": int(con.execute("SELECT count(*) FROM events").fetchall()[0][0]),
        "bioblitz_sightings": n_blitz,
        "live_bioblitz_sightings": n_live,
        "plots": len(PLOTS),
    }


def _partners(con, garden_ids, people_ids, created) -> dict[str, int]:
    ids = {}
    for name, name_en, kind, description, (contact, phone), gardens, experts in PARTNERS:
        pid = events_db.insert_partner(
            con,
            {
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "description": description,
                "contact_name": contact,
                "contact_phone": phone,
                "created_at": created,
            },
        )
        ids[name] = pid
        for slug, role in gardens.items():
            events_db.insert_pairing(
                con,
                {
                    "garden_id": garden_ids[slug],
                    "partner_id": pid,
                    "role": role,
                    "since": date(2021, 3, 1),
                    "created_at": created,
                },
            )
        for username in experts:
            events_db.set_person_partner(con, people_ids[username], pid)
    return ids


def _signups(eid, people: dict[str, bool], adults: int, children: int, P, by, at) -> list[dict]:
    rows = [
        {
            "event_id": eid,
            "person_id": P[u],
            "name": None,
            "head_count": 1,
            "is_child": False,
            "helper": helper,
            "signed_up_by": P[u],
            "signed_up_at": at,
        }
        for u, helper in people.items()
    ]
    for count, is_child in ((adults, False), (children, True)):
        if count:
            rows.append(
                {
                    "event_id": eid,
                    "person_id": None,
                    "name": None,
                    "head_count": count,
                    "is_child": is_child,
                    "helper": False,
                    "signed_up_by": by,
                    "signed_up_at": at,
                }
            )
    return rows


def _attendance(eid, came: dict[str, int], guests, adults, children, P, by, at) -> list[dict]:
    rows = [
        {
            "event_id": eid,
            "person_id": P[u],
            "name": None,
            "head_count": 1,
            "is_child": False,
            "minutes": m,
            "recorded_by": by,
            "recorded_at": at,
        }
        for u, m in came.items()
    ]
    rows += [
        {
            "event_id": eid,
            "person_id": None,
            "name": g,
            "head_count": 1,
            "is_child": False,
            "minutes": None,
            "recorded_by": by,
            "recorded_at": at,
        }
        for g in guests
    ]
    for count, is_child in ((adults, False), (children, True)):
        if count:
            rows.append(
                {
                    "event_id": eid,
                    "person_id": None,
                    "name": None,
                    "head_count": count,
                    "is_child": is_child,
                    "minutes": None,
                    "recorded_by": by,
                    "recorded_at": at,
                }
            )
    return rows


def _plot(con, G, P, partner_ids, slug, zone_id, spec, now, committee):
    """A class's observation plot: a session every two weeks over sixteen weeks, about half of them held
    (a session is recorded once it has ended)."""
    today = now.astimezone(SHANGHAI).date()
    start, end = (
        today - timedelta(days=spec["began"]),
        today - timedelta(days=spec["began"]) + timedelta(days=112),
    )
    partner, host = partner_ids[spec["partner"]], P[spec["host"]]
    plot_id = events_db.insert_plot(
        con,
        {
            "garden_id": G[slug],
            "zone_id": zone_id,
            "name": spec["name"],
            "partner_id": partner,
            "class_name": spec["class"],
            "host_id": host,
            "season_start": start,
            "season_end": end,
            "description": spec["description"],
            "created_by": committee,
            "created_at": _at(start - timedelta(days=7), 10),
        },
    )
    signups, attendance, observations = [], [], []
    for n, day in enumerate(start + timedelta(days=d) for d in range(0, 113, 14)):
        begins = _at(day, *spec["time"])
        eid = events_db.insert_event(
            con,
            {
                "garden_id": G[slug],
                "zone_id": zone_id,
                "kind": "plot_session",
                "title": spec["name"],
                "starts_at": begins,
                "ends_at": begins + timedelta(hours=1),
                "host_id": host,
                "partner_id": partner,
                "audience": "children",
                "series_id": plot_id,
                "created_by": committee,
                "created_at": _at(start - timedelta(days=7), 10),
            },
        )
        signups += _signups(
            eid,
            {spec["host"]: True},
            1,
            spec["children"] + 2,
            P,
            committee,
            _at(start - timedelta(days=7), 10),
        )
        if begins + timedelta(hours=1) <= now:
            attendance += _attendance(
                eid,
                {spec["host"]: 60},
                [],
                1,
                spec["children"] + n % 3,
                P,
                committee,
                begins + timedelta(hours=1),
            )
            note, value, unit = spec["notes"][n % len(spec["notes"])]
            observations.append(
                {
                    "plot_id": plot_id,
                    "event_id": eid,
                    "observed_at": begins + timedelta(minutes=40),
                    "observation": note,
                    "value": value,
                    "unit": unit,
                    "recorded_by": host,
                    "created_at": begins + timedelta(minutes=45),
                }
            )
    return plot_id, signups, attendance, observations


def _blitz_sightings(
    con, event_id, garden_id, starts, P, rng, *, recorders=None, until=None, decided=True
) -> int:
    """Records spread over the BioBlitz window (up to ``until``), linked to the event; the past one has
    about forty by five recorders, reviewed the next day; the running one is still waiting for review."""
    species = species_db.frame(con)
    month = starts.month
    species = species[
        (species["taxon_rank"] == "species")
        & ~species["sensitive"]
        & ~species["invasive"]
        & species["usual_months"].map(lambda s: month in months_of(s))
    ]
    zones = gardens_db.zones(con, garden_id)
    shapes = {int(z.id): (z.kind, geo.from_geojson(z.geometry)) for z in zones.itertuples()}
    rows = []
    minutes = 6 * 60 if until is None else max(int((until - starts).total_seconds() // 60), 12)
    for username, n in recorders or BLITZ_RECORDERS:
        pool = (
            species[species["group_name"] == "plant"]
            if username == "chenlaoshi"
            else species[species["group_name"] != "plant"]
        )
        weights = np.where(pool["garden_common"], 3.0, 1.0)
        picks = rng.choice(len(pool), size=min(n, len(pool)), replace=False, p=weights / weights.sum())
        for k in picks:
            sp = pool.iloc[int(k)]
            kinds = BLITZ_ZONES.get(sp["group_name"])
            choices = [zid for zid, (kind, _) in shapes.items() if not kinds or kind in kinds] or list(shapes)
            zid = choices[int(rng.integers(len(choices)))]
            lat, lon = _point_in(shapes[zid][1], rng)
            at = starts + timedelta(minutes=int(rng.integers(5, minutes - 5)))
            plant = sp["group_name"] == "plant"
            rows.append(
                {
                    "garden_id": garden_id,
                    "zone_id": zid,
                    "species_id": int(sp["id"]),
                    "event_date": at,
                    "individual_count": None if plant else int(1 + rng.poisson(1.2)),
                    "life_stage": "unknown" if plant else "adult",
                    "degree_of_establishment": "wild",
                    "decimal_latitude": lat,
                    "decimal_longitude": lon,
                    "coordinate_uncertainty_in_meters": 10.0,
                    "location_source": "photo_gps",
                    "recorded_by": P[username],
                    "source": "demo",
                    "created_at": at + timedelta(minutes=2),
                    "event_id": event_id,
                }
            )
    frame = pd.DataFrame(rows)
    frame["individual_count"] = frame["individual_count"].astype("Int64")
    insert_frame(con, "sightings", frame)
    _blitz_identifications(con, event_id, P, starts + timedelta(days=1), decided=decided)
    return len(frame)


def _point_in(polygon, rng) -> tuple[float, float]:
    x0, y0, x1, y1 = polygon.bounds
    for _ in range(50):
        lon, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if polygon.covers(Point(lon, lat)):
            return float(lat), float(lon)
    centre = polygon.centroid
    return float(centre.y), float(centre.x)


def _blitz_identifications(con, event_id, P, decided_at, *, decided: bool = True) -> None:
    """The recorder's identification for each record; the experts accepted their groups' records the next day."""
    experts = [P["zhanggong"], P["chenlaoshi"], P["xuboshi"]]
    con.execute(
        "INSERT INTO identifications (sighting_id, species_id, identified_by, identified_at, by_expert)"
        " SELECT id, species_id, recorded_by, created_at, list_contains(?, recorded_by) FROM sightings WHERE event_id = ?",
        [experts, event_id],
    )
    if not decided:
        return
    con.execute(
        """UPDATE sightings s SET identification_verification_status = ?,
                  verified_by = CASE WHEN sp.group_name = 'plant' THEN ? ELSE ? END, verified_at = ?
           FROM species sp WHERE sp.id = s.species_id AND s.event_id = ? AND hash(s.id) % 3 <> 0""",
        [v.ACCEPTED_CORRECT, P["chenlaoshi"], P["zhanggong"], decided_at, event_id],
    )
    con.execute(
        "INSERT INTO verifications (sighting_id, status, decided_by, decided_at, machine)"
        " SELECT id, identification_verification_status, verified_by, verified_at, FALSE FROM sightings"
        " WHERE event_id = ? AND verified_by IS NOT NULL",
        [event_id],
    )
