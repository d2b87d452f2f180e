from datetime import date

import pytest

from habitat.domain import roles
from habitat.domain.recurrence import due_status, next_due, on_time
from habitat.domain.taxa import Taxon, pinyin_keys, search
from habitat.domain.verification import (
    STATUSES,
    UNCONFIRMED_NOT_REVIEWED,
    Identification,
    community_taxon,
    current_taxon,
)


def test_first_due_date_is_the_start_date_when_never_done():
    assert next_due(date(2026, 5, 1), 2, None) == date(2026, 5, 1)


def test_next_due_date_follows_from_the_last_log():
    assert next_due(date(2026, 5, 1), 7, date(2026, 5, 10)) == date(2026, 5, 17)


def test_overdue_days_count_from_the_due_date():
    status = due_status(date(2026, 1, 1), 2, date(2026, 5, 10), today=date(2026, 5, 15))
    assert status.due_on == date(2026, 5, 12) and status.days_overdue == 3 and status.is_due


def test_task_not_yet_due_has_negative_overdue_days():
    status = due_status(date(2026, 1, 1), 30, date(2026, 5, 10), today=date(2026, 5, 15))
    assert status.days_overdue == -25 and not status.is_due


def test_on_time_allows_one_day_of_grace():
    assert on_time(date(2026, 5, 10), date(2026, 5, 11))
    assert not on_time(date(2026, 5, 10), date(2026, 5, 12))


def test_recurrence_refuses_zero_interval():
    with pytest.raises(ValueError):
        next_due(date(2026, 1, 1), 0, None)


def test_community_taxon_needs_two_agreeing_and_more_than_two_thirds():
    assert community_taxon([Identification(1)]) is None
    assert community_taxon([Identification(1), Identification(1)]) == 1
    assert community_taxon([Identification(1), Identification(1), Identification(2)]) is None  # exactly 2/3
    assert community_taxon([Identification(1)] * 3 + [Identification(2)]) == 1  # 3/4


def test_an_experts_decision_stands_over_the_community():
    ids = [Identification(1)] * 3
    assert current_taxon(ids, expert_decided_taxon=2, recorder_taxon=1) == 2
    assert current_taxon([Identification(5)], None, recorder_taxon=5) == 5


def test_indicia_vocabulary_has_six_statuses_and_starts_unreviewed():
    assert len(STATUSES) == 6 and UNCONFIRMED_NOT_REVIEWED == "Unconfirmed – not reviewed"


def test_only_experts_verify_and_only_committee_manages():
    assert roles.allowed("expert", "verify") and not roles.allowed("volunteer", "verify")
    assert roles.allowed("committee", "manage_people") and not roles.allowed("expert", "manage_people")
    with pytest.raises(KeyError):
        roles.allowed("committee", "no_such_action")


def test_pinyin_keys_give_full_and_initials():
    assert pinyin_keys("白头鹎") == ("bai tou bei", "btb")


def _taxa():
    def make(i, zh, sci, en, syn=""):
        full, ini = pinyin_keys(zh)
        return Taxon(i, sci, zh, en, "bird", "species", full, ini, syn)

    return [
        make(1, "白头鹎", "Pycnonotus sinensis", "Light-vented Bulbul"),
        make(2, "珠颈斑鸠", "Spilopelia chinensis", "Spotted Dove", "Streptopelia chinensis"),
        make(3, "白鹭", "Egretta garzetta", "Little Egret"),
        make(4, "远东山雀", "Parus minor", "Japanese Tit", "大山雀|Parus major"),
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("btb", "白头鹎"),
        ("baitoubei", "白头鹎"),
        ("白头", "白头鹎"),
        ("pycnonotus", "白头鹎"),
        ("spotted dove", "珠颈斑鸠"),
        ("Streptopelia", "珠颈斑鸠"),
        ("大山雀", "远东山雀"),
        ("parus major", "远东山雀"),
    ],
)
def test_species_search_finds_by_every_kind_of_name(query, expected):
    assert search(_taxa(), query)[0].chinese_name == expected


def test_species_search_returns_nothing_for_nonsense():
    assert search(_taxa(), "zzzz") == []
