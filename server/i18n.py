"""Interface texts in Danish (first) and English; instrument texts live in the instrument files.

Further languages have a catalogue each, ``server/locales/<tag>.toml``: ``[language]`` names the
language in itself and says whether a native speaker has reviewed it (``status = "validated"`` or
``"draft"``); ``[messages]`` has every key of the Danish texts (``tests/unit/test_i18n.py``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from surveys.instruments import language_name, text_direction

from collections.abc import Callable
from typing import TYPE_CHECKING

from server.i18n_pupil import PUPIL_MESSAGES

if TYPE_CHECKING:
    from litestar import Request

__all__ = [
    "CATALOGUES",
    "LANGUAGES",
    "MESSAGES",
    "Catalogue",
    "LanguageChoice",
    "language_choices",
    "pick_language",
    "request_language",
    "translator",
]

LANGUAGES = ("da", "en")  # then each catalogue in server/locales (CATALOGUES, at the end)

MESSAGES: dict[str, dict[str, str]] = {
    "da": {
        "app_name": "trivsel",
        "skip_to_content": "Spring til indhold",
        "language": "Sprog",
        "error_title": "Noget gik galt",
        "not_found_title": "Siden findes ikke",
        "not_found_text": "Vi kunne ikke finde den side. Tjek adressen, eller scan QR-koden igen.",
        "link_not_found_title": "Linket findes ikke",
        "link_not_found_text": "Linket virker ikke. Måske er det skrevet forkert, eller QR-koden er beskadiget. Spørg din lærer om en ny seddel.",
        "too_large_title": "For meget tekst",
        "too_large_text": "Det, du sendte, var for stort. Skriv lidt kortere, og prøv igen.",
        "bad_request_title": "Det forstod vi ikke",
        "bad_request_text": "Forespørgslen kunne ikke bruges. Gå tilbage og prøv igen.",
        "method_not_allowed_title": "Det kan man ikke her",
        "method_not_allowed_text": "Siden kan ikke bruges på den måde. Gå tilbage og prøv igen.",
        "forbidden_title": "Ingen adgang",
        "forbidden_text": "Du har ikke adgang til denne side.",
        "rate_limited_title": "Vent lidt",
        "rate_limited_text": "Der kom for mange forsøg på kort tid. Vent et øjeblik, og prøv igen.",
        "server_error_text": "Der skete en fejl hos os. Dine tidligere svar er gemt. Prøv igen om lidt.",
        "unavailable_title": "Et øjeblik",
        "unavailable_text": "Vi kunne ikke hente siden lige nu – prøv igen om lidt.",
        "store_unavailable": "Vi kunne ikke gemme lige nu – prøv igen om lidt.",
        "store_unavailable_kept": "Dine svar herunder er ikke gået tabt. Tryk på knappen igen om lidt.",
        "try_again_button": "Prøv igen",
        "go_home": "Til forsiden",
        "home_title": "trivsel",
        "home_text": "trivsel er kommunens anonyme spørgeskema om trivsel og rusmidler. Har du fået en seddel med en kode, kan du skrive koden her.",
        "code_label": "Kode fra din seddel",
        "code_button": "Fortsæt",
        "device_title": "Er det dig, der svarede før?",
        "device_text": "Nogen er begyndt at svare på denne telefon eller computer. Er det dig, så fortsæt. Er du en ny elev, får du dit eget skema – du ser ikke, hvad der blev svaret før.",
        "device_continue": "Fortsæt dine svar",
        "device_new": "Jeg er en ny elev",
        "staff_login": "Log ind for ansatte",
        # answering flow (server/pupil.py)
        "flow_title": "Spørgeskema",
        "anonymous_heading": "Dine svar er anonyme",
        "anonymous_pupil_1": "Vi spørger ikke om dit navn, og du skal ikke logge ind.",
        "anonymous_pupil_2": "Din lærer kan ikke se dine svar. Læreren kan kun se, hvor mange i klassen der har svaret.",
        "anonymous_pupil_3": "Når du sender, gemmer vi ikke, hvilken seddel svarene kom fra. Ingen kan bagefter finde ud af, hvem der svarede hvad.",
        "anonymous_pupil_4": "Dine svar bliver blandet med alle de andres. Vi viser kun tal for store grupper, så ingen kan regne ud, hvad du har svaret.",
        "anonymous_staff_1": "Vi spørger ikke om dit navn, og du skal ikke logge ind.",
        "anonymous_staff_2": "Når du sender, gemmer vi ikke, hvilket link svarene kom fra.",
        "anonymous_staff_3": "Vi viser kun samlede resultater for grupper med mange svar.",
        "start_button": "Start",
        "resume_button": "Fortsæt, hvor du slap",
        "start_over_button": "Se spørgsmålene forfra",
        "progress": "Side {n} af {total}",
        "next_button": "Næste",
        "back_button": "Tilbage",
        "to_review_button": "Se dine svar",
        "required_mark": "skal besvares",
        "choose_up_to": "Vælg højst {n}.",
        "no_names_warning": "Skriv ikke navne – hverken dit eget eller andres.",
        "no_questions_here": "Der er ingen spørgsmål til dig på denne side.",
        "problems_summary": "Nogle svar skal rettes. Se beskederne ved spørgsmålene.",
        "problem_required": "Besvar venligst spørgsmålet.",
        "problem_invalid_choice": "Vælg en af mulighederne.",
        "problem_one_answer": "Vælg kun ét svar.",
        "problem_not_a_number": "Skriv et helt tal mellem {min} og {max}.",
        "problem_out_of_range": "Vælg et tal mellem {min} og {max}.",
        "problem_too_long": "Teksten er for lang. Du kan højst skrive {max} tegn.",
        "problem_too_many": "Du har valgt for mange. Fjern nogle af dem.",
        "problem_decline_alone": "Vælg enten »Vil ikke svare« eller et eller flere svar.",
        "problem_unknown_field": "Formularen indeholdt noget, vi ikke kender. Prøv at svare igen.",
        "review_step": "Sidste trin",
        "review_title": "Se dine svar",
        "review_text": "Tjek dine svar. Du kan rette dem, før du sender.",
        "review_missing": "Nogle spørgsmål skal besvares, før du kan sende.",
        "not_answered": "Ikke besvaret",
        "edit_link": "ret",
        "submit_button": "Send mine svar",
        "thanks_title": "Tak for dine svar!",
        "already_answered_title": "Du har allerede svaret – tak!",
        "thanks_text": "Dine svar er gemt anonymt. Du kan lukke siden nu.",
        "help_heading": "Har du brug for at snakke med nogen?",
        "help_text": "Du kan altid få hjælp – gratis og anonymt:",
        "code_title": "Skriv din kode",
        "code_text": "Koden står på din seddel under QR-koden eller på tavlen. Store eller små bogstaver er lige meget.",
        "code_not_found": "Den kode findes ikke. Tjek, at du har skrevet den rigtigt.",
        "code_rate_limited": "Der er skrevet for mange forkerte koder fra dette netværk. Vent lidt (højst 10 minutter), og prøv igen – eller spørg din lærer.",
        "code_paused": "Det er ikke din skyld: der er skrevet mange forkerte koder lige nu, så det er sat på pause at skrive koder. Scan QR-koden på din seddel i stedet, eller prøv igen om lidt (højst 10 minutter).",
        "not_open_title": "Spørgeskemaet er ikke åbnet endnu",
        "not_open_text": "Du kan ikke svare endnu. Prøv igen, når din lærer siger til.",
        "closed_title": "Spørgeskemaet er lukket",
        "no_more_links_title": "Der er ikke flere links her",
        "closed_text": "Det er ikke længere muligt at svare. Tak for din interesse.",
    },
    "en": {
        "app_name": "trivsel",
        "skip_to_content": "Skip to content",
        "language": "Language",
        "error_title": "Something went wrong",
        "not_found_title": "Page not found",
        "not_found_text": "We could not find that page. Check the address, or scan the QR code again.",
        "link_not_found_title": "This link does not exist",
        "link_not_found_text": "The link does not work. It may be mistyped, or the QR code may be damaged. Ask your teacher for a new slip.",
        "too_large_title": "Too much text",
        "too_large_text": "What you sent was too large. Write a little less and try again.",
        "bad_request_title": "We did not understand that",
        "bad_request_text": "The request could not be used. Go back and try again.",
        "method_not_allowed_title": "That is not possible here",
        "method_not_allowed_text": "This page cannot be used that way. Go back and try again.",
        "forbidden_title": "No access",
        "forbidden_text": "You do not have access to this page.",
        "rate_limited_title": "Please wait",
        "rate_limited_text": "There were too many attempts in a short time. Wait a moment and try again.",
        "server_error_text": "Something went wrong on our side. Your earlier answers are saved. Try again in a moment.",
        "unavailable_title": "Just a moment",
        "unavailable_text": "We could not load the page just now – please try again in a moment.",
        "store_unavailable": "We could not save just now – please try again in a moment.",
        "store_unavailable_kept": "Your answers below are not lost. Press the button again in a moment.",
        "try_again_button": "Try again",
        "go_home": "To the front page",
        "home_title": "trivsel",
        "home_text": "trivsel is the municipality's anonymous questionnaire about wellbeing and substance use. If you have a slip with a code, you can type the code here.",
        "code_label": "Code from your slip",
        "code_button": "Continue",
        "device_title": "Was it you who answered before?",
        "device_text": "Someone has started answering on this phone or computer. If that was you, continue. If you are a new pupil, you get your own questionnaire – you will not see what was answered before.",
        "device_continue": "Continue your answers",
        "device_new": "I am a new pupil",
        "staff_login": "Staff login",
        # answering flow (server/pupil.py)
        "flow_title": "Questionnaire",
        "anonymous_heading": "Your answers are anonymous",
        "anonymous_pupil_1": "We do not ask for your name, and you do not log in.",
        "anonymous_pupil_2": "Your teacher cannot see your answers. The teacher can only see how many in the class have answered.",
        "anonymous_pupil_3": "When you send your answers, we do not keep which slip they came from. Nobody can find out afterwards who answered what.",
        "anonymous_pupil_4": "Your answers are mixed with everyone else's. We only show numbers for large groups, so nobody can work out what you answered.",
        "anonymous_staff_1": "We do not ask for your name, and you do not log in.",
        "anonymous_staff_2": "When you send your answers, we do not keep which link they came from.",
        "anonymous_staff_3": "We only show combined results for groups with many answers.",
        "start_button": "Start",
        "resume_button": "Continue where you left off",
        "start_over_button": "See the questions from the start",
        "progress": "Page {n} of {total}",
        "next_button": "Next",
        "back_button": "Back",
        "to_review_button": "See your answers",
        "required_mark": "required",
        "choose_up_to": "Choose at most {n}.",
        "no_names_warning": "Do not write names – neither your own nor anyone else's.",
        "no_questions_here": "There are no questions for you on this page.",
        "problems_summary": "Some answers need fixing. See the messages next to the questions.",
        "problem_required": "Please answer this question.",
        "problem_invalid_choice": "Choose one of the options.",
        "problem_one_answer": "Choose only one answer.",
        "problem_not_a_number": "Write a whole number between {min} and {max}.",
        "problem_out_of_range": "Choose a number between {min} and {max}.",
        "problem_too_long": "The text is too long. You can write at most {max} characters.",
        "problem_too_many": "You have chosen too many. Remove some of them.",
        "problem_decline_alone": "Choose either “Prefer not to say” or one or more answers.",
        "problem_unknown_field": "The form contained something we do not know. Please answer again.",
        "review_step": "Last step",
        "review_title": "See your answers",
        "review_text": "Check your answers. You can change them before you send.",
        "review_missing": "Some questions must be answered before you can send.",
        "not_answered": "Not answered",
        "edit_link": "change",
        "submit_button": "Send my answers",
        "thanks_title": "Thank you for your answers!",
        "already_answered_title": "You have already answered – thank you!",
        "thanks_text": "Your answers are saved anonymously. You can close the page now.",
        "help_heading": "Do you need to talk to someone?",
        "help_text": "You can always get help – free and anonymous:",
        "code_title": "Type your code",
        "code_text": "The code is on your slip below the QR code, or on the board. Upper or lower case does not matter.",
        "code_not_found": "That code does not exist. Check that you typed it correctly.",
        "code_rate_limited": "Too many wrong codes have been typed from this network. Wait a little (at most 10 minutes) and try again, or ask your teacher.",
        "code_paused": "It is not your fault: many wrong codes have been typed just now, so typing codes is paused. Scan the QR code on your slip instead, or try again in a little while (at most 10 minutes).",
        "not_open_title": "The questionnaire is not open yet",
        "not_open_text": "You cannot answer yet. Try again when your teacher tells you to.",
        "closed_title": "The questionnaire is closed",
        "no_more_links_title": "No more links here",
        "closed_text": "It is no longer possible to answer. Thank you for your interest.",
    },
}


for _lang, _extra in PUPIL_MESSAGES.items():
    MESSAGES.setdefault(_lang, {}).update(_extra)


def pick_language(value: str | None, default: str = "da") -> str:
    """``value`` if it is a supported language, else ``default``."""
    return value if value in LANGUAGES else default


def request_language(request: Request, fallback: str | None = None) -> str:
    """The language a request asks for: ``?lang=`` first, then the ``lang`` cookie, then
    ``fallback`` (e.g. the language a draft was saved in), then Danish."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    return pick_language(fallback if chosen is None else chosen)


