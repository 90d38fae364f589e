"""The installation's municipality and its own settings: name, logo text, help contacts,
suppression threshold, and the privacy notice pupils and staff read (who asks, why, what is kept,
for how long, whom to contact)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from surveys.db.tables import Organisation
from surveys.errors import InvalidInput
from surveys.organisation.help_contacts import (
    DEFAULT_HELP_CONTACTS, HelpContact, check_contact, contacts_for, contacts_from_stored,
)
from surveys.text import one_line

__all__ = [
    "DEFAULT_HELP_CONTACTS",
    "DEFAULT_NOTICE",
    "MAX_CONTACTS",
    "NOTICE_FIELDS",
    "Municipality",
    "brand",
    "get_organisation",
    "load_municipality",
    "municipality_from_row",
    "save_municipality",
]

MAX_CONTACTS = 8
NOTICE_FIELDS = ("controller", "purpose", "basis", "stored", "recipients", "retention", "contact")
NOTICE_LIMIT = 600
# The privacy notice (GDPR art. 13) for a 13-year-old; {name} is the municipality's name.
DEFAULT_NOTICE = {
    "da": {
        "controller": "{name} spørger, og {name} har ansvaret for svarene (dataansvarlig).",
        "purpose": "Kommunen bruger svarene til at se, hvordan unge i kommunen har det, og til at planlægge "
                   "arbejdet med trivsel, alkohol og stoffer – fx i skolerne, i SSP og i rådgivningen for unge.",
        "basis": "Kommunen må gerne spørge, fordi det hører til kommunens opgave med at passe på børn og unges "
                 "trivsel og sundhed (databeskyttelsesforordningens artikel 6, stk. 1, litra e).",
        "recipients": "Kun de medarbejdere i kommunen, der laver undersøgelsen, kan se svarene. Alle andre – også "
                      "skolerne – ser kun tal for grupper med mange svar.",
        "stored": "Vi gemmer dine svar og din skole, klasse, klassetrin, sprog og dato. Vi gemmer ikke dit navn, "
                  "din telefon, din IP-adresse eller hvilken seddel du brugte, så ingen kan se, hvad netop du har "
                  "svaret. Derfor kan vi heller ikke finde eller slette netop dine svar bagefter.",
        "retention": "Svarene gemmes i højst 10 år, så kommunen kan se, om tingene bliver bedre over årene.",
        "contact": "Har du spørgsmål, så spørg din lærer, eller skriv til kommunens databeskyttelsesrådgiver "
                   "(find adressen på kommunens hjemmeside). Du kan klage til Datatilsynet (datatilsynet.dk).",
    },
    "en": {
        "controller": "{name} is asking, and {name} is responsible for the answers (the data controller).",
        "purpose": "The municipality uses the answers to see how young people are doing and to plan its work on "
                   "wellbeing, alcohol and drugs – for example in schools, in SSP and in counselling for young people.",
        "basis": "The municipality may ask because looking after children's and young people's wellbeing and "
                 "health is one of its tasks (General Data Protection Regulation, Article 6(1)(e)).",
        "recipients": "Only the municipality's staff who run the survey can see the answers. Everyone else – "
                      "the schools too – only sees figures for groups with many answers.",
        "stored": "We keep your answers and your school, class, grade, language and date. We do not keep your name, "
                  "your phone, your IP address or which slip you used, so nobody can see what you answered. "
                  "That is also why we cannot find or delete your answers afterwards.",
        "retention": "The answers are kept for at most 10 years, so the municipality can see whether things get "
                     "better over the years.",
        "contact": "If you have questions, ask your teacher or write to the municipality's data protection officer "
                   "(see the municipality's website). You can complain to the Danish Data Protection Agency "
                   "(datatilsynet.dk).",
    },
    "uk": {
        "controller": "Питає {name}, і {name} відповідає за відповіді (розпорядник даних).",
        "purpose": "Муніципалітет використовує відповіді, щоб побачити, як почуваються молоді люди в муніципалітеті, і щоб планувати роботу щодо самопочуття, алкоголю та наркотиків – напр. у школах, у SSP і в консультаціях для молоді.",
        "basis": "Муніципалітет може про це питати, бо піклування про самопочуття та здоров’я дітей і молоді – одне з його завдань (Загальний регламент про захист даних, стаття 6(1)(e)).",
        "recipients": "Відповіді бачать лише працівники муніципалітету, які проводять опитування. Усі інші – також школи – бачать лише числа для груп із великою кількістю відповідей.",
        "stored": "Ми зберігаємо твої відповіді, а також твою школу, клас, рік навчання, мову і дату. Ми не зберігаємо твого імені, телефону, IP-адреси чи того, яким листком ти користувався(-лася), тож ніхто не може побачити, що відповів саме ти. Тому ми також не можемо потім знайти чи видалити саме твої відповіді.",
        "retention": "Відповіді зберігаються щонайбільше 10 років, щоб муніципалітет міг бачити, чи стає краще з роками.",
        "contact": "Якщо маєш запитання, запитай учителя або напиши уповноваженому з питань захисту даних муніципалітету (адресу знайдеш на сайті муніципалітету). Скаргу можна подати до Датського агентства із захисту даних (datatilsynet.dk).",
    },
    "ar": {
        "controller": "{name} هي من تسأل، و{name} مسؤولة عن الإجابات (المتحكّم في البيانات).",
        "purpose": "تستخدم البلدية الإجابات لمعرفة أحوال الشباب في البلدية، ولتخطيط العمل في مجال الرفاهية والكحول والمخدرات – مثلًا في المدارس وفي SSP وفي الاستشارات المقدّمة للشباب.",
        "basis": "يحقّ للبلدية أن تسأل لأن رعاية رفاهية الأطفال والشباب وصحتهم من مهامها (اللائحة العامة لحماية البيانات، المادة 6، الفقرة 1، البند هـ).",
        "recipients": "لا يرى الإجابات إلا موظفو البلدية الذين يُجرون الاستبيان. أما الجميع – ومنهم المدارس – فيرون أرقامًا للمجموعات التي لديها إجابات كثيرة فقط.",
        "stored": "نحفظ إجاباتك ومدرستك وصفّك ومرحلتك الدراسية ولغتك والتاريخ. لا نحفظ اسمك ولا هاتفك ولا عنوان IP الخاص بك ولا الورقة التي استخدمتها، فلا يستطيع أحد أن يرى ماذا أجبت أنت. ولهذا لا نستطيع أيضًا أن نجد إجاباتك أو نحذفها لاحقًا.",
        "retention": "تُحفظ الإجابات 10 سنوات على الأكثر، حتى ترى البلدية إن كانت الأمور تتحسّن مع السنين.",
        "contact": "إذا كانت لديك أسئلة، فاسأل معلّمك أو اكتب إلى مسؤول حماية البيانات في البلدية (تجد العنوان على موقع البلدية). يمكنك تقديم شكوى إلى هيئة حماية البيانات الدنماركية (datatilsynet.dk).",
    },
}


@dataclass(frozen=True)
class Municipality:
    """The municipality's settings; ``notice`` holds only what the admin changed (else the defaults)."""

    name: str
    logo_text: str
    help_contacts: list[HelpContact]
    suppression_threshold: int
    notice: dict[str, str] = field(default_factory=dict)

    def notice_text(self, key: str, lang: str = "da") -> str:
        """One part of the privacy notice: the municipality's own text, else the default in ``lang``."""
        own = self.notice.get(key, "")
        default = DEFAULT_NOTICE.get(lang, DEFAULT_NOTICE["da"])[key]
        return own or default.format(name=self.name)

    def notice_lang(self, key: str, lang: str = "da") -> str:
        """The language ``notice_text(key, lang)`` is in: the admin's own text is Danish."""
        return "da" if self.notice.get(key) or lang not in DEFAULT_NOTICE else lang

    @property
    def brand(self) -> str:
        return self.logo_text or self.name

    def contacts_for(self, audience: str) -> list[HelpContact]:
        """The help block of pupils or of staff."""
        return contacts_for(self.help_contacts, audience)


