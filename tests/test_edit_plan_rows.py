"""Chapters, meetings and activities: add, change, move and remove."""

from django.urls import reverse

from budgets.models import Activity, Chapter, Meeting
from tests.forms import form_values
from tests.test_edit_access import (  # noqa: F401 (fixtures)
    STALE_TEXT,
    chief,
    draft_a,
    edit_world,
    post,
    seed,
    sign_in,
    text_of,
    version_of,
    world,
)


def headings(plan):
    return list(Chapter.objects.filter(plan=plan).order_by("order", "pk").values_list("heading", flat=True))


def test_adding_and_changing_a_chapter(chief, draft_a):
    count = len(headings(draft_a))
    response = post(
        chief,
        reverse("edit:chapters", args=[draft_a.pk]),
        {"new-heading": "Uppföljning", "new-body": "Vi följer upp varje tertial.\n\n- SUS\n- Enkäter"},
        plan=draft_a,
    )
    assert response.status_code == 302
    assert headings(draft_a)[-1] == "Uppföljning"
    assert len(headings(draft_a)) == count + 1
    chapter = Chapter.objects.get(plan=draft_a, heading="Uppföljning")
    assert chapter.body == "Vi följer upp varje tertial.\n\n- SUS\n- Enkäter"
    assert "Kapitlet Uppföljning är tillagt." in text_of(chief.get(response["Location"]))

    url = reverse("edit:chapter", args=[draft_a.pk, chapter.pk])
    response = post(chief, url, {f"c{chapter.pk}-heading": "Uppföljning och utvärdering", f"c{chapter.pk}-body": "Varje tertial."}, plan=draft_a)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#chapter-{chapter.pk}")
    chapter.refresh_from_db()
    assert (chapter.heading, chapter.body) == ("Uppföljning och utvärdering", "Varje tertial.")


def test_a_chapter_without_a_heading_is_a_field_error(chief, draft_a):
    chapter = Chapter.objects.filter(plan=draft_a).first()
    version = version_of(draft_a)
    response = post(
        chief,
        reverse("edit:chapter", args=[draft_a.pk, chapter.pk]),
        {f"c{chapter.pk}-heading": "", f"c{chapter.pk}-body": "Text"},
        plan=draft_a,
    )
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in text_of(response)
    assert f'id="id_c{chapter.pk}-heading_error"' in response.content.decode()
    assert version_of(draft_a) == version


def test_moving_and_removing_chapters(chief, draft_a):
    before = headings(draft_a)
    second = Chapter.objects.filter(plan=draft_a).order_by("order", "pk")[1]
    post(chief, reverse("edit:chapter_move", args=[draft_a.pk, second.pk]), {"direction": "up"}, plan=draft_a)
    assert headings(draft_a) == [before[1], before[0], *before[2:]]

    url = reverse("edit:chapter_delete", args=[draft_a.pk, second.pk])
    assert f"Ta bort kapitlet {second.heading}?" in text_of(chief.get(url))
    response = post(chief, url, plan=draft_a)
    assert response.status_code == 302
    assert headings(draft_a) == [before[0], *before[2:]]
    assert f"Kapitlet {second.heading} är borttaget." in text_of(chief.get(response["Location"]))


def test_meetings_are_added_edited_in_a_grid_and_removed(chief, draft_a):
    url = reverse("edit:meetings", args=[draft_a.pk])
    response = post(
        chief,
        reverse("edit:meeting_create", args=[draft_a.pk]),
        {"new-date": "2025-02-14", "new-body": "board", "new-topic": "Årsredovisning"},
        plan=draft_a,
    )
    assert response.status_code == 302
    post(
        chief,
        reverse("edit:meeting_create", args=[draft_a.pk]),
        {"new-date": "2025-03", "new-body": "preparatory", "new-topic": ""},
        plan=draft_a,
    )
    meetings = list(Meeting.objects.filter(plan=draft_a).order_by("order", "pk"))
    assert [(m.date, m.body, m.topic) for m in meetings] == [
        ("2025-02-14", "board", "Årsredovisning"),
        ("2025-03", "preparatory", ""),
    ]

    values = form_values(chief.get(url), url)
    values[f"r{meetings[1].pk}-topic"] = "Tertialrapport"
    values[f"r{meetings[1].pk}-body"] = "members"
    response = chief.post(url, values)
    assert response.status_code == 302
    meetings[1].refresh_from_db()
    assert (meetings[1].body, meetings[1].topic) == ("members", "Tertialrapport")

    response = post(chief, reverse("edit:meeting_delete", args=[draft_a.pk, meetings[0].pk]), plan=draft_a)
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meetings[0].pk).exists()
    assert "Mötet 2025-02-14 Styrelse är borttaget." in text_of(chief.get(response["Location"]))


def test_a_meeting_needs_at_least_a_month(chief, draft_a):
    response = post(
        chief,
        reverse("edit:meeting_create", args=[draft_a.pk]),
        {"new-date": "2025", "new-body": "board"},
        plan=draft_a,
    )
    assert response.status_code == 400
    assert "Ange datum som ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM." in text_of(response)
    assert 'aria-describedby="id_new-date_helptext id_new-date_error"' in response.content.decode()
    assert not Meeting.objects.filter(plan=draft_a).exists()


def test_activities_are_added_moved_and_edited(chief, draft_a):
    for name in ("Frukostmöte", "Konferens"):
        post(
            chief,
            reverse("edit:activity_create", args=[draft_a.pk]),
            {"new-name": name, "new-when": "Våren 2025", "new-responsible": "Förbundschef", "new-follow_up": "Styrelsen"},
            plan=draft_a,
        )
    konferens = Activity.objects.get(plan=draft_a, name="Konferens")
    post(chief, reverse("edit:activity_move", args=[draft_a.pk, konferens.pk]), {"direction": "up"}, plan=draft_a)
    assert list(Activity.objects.filter(plan=draft_a).order_by("order").values_list("name", flat=True)) == [
        "Konferens",
        "Frukostmöte",
    ]
    url = reverse("edit:activities", args=[draft_a.pk])
    values = form_values(chief.get(url), url)
    values[f"r{konferens.pk}-name"] = ""
    response = chief.post(url, values)
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in text_of(response)
    values[f"r{konferens.pk}-name"] = "Regional konferens"
    values[f"r{konferens.pk}-follow_up"] = "Utvärdering"
    assert chief.post(url, values).status_code == 302
    konferens.refresh_from_db()
    assert (konferens.name, konferens.follow_up) == ("Regional konferens", "Utvärdering")


def test_a_stale_activity_grid_is_refused(chief, draft_a):
    post(chief, reverse("edit:activity_create", args=[draft_a.pk]), {"new-name": "Frukostmöte"}, plan=draft_a)
    url = reverse("edit:activities", args=[draft_a.pk])
    stale = form_values(chief.get(url), url)
    post(chief, reverse("edit:activity_create", args=[draft_a.pk]), {"new-name": "Konferens"}, plan=draft_a)
    response = chief.post(url, stale)
    assert response.status_code == 409
    assert STALE_TEXT in text_of(response)
    # The page now shows both activities, the one added meanwhile included.
    assert "Konferens" in form_values(response, url).values()
