"""A small instrument in the TOML format that the instrument tests load and break on purpose."""

from __future__ import annotations

__all__ = ["MINIMAL"]

MINIMAL = """
id = "mini"
version = 3
audience = "pupil"
title = { da = "Mini", en = "Mini" }
intro = { da = "Intro", en = "Intro" }

[option_sets]
enig = [
  { code = 1, da = "Uenig", en = "Disagree" },
  { code = 2, da = "Lidt enig", en = "Somewhat agree" },
  { code = 3, da = "Enig", en = "Agree" },
]

[[sections]]
id = "a"
title = { da = "A", en = "A" }

[[sections.questions]]
id = "hash"
type = "single"
sensitive = true
text = { da = "Hash?", en = "Cannabis?" }
options = [{ code = 1, da = "Nej", en = "No" }, { code = 2, da = "Ja", en = "Yes" }]

[[sections.questions]]
id = "hash_maaned"
type = "single"
show_if = { question = "hash", in = [2] }
text = { da = "Seneste måned?", en = "Past month?" }
options = [{ code = 1, da = "Nej", en = "No" }, { code = 2, da = "Ja", en = "Yes" }]

[[sections.questions]]
id = "hvor_tit"
type = "number"
min = 0
max = 100
show_if = { question = "hash_maaned", in = [2] }
text = { da = "Hvor mange gange?", en = "How many times?" }

[[sections.questions]]
id = "stoffer"
type = "multi"
sensitive = true
max_choices = 2
text = { da = "Stoffer", en = "Drugs" }
options = [{ code = 1, da = "Kokain", en = "Cocaine" }, { code = 2, da = "Andet", en = "Other" }]

[[sections.questions]]
id = "hvilket"
type = "text"
show_if = { question = "stoffer", in = [2] }
text = { da = "Hvilket?", en = "Which?" }

[[sections.questions]]
id = "skole"
type = "matrix"
text = { da = "Hvor enig?", en = "How much do you agree?" }
options = "enig"
items = [
  { id = "glad", da = "Glad", en = "Happy" },
  { id = "tryg", da = "Tryg", en = "Safe" },
  { id = "kede", da = "Jeg keder mig", en = "I am bored" },
  { id = "ven", da = "Ven", en = "Friend" },
]

[[sections.questions]]
id = "tryg_opfoelgning"
type = "scale"
show_if = { question = "tryg", in = [1] }
text = { da = "Hvor utryg?", en = "How unsafe?" }

[[indicators]]
id = "proevet_hash"
kind = "share"
label = { da = "Har prøvet hash", en = "Tried cannabis" }
variable = "hash"
yes = [2]
goal = true
target = { op = "<=", value = 25, year = 2020 }

[[indicators]]
id = "kokain"
kind = "share"
label = { da = "Kokain", en = "Cocaine" }
variable = "stoffer_1"
yes = [1]

[[indicators]]
id = "skoletrivsel"
kind = "mean"
label = { da = "Skoletrivsel", en = "School wellbeing" }
items = ["glad", "tryg", "kede", "ven"]
reverse = ["kede"]
target = { op = ">=", value = 2.5 }
"""