async def get_organisation(name: str = "Demo Kommune") -> Organisation:
    """The installation's municipality, created on first use."""
    organisation = await Organisation.objects().order_by(Organisation.id).first()
    if organisation is None:
        organisation = Organisation(
            name=name, logo_text=name, help_contacts=[c.stored() for c in DEFAULT_HELP_CONTACTS], notice={}
        )
        await organisation.save()
    return organisation


async def brand() -> str:
    """What the console's header shows: the logo text, else the municipality's name (before there is one: trivsel)."""
    row = await Organisation.select(Organisation.name, Organisation.logo_text).order_by(Organisation.id).first()
    if row is None:
        return "trivsel"
    return row["logo_text"] or row["name"]


def _json(value: object, empty: object) -> object:
    if isinstance(value, str):
        return json.loads(value or "null") or empty
    return value if value is not None else empty


def municipality_from_row(row: dict[str, object] | None) -> Municipality:
    """The settings from the organisation row's columns by name (the defaults when there is none)."""
    if row is None:
        return Municipality("", "", list(DEFAULT_HELP_CONTACTS), 5)
    notice = _json(row.get("notice"), {})
    return Municipality(
        name=str(row.get("name") or ""),
        logo_text=str(row.get("logo_text") or ""),
        help_contacts=contacts_from_stored(_json(row.get("help_contacts"), [])),
        suppression_threshold=int(row.get("suppression_threshold") or 5),  # type: ignore[call-overload]
        notice={k: str(v) for k, v in dict(notice).items() if k in NOTICE_FIELDS},  # type: ignore[call-overload]
    )


