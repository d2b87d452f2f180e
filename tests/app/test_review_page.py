"""AppTest: an expert decides with one click, filters the queue and bulk-accepts a selection."""

from tests.app.helpers import rows, select_review_rows


def first_record_id(at):
    import re

    heading = next(m.value for m in at.markdown if m.value.startswith("### #"))
    return int(re.match(r"### #(\d+)", heading).group(1))


def test_one_click_accepts_the_oldest_record_and_moves_on(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    record = first_record_id(at)
    [b for b in at.button if b.label == "已确认（有照片或标本）"][0].click().run()
    assert not at.exception
    assert rows(
        app_env, "SELECT identification_verification_status FROM sightings WHERE id = ?", [record]
    ) == [("Accepted – correct",)]
    assert first_record_id(at) != record


def test_filters_narrow_the_queue_to_one_species_from_one_garden(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    before = int([c.value for c in at.caption if c.value.startswith("队列中")][0].split(" ")[1])
    gid = rows(app_env, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    at.selectbox(key="review_garden").set_value(gid).run()
    at.text_input(key="review_filter_sp_q").input("菜粉蝶").run()
    after = int([c.value for c in at.caption if c.value.startswith("队列中")][0].split(" ")[1])
    expected = rows(
        app_env,
        """SELECT count(*) FROM sightings s JOIN species sp ON sp.id = s.species_id
                                WHERE s.garden_id = ? AND sp.chinese_name = '菜粉蝶' AND NOT s.withdrawn
                                AND s.identification_verification_status = 'Unconfirmed – not reviewed'""",
        [gid],
    )[0][0]
    assert after == expected < before


def test_bulk_accept_of_a_selection(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    select_review_rows(at, [0, 1, 2])
    at.run()
    bulk = [b for b in at.button if b.label.startswith("批量确认所选 3 条")]
    assert bulk, [b.label for b in at.button]
    waiting = rows(
        app_env,
        "SELECT count(*) FROM sightings WHERE identification_verification_status = 'Unconfirmed – not reviewed'",
    )[0][0]
    bulk[0].click().run()
    assert (
        rows(
            app_env,
            "SELECT count(*) FROM sightings WHERE identification_verification_status = 'Unconfirmed – not reviewed'",
        )[0][0]
        == waiting - 3
    )
    assert any("已确认 3 条" in s.value for s in at.success)


def test_an_expert_answers_a_weed_question(app_as, app_env):
    at = app_as("chenlaoshi", "pages/review.py")
    qid = rows(app_env, "SELECT id FROM questions WHERE answer IS NULL ORDER BY id LIMIT 1")[0][0]
    at.segmented_control(key=f"answer_verdict_{qid}").set_value("keep").run()
    at.text_area(key=f"answer_text_{qid}").input("这是马兜铃，是红珠凤蝶的寄主，请保留。").run()
    [b for b in at.button if b.key == f"answer_send_{qid}"][0].click().run()
    assert rows(app_env, "SELECT verdict, answer FROM questions WHERE id = ?", [qid]) == [
        ("keep", "这是马兜铃，是红珠凤蝶的寄主，请保留。")
    ]


def test_next_and_previous_page_through_the_queue_including_records_with_photos(app_as, app_env):
    at = app_as("xuboshi", "pages/review.py")
    seen = [first_record_id(at)]
    for _ in range(12):
        nxt = [b for b in at.button if b.label == "下一条"][0]
        if nxt.disabled:
            break
        nxt.click().run()
        assert not at.exception, at.exception
        seen.append(first_record_id(at))
    assert len(set(seen)) == len(seen) > 1
    [b for b in at.button if b.label == "上一条"][0].click().run()
    assert first_record_id(at) == seen[-2]
    with_photo = rows(
        app_env,
        "SELECT DISTINCT sighting_id FROM photos WHERE sighting_id IN (SELECT unnest(?::BIGINT[]))",
        [seen],
    )
    assert with_photo, "the first records of the queue include one with a photo (demo guarantee)"


def test_an_empty_queue_still_shows_the_questions_tab(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    at.selectbox(key="review_status").set_value("Not accepted – incorrect").run()
    at.text_input(key="review_filter_sp_q").input("不存在的物种名").run()
    assert not at.exception
    assert len(at.tabs) == 2 and len(at.tabs[1].children) > 0
