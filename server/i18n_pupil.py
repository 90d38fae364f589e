"""Interface texts of issue 14 (who is asking, the privacy notice, help, read-aloud), merged into
:data:`server.i18n.MESSAGES`; kept apart so the language work can translate them as one block."""

from __future__ import annotations

__all__ = ["PUPIL_MESSAGES"]

PUPIL_MESSAGES: dict[str, dict[str, str]] = {
    "da": {
        "who_heading": "Hvem spørger?",
        "voluntary": "Det er frivilligt at være med, og du kan springe ethvert spørgsmål over.",
        "privacy_link": "Sådan passer vi på dine svar",
        "privacy_title": "Sådan passer vi på dine svar",
        "privacy_who": "Hvem spørger?",
        "privacy_why": "Hvad bruges svarene til?",
        "privacy_stored": "Hvad gemmer vi – og hvad gemmer vi ikke?",
        "privacy_basis": "Hvorfor må kommunen spørge?",
        "privacy_recipients": "Hvem ser svarene?",
        "privacy_retention": "Hvor længe?",
        "privacy_contact": "Spørgsmål eller klager",
        "privacy_voluntary": "Det er frivilligt",
        "back_to_survey": "Tilbage",
        "help_heading_staff": "Hvis du er bekymret for en ung",
        "help_text_staff": "Her kan du få sparring og hjælp til at komme videre:",
        "help_box": "Brug for at snakke med nogen?",
        "help_phone": "Ring {phone}",
        "help_web": "Gå til {web}",
        "help_hours": "Åbent: {hours}",
        "help_page_link": "Se, hvor du kan få hjælp",
        "read_aloud": "Læs op",
        "read_aloud_label": "Læs op: {text}",
        "read_aloud_stop": "Stop oplæsning",
    },
    "en": {
        "who_heading": "Who is asking?",
        "voluntary": "Taking part is voluntary, and you can skip any question.",
        "privacy_link": "How we look after your answers",
        "privacy_title": "How we look after your answers",
        "privacy_who": "Who is asking?",
        "privacy_why": "What are the answers used for?",
        "privacy_stored": "What do we keep – and what not?",
        "privacy_basis": "Why may the municipality ask?",
        "privacy_recipients": "Who sees the answers?",
        "privacy_retention": "For how long?",
        "privacy_contact": "Questions or complaints",
        "privacy_voluntary": "It is voluntary",
        "back_to_survey": "Back",
        "help_heading_staff": "If you are worried about a young person",
        "help_text_staff": "Here you can get advice and help to take the next step:",
        "help_box": "Need to talk to someone?",
        "help_phone": "Call {phone}",
        "help_web": "Go to {web}",
        "help_hours": "Open: {hours}",
        "help_page_link": "See where you can get help",
        "read_aloud": "Read aloud",
        "read_aloud_label": "Read aloud: {text}",
        "read_aloud_stop": "Stop reading",
    },
}
