"""Demo part for ideas, garden meetings and the five principles (called from habitat.demo.build_demo).

Everything goes through the services, acting as the demo accounts at past times, so the rows,
audit entries and derived statuses are exactly what the app itself would write.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

from habitat.clock import SHANGHAI, fixed_clock
from habitat.db import civic as civic_db
from habitat.db import gardens as gardens_db
from habitat.db import people as people_db
from habitat.demo.photos import DemoPhoto, encode
from habitat.domain import principles as rules
from habitat.services import ideas, meetings, principles, upkeep
from habitat.services.context import Ctx
from habitat.services.photo_store import Upload

# slug, zone kind, author, on behalf of, kind, title, body, supporters, status
IDEAS = (
    (
        "zhongjing",
        "pond",
        "wangayi",
        None,
        "idea",
        "在雨水塘边放一个鸟浴盆",
        "夏天很多麻雀和白头鹎来水塘边找水喝，塘边太陡，放一个浅口的鸟浴盆会更安全。",
        ("xiaoming", "liuzhuren", "lishushu", "xuboshi"),
        "meeting",
    ),
    (
        "zhongjing",
        "insect_hotel",
        "liuzhuren",
        "3号楼张大爷",
        "need",
        "步道旁加一张长椅，方便老人坐着看蝴蝶",
        "走访时张大爷说，腿脚不好，想在花园里坐一会儿看看蝴蝶。",
        ("wangayi", "xiaoming", "sunayi"),
        "meeting",
    ),
    (
        "zhongjing",
        "undisturbed",
        "xiaoming",
        None,
        "idea",
        "秘境区挂一块“请勿进入”的科普牌",
        "小朋友总想钻进秘境区，用图画说明这里是小动物的家。",
        ("wangayi", "zhaoshifu"),
        "open",
    ),
    (
        "changxin",
        "woodland",
        "lishushu",
        None,
        "need",
        "西侧围栏加高，防止遛狗进入",
        None,
        ("liuzhuren",),
        "open",
    ),
    (
        "leyi",
        "lawn",
        "sunayi",
        None,
        "idea",
        "自然教室添几个小板凳给孩子们上课",
        "每月自然课有二十多个孩子，现在只能站着听。",
        ("zhoujie", "wangayi", "xiaoming"),
        "open",
    ),
    (
        "xinsen",
        "lawn",
        "zhaoshifu",
        None,
        "idea",
        "把一半草坪改成野花草甸",
        "草坪每月要修剪，改成野花草甸可以给蜜蜂和蝴蝶提供蜜源。",
        ("chenlaoshi",),
        "declined",
    ),
)
DECLINE_REASON = "物业要求这片草坪保留为消防登高场地，改为在花境边缘补种蜜源植物。"


def _acting(ctx: Ctx, people_ids: dict[str, int], username: str, when: datetime) -> Ctx:
    """The demo account at a past moment; keeps the caller's transaction (nested calls join it)."""
    return dataclasses.replace(
        ctx, user=people_db.by_id(ctx.con, people_ids[username]), clock=fixed_clock(when)
    )


# what the photo of an idea shows (drawn; the caption is the label): by idea title
IDEA_PHOTOS = {
    "在雨水塘边放一个鸟浴盆": "pond edge, too steep for birds",
    "西侧围栏加高，防止遛狗进入": "west fence, low and broken",
    "自然教室添几个小板凳给孩子们上课": "outdoor classroom",
    "把一半草坪改成野花草甸": "lawn mown every month",
}


def _photo(label: str, seed: int, when: datetime, name: str) -> list[Upload]:
    """A drawn photo of the place (see habitat.demo.photos), as a phone would upload it."""
    photo = DemoPhoto(group="scene", label=label, seed=seed, taken=when - timedelta(minutes=5), name=name)
    return [Upload(photo.file_name, encode(photo))]


