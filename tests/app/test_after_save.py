"""AppTest: every save answers where she looks (issue 14 item 4). After a save on the upkeep, patrol
and ask pages: a toast (seen wherever the page is scrolled), the message right under the title,
"再记一条" (the form is already fresh) and, while a patrol runs, the link "回到巡护". A refused save keeps
what was typed and offers nothing."""

from __future__ import annotations

from tests.app.helpers import click, rows


def top_of_page(at, n: int = 3) -> list[str]:
    """The kinds of the first ``n`` elements of the page body, in order (the title is first)."""
    kinds = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if len(kinds) >= n:
                return
            if getattr(child, "children", None):  # a container: what it holds, in order
                walk(child)
            else:
                kinds.append(child.type)

    walk(at.main)
    return kinds


def saved_banner(at) -> list[str]:
    return [s.value for s in at.success]


def test_saving_upkeep_answers_at_the_top_with_a_toast_and_record_another_gives_a_fresh_form(app_as, app_env):
    at = app_as("wangayi", "pages/upkeep.py")
    at.text_area(key="upkeep0_note").input("落叶清理干净").run()
    click(at, "保存养护记录")
    assert top_of_page(at, 2) == ["title", "success"]  # right under the title
    assert at.success[0].value.startswith("已记录："), saved_banner(at)
    assert [t.value for t in at.toast] == [at.success[0].value]
    assert [b.label for b in at.button if b.key == "saved_again"] == ["再记一条"]
    assert at.text_area(key="upkeep1_note").value == ""  # the form is fresh already
    click(at, "再记一条")
    assert not any("已记录" in s for s in saved_banner(at)) and not at.toast
    assert not any(b.key == "saved_again" for b in at.button)


def test_saving_during_a_patrol_offers_back_to_the_patrol(app_as, app_env):
    at = app_as("wangayi", "pages/patrol.py")
    click(at, "开始巡护")
    assert top_of_page(at, 2) == ["title", "success"] and any("巡护已开始" in s for s in saved_banner(at))
    assert not any(b.key == "saved_again" for b in at.button)  # the running patrol is what comes next
    at.switch_page("pages/ask.py").run()
    at.text_area(key="ask_q0_body").input("这株开紫花的要拔吗？").run()
    click(at, "发给专家")
    assert any("问题已发给专家" in s for s in saved_banner(at))
    assert top_of_page(at, 2) == ["title", "success"]
    assert any(b.key == "saved_again" for b in at.button)
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["回到巡护"]
    assert links[0].proto.page.endswith("patrol")


def test_ending_a_patrol_answers_at_the_top_and_offers_another(app_as, app_env):
    at = app_as("wangayi", "pages/patrol.py")
    click(at, "开始巡护")
    click(at, "结束巡护")
    assert top_of_page(at, 2) == ["title", "success"] and any("巡护结束" in s for s in saved_banner(at))
    assert [b.label for b in at.button if b.key == "saved_again"] == ["再记一条"]
    assert not any(link.proto.label == "回到巡护" for link in at.get("page_link"))  # it has ended


def test_a_refused_question_keeps_what_was_typed_and_offers_nothing(app_as, app_env):
    at = app_as("wangayi", "pages/ask.py")
    before = rows(app_env, "SELECT count(*) FROM questions")
    zone = at.selectbox(key="ask_q0_zone")
    choice = zone.options[1]
    zone.select(choice).run()
    click(at, "发给专家")  # no question written
    assert any("请" in e.value for e in at.error) and "saved_again" not in {b.key for b in at.button}
    assert not at.toast
    assert at.selectbox(key="ask_q0_zone").value is not None
    assert rows(app_env, "SELECT count(*) FROM questions") == before