async def load_municipality() -> Municipality:
    """The settings (the municipality is created on first use)."""
    return _settings(await get_organisation())


def _settings(organisation: Organisation) -> Municipality:
    return municipality_from_row({
        "name": organisation.name, "logo_text": organisation.logo_text, "help_contacts": organisation.help_contacts,
        "suppression_threshold": organisation.suppression_threshold, "notice": organisation.notice,
    })


async def save_municipality(settings: Municipality, *, minimum_threshold: int) -> Municipality:
    """Validate and store; InvalidInput with a reason per field."""
    problems: dict[str, str] = {}
    name = one_line(settings.name)
    if not name or len(name) > 200:
        problems["name"] = "angiv kommunens navn (højst 200 tegn)"
    logo_text = one_line(settings.logo_text)
    if len(logo_text) > 200:
        problems["logo_text"] = "højst 200 tegn"
    contacts = []
    for index, raw in enumerate(settings.help_contacts[:MAX_CONTACTS]):
        contact, problem = check_contact(raw if isinstance(raw, dict) else raw.stored())
        if problem:
            problems[f"contact_{index}"] = problem
        elif contact is not None:
            contacts.append(contact.stored())
    notice = {}
    for key in NOTICE_FIELDS:
        text = one_line(str(settings.notice.get(key, "")))
        if len(text) > NOTICE_LIMIT:
            problems[f"notice_{key}"] = f"højst {NOTICE_LIMIT} tegn"
        elif text and text != DEFAULT_NOTICE["da"][key].format(name=name):
            notice[key] = text
    if not minimum_threshold <= settings.suppression_threshold <= 50:
        problems["suppression_threshold"] = f"mellem {minimum_threshold} og 50"
    if problems:
        raise InvalidInput("Indstillingerne blev ikke gemt.", problems)
    organisation = await get_organisation()
    await Organisation.update(
        {
            Organisation.name: name,
            Organisation.logo_text: logo_text,
            Organisation.help_contacts: contacts,
            Organisation.suppression_threshold: settings.suppression_threshold,
            Organisation.notice: notice,
        }
    ).where(Organisation.id == organisation.id)
    return await load_municipality()