def build_civic_demo(
    ctx: Ctx, garden_ids: dict[str, int], people_ids: dict[str, int], today: date
) -> dict[str, int]:
    """Ideas with support (four with a photo); one past meeting in 中泾 whose decisions became two tasks
    (one done, with a photo; one due in a few days) and a problem report now overdue; a fertiliser and a pesticide log with
    product and amount; two seasons of five-principles assessments for every garden.

    No follow-up task is overdue: a done one-off task leaves the due list for good, and tests take
    the most overdue task as a recurring one."""
    civic_db.fill_plant_layers(ctx.con)

    def at(days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour), SHANGHAI)

    def zone(slug: str, kind: str) -> int:
        zones = gardens_db.zones(ctx.con, garden_ids[slug])
        return int(zones.loc[zones["kind"] == kind, "id"].iloc[0])

    idea_ids, supports = [], 0
    for n, (slug, zkind, author, behalf, kind, title, body, fans, status) in enumerate(IDEAS):
        created = at(45 - 4 * n, 9 + n)
        uploads = (
            _photo(IDEA_PHOTOS[title], 700_000 + n, created, f"idea_{n + 1}.jpg")
            if title in IDEA_PHOTOS
            else []
        )
        idea_id = ideas.propose_idea(
            _acting(ctx, people_ids, author, created),
            garden_ids[slug],
            zone(slug, zkind),
            title,
            body,
            kind=kind,
            on_behalf_of=behalf,
            uploads=uploads,
        )
        idea_ids.append(idea_id)
        for k, fan in enumerate(fans):
            ideas.support_idea(_acting(ctx, people_ids, fan, created + timedelta(hours=5 + 7 * k)), idea_id)
            supports += 1
        committee = "zhoujie" if slug == "leyi" else "liuzhuren"
        if status == "meeting":
            ideas.put_on_agenda(_acting(ctx, people_ids, committee, at(25)), idea_id)
        elif status == "declined":
            ideas.set_status(_acting(ctx, people_ids, committee, at(12)), idea_id, "declined", DECLINE_REASON)

    meeting_day = 20
    chair = _acting(ctx, people_ids, "liuzhuren", at(meeting_day, 16))
    bath, bench = idea_ids[0], idea_ids[1]
    P = meetings.Participant
    meetings.hold_meeting(
        chair,
        garden_ids["zhongjing"],
        held_at=at(meeting_day, 14),
        place="中泾花园自然角",
        chair_id=people_ids["liuzhuren"],
        participants=[
            P("刘主任", "committee", people_ids["liuzhuren"]),
            P("王阿姨", "volunteer", people_ids["wangayi"]),
            P("小明（学生志愿者）", "volunteer", people_ids["xiaoming"]),
            P("徐博士（保护组织）", "expert", people_ids["xuboshi"]),
            P("张大爷", "resident"),
            P("李阿姨", "resident"),
            P("陈经理", "property_manager"),
            P("业委会王主任", "owners_committee"),
            P("城市荒野工作室 小林", "partner"),
        ],
        items=[
            meetings.Item(
                "在雨水塘边放一个鸟浴盆",
                "徐博士建议水深不超过5厘米，放在离灌丛两米外，防止猫埋伏。",
                "在雨水塘东侧放一个浅口鸟浴盆，每周换水。",
                idea_id=bath,
                followups=(
                    meetings.FollowUp(
                        "task",
                        "放置鸟浴盆并加水",
                        people_ids["wangayi"],
                        today - timedelta(days=meeting_day - 7),
                        zone("zhongjing", "pond"),
                    ),
                ),
            ),
            meetings.Item(
                "步道旁加一张长椅，方便老人坐着看蝴蝶",
                "物业同意出资，位置选在昆虫旅馆对面，不占用秘境区。",
                "物业在步道旁安装一张木长椅。",
                idea_id=bench,
                followups=(
                    meetings.FollowUp(
                        "task",
                        "安装木长椅",
                        people_ids["liuzhuren"],
                        today + timedelta(days=5),
                        zone("zhongjing", "insect_hotel"),
                    ),
                ),
            ),
            meetings.Item(
                "花境施肥",
                "物业绿化工想给蜜源花境施复合肥。",
                "只用腐熟有机肥，每季最多一次，不用化肥和农药。",
            ),
            meetings.Item(
                "秘境区围栏",
                "台风后秘境区西侧的竹篱笆倒了一段。",
                "请物业两周内修好竹篱笆。",
                followups=(
                    meetings.FollowUp(
                        "problem",
                        "秘境区西侧竹篱笆倒了一段，请物业修复",
                        people_ids["liuzhuren"],
                        today - timedelta(days=meeting_day - 14),
                        zone("zhongjing", "undisturbed"),
                        problem_kind="fence",
                    ),
                ),
            ),
        ],
        notes="下次议事会约在两个月后，届时回顾落实情况。",
    )
    bath_task = civic_db.followups(ctx.con, garden_id=garden_ids["zhongjing"])
    bath_task = int(bath_task.loc[bath_task["title"] == "放置鸟浴盆并加水", "task_def_id"].iloc[0])
    upkeep.log_task(
        _acting(ctx, people_ids, "wangayi", at(meeting_day - 5, 9)),
        bath_task,
        minutes=30,
        note="鸟浴盆已放好，加了清水和几块小石头。",
        uploads=_photo("bird bath in place", 700_100, at(meeting_day - 5, 9), "bird_bath.jpg"),
    )

    season = rules.season_of(today)
    season_start = rules.season_bounds(season)[0]
    since_start = (today - season_start).days
    principles.record_application(
        _acting(ctx, people_ids, "sunayi", at(min(10, since_start), 9)),
        garden_ids["leyi"],
        zone("leyi", "nectar_bed"),
        "fertiliser",
        "腐熟羊粪有机肥",
        "5 公斤",
        note="物业绿化工施用，已提醒只用有机肥。",
    )
    previous = rules.previous_season(season)
    principles.record_application(
        _acting(ctx, people_ids, "zhaoshifu", at(since_start + 30, 8)),
        garden_ids["xinsen"],
        zone("xinsen", "woodland"),
        "pesticide",
        "苏云金杆菌（Bt）可湿性粉剂",
        "1 包，兑水 15 升",
        note="物业防治香樟上的樟巢螟。",
    )

    assessed = 0
    for slug, garden_id in garden_ids.items():
        committee = "zhoujie" if slug == "leyi" else "liuzhuren"
        carried: dict[int, int] = {}  # a season too young for suggestions keeps the last season's scores
        for which, when in (
            (previous, at(max(0, since_start - 3), 15)),
            (season, max(at(1, 17), datetime.combine(season_start, time(8), SHANGHAI))),
        ):
            actor = _acting(ctx, people_ids, committee, when)
            suggested = rules.suggested_scores(principles.evidence(actor, garden_id, which))
            scores = {p: (s if s is not None else carried.get(p, 2)) for p, s in suggested.items()}
            notes = {}
            if which == previous and scores[5] > 0:
                scores[5] -= 1
                notes[5] = "喂鸟器和鸟浴盆需要维修，下季度改进。"
            if scores[3] < 5:
                notes[3] = "计划补种马兜铃等藤本植物和林下地被。"
            assessed += len(principles.save_assessment(actor, garden_id, which, scores, notes))
            carried = dict(scores)
    return {
        "ideas": len(idea_ids),
        "idea_support": supports,
        "meetings": 1,
        "followups": 3,
        "assessments": assessed,
    }
