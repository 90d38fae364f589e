"""Interface texts in Danish (first) and English; instrument texts live in the instrument files."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["LANGUAGES", "MESSAGES", "pick_language", "translator"]

LANGUAGES = ("da", "en")

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
        "go_home": "Til forsiden",
        "home_title": "trivsel",
        "home_text": "trivsel er kommunens anonyme spørgeskema om trivsel og rusmidler. Har du fået en seddel med en kode, kan du skrive koden her.",
        "code_label": "Kode fra din seddel",
        "code_button": "Fortsæt",
        "staff_login": "Log ind for ansatte",
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
        "go_home": "To the front page",
        "home_title": "trivsel",
        "home_text": "trivsel is the municipality's anonymous questionnaire about wellbeing and substance use. If you have a slip with a code, you can type the code here.",
        "code_label": "Code from your slip",
        "code_button": "Continue",
        "staff_login": "Staff login",
    },
}


def pick_language(value: str | None, default: str = "da") -> str:
    """``value`` if it is a supported language, else ``default``."""
    return value if value in LANGUAGES else default


def translator(lang: str) -> Callable[[str], str]:
    """A ``t(key)`` function for templates; falls back to Danish, then to the key."""
    table = MESSAGES.get(lang, MESSAGES["da"])
    fallback = MESSAGES["da"]

    def t(key: str) -> str:
        return table.get(key) or fallback.get(key) or key

    return t
