"""Help contacts as an admin types them: phone numbers become tel: links, web addresses http(s)
links (nothing else), an older free-text contact keeps working, pupils and staff get their own."""

from __future__ import annotations

from surveys.organisation.help_contacts import (
    DEFAULT_HELP_CONTACTS,
    HelpContact,
    check_contact,
    contacts_for,
    contacts_from_stored,
)


def test_a_contact_is_checked_and_linked() -> None:
    contact, problem = check_contact({"name": " UNG RUS ", "phone": "+45 56 20 35 00", "web": "ungrus.dk/kontakt",
                                      "hours": "Man–tors 14–18", "audience": "pupil"})
    assert problem is None and contact is not None
    assert contact.name == "UNG RUS" and contact.tel == "tel:+4556203500"
    assert contact.web == "https://ungrus.dk/kontakt" and contact.web_label == "ungrus.dk/kontakt"
    assert check_contact({"name": "", "phone": ""}) == (None, None)  # an empty row
    for bad in ({"name": "X", "web": "javascript:alert(1)"}, {"name": "X", "web": "data:text/html,hi"},
                {"name": "X", "web": "https://"}, {"name": "X", "phone": "ring 112"}, {"text": "uden navn"},
                {"name": "X", "audience": "admin"}):
        contact, problem = check_contact(bad)
        assert contact is None and problem, bad


def test_older_free_text_contacts_and_the_audiences() -> None:
    stored = [{"name": "A", "contact": "70 10 10 10"}, {"name": "B", "contact": "headspace.dk"},
              {"name": "C", "text": "Hjælp", "contact": "Spørg din lærer"}, {"name": "", "contact": "x"}, "junk"]
    a, b, c = contacts_from_stored(stored)
    assert a.phone == "70 10 10 10" and b.web == "https://headspace.dk" and c.text == "Hjælp (Spørg din lærer)"
    pupils = contacts_for(list(DEFAULT_HELP_CONTACTS), "pupil")
    staff = contacts_for(list(DEFAULT_HELP_CONTACTS), "staff")
    assert [c.name for c in pupils][:2] == ["BørneTelefonen (Børns Vilkår)", "Cyberhus"]
    assert pupils[0].tel == "tel:116111" and all(c.audience == "staff" for c in staff) and staff
    assert HelpContact("X").stored() == {"name": "X", "text": "", "phone": "", "web": "", "hours": "",
                                         "audience": "pupil"}