def translator(lang: str) -> Callable[[str], str]:
    """A ``t(key)`` function for templates; falls back to Danish, then to the key."""
    table = MESSAGES.get(lang, MESSAGES["da"])
    fallback = MESSAGES["da"]

    def t(key: str) -> str:
        return table.get(key) or fallback.get(key) or key

    return t


@dataclass(frozen=True)
class Catalogue:
    """What the interface knows about one of its languages."""

    tag: str
    name: str  # in the language itself
    status: str  # validated | draft

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return text_direction(self.tag)


@dataclass(frozen=True)
class LanguageChoice:
    """One entry of a language switch: the tag, its own name and its direction."""

    tag: str
    name: str
    direction: str


def _load_locales(folder: Path) -> dict[str, Catalogue]:
    """Danish and English (above), then each ``<tag>.toml`` in ``folder``, merged into MESSAGES."""
    found = {tag: Catalogue(tag, language_name(tag), "validated") for tag in ("da", "en")}
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        meta = data.get("language", {})
        found[path.stem] = Catalogue(path.stem, meta.get("name") or language_name(path.stem), meta.get("status", "draft"))
        MESSAGES.setdefault(path.stem, {}).update(data.get("messages", {}))
    return found


# Static files shipped with the code (not settings): read once, when the module is first imported.
CATALOGUES = _load_locales(Path(__file__).parent / "locales")
LANGUAGES = tuple(CATALOGUES)


def language_choices(languages: Iterable[str]) -> list[LanguageChoice]:
    """The switch for pages in ``languages``: those the interface also has, each named in itself."""
    return [
        LanguageChoice(tag, CATALOGUES[tag].name, CATALOGUES[tag].direction) for tag in languages if tag in CATALOGUES
    ]
