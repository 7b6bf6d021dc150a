"""Russian language rules."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from regdoc.data.model import ResolutionId
from regdoc.phrasing.common import dash_line, date_pattern, listing, quote_lines, short_date
from regdoc.phrasing.common import bound_words as _bound_words
from regdoc.phrasing.common import column_numbers as _column_numbers
from regdoc.phrasing.common import number as _number
from regdoc.phrasing.common import typeset as _typeset

LANG = "ru"
LOCALE = "ru_KZ"
PLACE_ORDINALS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}
LEGAL_FORMS = {"public_association": "ОО"}
RESOLVES = "ПОСТАНОВЛЯЕТ:"
RESOLUTION = "Постановление"


def number(value) -> str:
    """Return 100 201 with a no-break space."""
    return _number(value, LOCALE)


def long_date(when: date) -> str:
    """Return «20 февраля 2026 года»."""
    return date_pattern(when, "d MMMM y 'года'", LOCALE)


def resolution_number(rid: ResolutionId) -> str:
    """Return «20.02.2026 г. № 9, п. 7»."""
    return f"{short_date(rid.date)} г. № {rid.meeting}, п. {rid.item}"


def place(n: int) -> str:
    """Return «I место»."""
    return f"{PLACE_ORDINALS.get(n, str(n))} место"


def organisation(name: str, legal_form: str) -> str:
    """Return ОО «name»."""
    return f"{LEGAL_FORMS[legal_form]} «{name}»"


def _listing(items: list[str]) -> str:
    return listing(list(items), "и")


# ----- structural units and their case forms ---------------------------------------------------------------

_FORMS = {
    "section": {"nom": "раздел", "gen": "раздела", "acc": "раздел", "instr": "разделом", "prep": "разделе",
                "pl": "разделы"},
    "clause": {"nom": "пункт", "gen": "пункта", "acc": "пункт", "instr": "пунктом", "prep": "пункте",
               "pl": "пункты"},
    "subclause": {"nom": "подпункт", "gen": "подпункта", "acc": "подпункт", "instr": "подпунктом",
                  "prep": "подпункте", "pl": "подпункты"},
    "appendix": {"nom": "приложение", "gen": "приложения", "acc": "приложение", "instr": "приложением",
                 "prep": "приложении", "pl": "приложения"},
}
_KIND_ORDER = ("section", "clause", "subclause")
_ORDINALS_PREP = ("в первом", "во втором", "в третьем", "в четвертом", "в пятом", "в шестом", "в седьмом",
                  "в восьмом", "в девятом", "в десятом")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def unit_name(kind: str, number: str) -> str:
    """Return a unit's name as a heading or a list names it: «пункт 4.2», «приложение 1»."""
    return f"{_FORMS[kind]['nom']} {number}"


_SUPPLEMENTED = {"положение": "дополнено", "правила": "дополнены", "регламент": "дополнен",
                 "инструкция": "дополнена", "устав": "дополнен", "порядок": "дополнен"}


def _supplemented(short_title: str) -> str:
    """Return «дополнено» agreeing with the document's short title (Положение: neuter; Правила: plural ...);
    an unlisted title agrees by its ending."""
    if short_title.lower() in _SUPPLEMENTED:
        return _SUPPLEMENTED[short_title.lower()]
    last = short_title[-1].lower()
    return "дополнено" if last in "ео" else "дополнена" if last in "ая" else "дополнены" if last in "ыи" \
        else "дополнен"


def _amendments(changes: int, supplements: int, plural: bool = False) -> list[str]:
    words = []
    if changes:
        words.append("изменения" if plural or changes > 1 else "изменение")
    if supplements:
        words.append("дополнения" if plural or supplements > 1 else "дополнение")
    return words


def _made(changes: int, supplements: int) -> str:
    """Return «внесено изменение», «внесены изменения и дополнение» ... (the verb agrees with the nouns)."""
    words = _amendments(changes, supplements)
    verb = "внесено" if len(words) == 1 and changes + supplements == 1 else "внесены"
    return f"{verb} {' и '.join(words)}"


def _of(rid: ResolutionId, body: str) -> str:
    return f"{body} от {short_date(rid.date)} № {rid.meeting}"


# ----- amendment notes in a consolidated text (the pattern of Kazakhstan's official legal database) ---------

def note(action: str, kind: str, number: str, rid: ResolutionId, body: str, short_title: str,
         changes: int = 1, supplements: int = 0) -> str:
    """Return the note of one amendment of a unit or of Appendix 1.

    action: replaced | inserted | deleted | amended (words replaced, criteria changed); kind: section | clause |
    subclause | appendix; body: the adopting body in the genitive («Исполнительного комитета»); short_title:
    «Положение». «Сноска. Пункт 4.2 - в редакции постановления Исполнительного комитета от 20.02.2026 № 9.»
    """
    forms = _FORMS[kind]
    if action == "replaced":
        what = f"Заголовок раздела {number}" if kind == "section" else f"{_cap(forms['nom'])} {number}"
        return f"Сноска. {what} - в редакции постановления {_of(rid, body)}."
    if action == "inserted":
        if kind == "subclause":
            what = f"Пункт {number.rsplit('.', 1)[0]} дополнен"
        else:
            what = f"{short_title} {_supplemented(short_title)}"
        return f"Сноска. {what} {forms['instr']} {number} в соответствии с постановлением {_of(rid, body)}."
    if action == "deleted":
        return f"Сноска. {_cap(forms['nom'])} {number} исключен постановлением {_of(rid, body)}."
    if action == "amended":
        where = f"В заголовок раздела {number}" if kind == "section" else f"В {forms['acc']} {number}"
        return f"Сноска. {where} {_made(changes, supplements)} постановлением {_of(rid, body)}."
    raise ValueError(f"unknown note action '{action}'")


def deleted_wording(rid: ResolutionId, body: str) -> str:
    """Return what stands in place of a deleted unit: «Исключен постановлением Исполнительного комитета от ... № 9.»"""
    return f"Исключен постановлением {_of(rid, body)}."


# ----- drafts: an amendment whose resolution does not exist yet ------------------------------------------

DRAFT = "проект"


def draft_note(note: str) -> str:
    """Return a note (or a deleted unit's wording) made by an amendment whose resolution does not exist yet,
    marked: «Сноска. Пункт 4.2 - в редакции постановления Исполнительного комитета от 12.02.2027 № 3 (проект).»"""
    return f"{note[:-1]} ({DRAFT})." if note.endswith(".") else f"{note} ({DRAFT})"


def drafts_line(names: list[str]) -> str:
    """Return the line over a view that shows draft amendments: «ПРОЕКТ: постановления, принимающего изменения
    2027-02-12, ещё нет»."""
    return f"ПРОЕКТ: постановления, принимающего изменения {', '.join(names)}, ещё нет"


# ----- the amending text of a resolution --------------------------------------------------------------------

def amend_item(ref: str, changes: bool, supplements: bool) -> str:
    """Return the item that introduces the sub-items: «Внести в <Положение ...> изменения и дополнения.»

    `ref` names the Regulation in the accusative, as issued. The kinds are named in the plural.
    """
    return f"Внести в {ref} {' и '.join(_amendments(int(changes), int(supplements), plural=True))}."


def replace_heading(kinds: list[str], numbers: list[str] = ()) -> str:
    """Return «Пункты 3.2, 4.2, 4.3 и 5.2 изложить в следующей редакции:» for the units `numbers` of the given
    kinds (a Russian editor names them; «Нижеследующие пункты» is a calque of the Kazakh «Төмендегі тармақтар»).
    Without numbers: «Пункты изложить ...»."""
    kinds = list(kinds)
    numbers = list(numbers)
    words = []
    for kind in _KIND_ORDER:
        count = kinds.count(kind)
        if count:
            word = _FORMS[kind]["pl"] if count > 1 else _FORMS[kind]["nom"]
            own = [n for k, n in zip(kinds, numbers) if k == kind]
            words.append(f"{word} {_listing(own)}" if own else word)
    # groups join with «и» unless a group has its own «и» (then commas: «Пункты 3.2 и 4.2, подпункт 3.2.1»)
    joined = ", ".join(words) if any(" и " in w for w in words) else _listing(words)
    return f"{_cap(joined)} изложить в следующей редакции:"


def insert_heading(kind: str, number: str, after_kind: str, after: str) -> str:
    """Return «После пункта 4.6 дополнить пунктом 4.7 следующего содержания:»; a number with an insertion suffix
    says its place itself: «Дополнить пунктом 4.3-1 следующего содержания:», and a sub-clause names its clause:
    «Пункт 3.2 дополнить подпунктом 3.2.1-1 следующего содержания:»."""
    new = f"{_FORMS[kind]['instr']} {number}"
    if "-" in number.rsplit(".", 1)[-1]:
        if kind == "subclause":
            return f"{_cap(_FORMS['clause']['nom'])} {number.rsplit('.', 1)[0]} дополнить {new} следующего содержания:"
        return f"Дополнить {new} следующего содержания:"
    if number.rsplit(".", 1)[0] == after and "." in number:
        return f"{_cap(_FORMS[after_kind]['nom'])} {after} дополнить {new} следующего содержания:"
    return f"После {_FORMS[after_kind]['gen']} {after} дополнить {new} следующего содержания:"


def delete_heading(kind: str, numbers: list[str]) -> str:
    """Return «Пункт 4.6 исключить.» or «Пункты 4.6 и 5.4 исключить.»."""
    if len(numbers) == 1:
        return f"{_cap(_FORMS[kind]['nom'])} {numbers[0]} исключить."
    return f"{_cap(_FORMS[kind]['pl'])} {_listing(list(numbers))} исключить."


def _occurrence(occurrence) -> str:
    if occurrence is None:
        return ""
    if occurrence == "all":
        return " (во всех случаях)"
    words = _ORDINALS_PREP[occurrence - 1] if occurrence <= len(_ORDINALS_PREP) else f"в {occurrence}-м"
    return f" ({words} случае)"


def replace_words_heading(kind: str, number: str, old: str, new: str, occurrence=None) -> str:
    """Return «В пункте 4.2 слова «...» заменить словами «...».» (a single word: слово ... словом)."""
    where = f"В заголовке раздела {number}" if kind == "section" else f"В {_FORMS[kind]['prep']} {number}"
    old_word = "слово" if " " not in old.strip() else "слова"
    new_word = "словом" if " " not in new.strip() else "словами"
    return f"{where} {old_word} «{old}»{_occurrence(occurrence)} заменить {new_word} «{new}»."


def approve_appendix_heading(ref: str) -> str:
    """Return «Утвердить <приложение 1 к Положению ...> в новой редакции.»; `ref` names the appendix as issued."""
    return f"Утвердить {ref} в новой редакции."


def add_indicator_heading(block_title: str) -> str:
    """Return the sub-item adding an indicator to a block of Appendix 1."""
    return f"Блок «{block_title}» приложения 1 дополнить показателем следующего содержания:"


def remove_indicator_heading(block_title: str, indicator_title: str) -> str:
    """Return the sub-item removing an indicator from Appendix 1."""
    return f"В блоке «{block_title}» приложения 1 показатель «{indicator_title}» исключить."


def change_rule_heading(indicator_title: str) -> str:
    """Return the sub-item stating an indicator's rule of points in new wording."""
    return f"В приложении 1 порядок начисления баллов по показателю «{indicator_title}» изложить в следующей редакции:"


# ----- criteria in words --------------------------------------------------------------------------------------

_EACH = {"count": "за каждую единицу", "persons": "за каждого человека", "percent": "за каждый процент",
         "thousand_tenge": "за каждую тысячу тенге", "yes_no": "за каждую единицу"}
_SYMBOL = {"count": "", "persons": " чел.", "percent": " %", "thousand_tenge": " тыс. тенге", "yes_no": ""}
_BALL = {"one": "балл", "few": "балла", "many": "баллов", "other": "балла"}


# CLDR's plural rules of Russian, as Babel's locale data hold them (tests/test_russian_phrasing.py checks that they
# still are, and that _plural_form gives what Babel's PluralRule gives with them for integers, floats and decimals).
PLURAL_RULES = {
    "one": "v in 0 and i mod 10 in 1 and i mod 100 not in 11",
    "few": "v in 0 and i mod 10 in 2..4 and i mod 100 not in 12..14",
    "many": "v in 0 and i mod 10 in 0 or v in 0 and i mod 10 in 5..9 or v in 0 and i mod 100 in 11..14",
}


def _plural(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _plural_of(type(value), repr(value), abs(value))


@lru_cache(maxsize=4096)
def _plural_of(_kind: type, _text: str, value) -> str:
    """The plural form of `value`, once per value written alike (a table repeats its points); 1, 1.0 and
    Decimal('1.0') are different keys, as the rules tell them apart."""
    return _plural_form(value)


def _plural_form(value) -> str:
    """Return the plural form of the non-negative `value` by PLURAL_RULES, with CLDR's operands as Babel reads them
    (i: the integer digits; v: how many fraction digits are written, 0.50 two; a whole float none, another one as
    str() writes it).

    Every rule asks for v = 0, and a whole number is «one», «few» or «many» by its last two digits; evaluated here
    rather than by Babel's PluralRule, whose import loads Babel's locale machinery into every build."""
    if isinstance(value, float):
        value = int(value) if value.is_integer() else Decimal(str(value))
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:  # written with fraction digits: v > 0
            return "other"
    i = int(value)
    if i % 10 == 1 and i % 100 != 11:
        return "one"
    if 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14:
        return "few"
    return "many"


def points(value) -> str:
    """Return «500 баллов», «1 балл», «2 балла», «0,5 балла» (the noun agrees with the numeral, CLDR rules)."""
    return f"{number(value)} {_BALL[_plural(value)]}"


def _points_genitive(value) -> str:
    """Return «500 баллов», «1 балла» (after «не более»)."""
    return f"{number(value)} {'балла' if _plural(value) in ('one', 'other') else 'баллов'}"


def rule_text(rule, unit: str) -> str:
    """Return how a rule turns a value into points, in words: «0,5 балла за каждого человека, не более 500 баллов»."""
    if rule.kind == "per_unit":
        text = f"{points(rule.points)} {_EACH[unit]}"
        return text + (f", не более {_points_genitive(rule.cap)}" if rule.cap is not None else "")
    if rule.kind == "penalty":
        text = f"минус {points(abs(rule.points))} {_EACH[unit]}"
        return text + (f", не более {_points_genitive(rule.cap)}" if rule.cap is not None else "")
    if rule.kind == "fixed":
        return f"при наличии – {points(rule.points)}"
    if rule.kind == "bands":
        sym = _SYMBOL[unit]
        parts = []
        for band in rule.bands:
            span = (f"{number(band.start)}{sym} и выше" if band.end is None  # [from, to): the end is said
                    else f"от {number(band.start)} до {number(band.end)}{sym} (не включая {number(band.end)}{sym})")
            parts.append(f"{span}: {points(band.points)}")
        return "; ".join(parts)
    if rule.kind == "rank":
        start = "наибольшего" if rule.order == "highest_first" else "наименьшего"
        places = ", ".join(f"{i}-е место – {points(p)}" for i, p in enumerate(rule.points, 1))
        return f"место среди членских организаций (начиная с {start} значения): {places}"
    raise ValueError(f"unknown rule kind '{rule.kind}'")


def indicator_text(title: str, rule, unit: str) -> str:
    """Return an indicator with its rule: «<title> – <rule in words>»."""
    return f"{title} – {rule_text(rule, unit)}"


def max_points_text(value) -> str:
    """Return the maximum points of an indicator or block; None means not bounded."""
    return "не ограничено" if value is None else points(value)


def as_of(when: date) -> str:
    """Return «по состоянию на 20.02.2026»."""
    return f"по состоянию на {short_date(when)}"


def edition_as_of(when: date) -> str:
    """Return «редакция по состоянию на 20.02.2026» (the heading of the Regulation as in force on a date)."""
    return f"редакция {as_of(when)}"


# Words of the versioning commands' tables and headings.
TERMS = {
    "edition": "редакция",
    "unit": "Структурный элемент",
    "status": "Состояние",
    "old": "Прежняя редакция",
    "new": "Новая редакция",
    "added": "добавлен",
    "deleted": "исключен",
    "changed": "изменен",
    "unchanged": "без изменений",
    "removed": "исключен",
    "renamed": "изменено наименование",
    "reweighted": "изменен порядок начисления баллов",
    "renumbered": "изменен номер строки",
    "row": "Строка",
    "date": "Дата",
    "resolution": "Постановление",
    "action": "Изменение",
    "wording": "Текст",
    "initial": "первоначальная редакция",
    "replaced": "в новой редакции",
    "inserted": "дополнен",
    "words_replaced": "заменены слова",
    "block": "Блок",
    "indicator": "Показатель",
    "main_block": "основной блок",
    "max_points": "Максимум баллов",
    "rule": "Порядок начисления баллов",
    "settings": "Места и поощрение",
    "appendix": "Приложение 1",
    "appendix_changed": "приложение 1 изменено",
    "appendix_unchanged": "приложение 1 без изменений",
    "no_changes": "изменений нет",
    "aspect_unit": "единица измерения",
    "aspect_ratio": "способ расчета",
    "aspect_missing": "при отсутствии сведений",
    "prize_places": "число призовых мест",
    "rewards.basis": "основание поощрения",
    "rewards.count": "число поощряемых организаций",
    "rewards.min_points": "минимум баллов для поощрения",
    "tie_break": "при равенстве баллов",
    "share_equal_places": "деление равных мест",
    "became_main": "стал основным блоком",
    "no_longer_main": "перестал быть основным блоком",
    "total": "Всего",
}


# Words of the comparison documents: the HTML report of a comparison, the redline and the comparison table.
COMPARISON = {
    "language": "На русском языке",
    "inserted_text": "добавленный текст",
    "deleted_text": "исключенный текст",
    "redline": "изменения в режиме рецензирования",
    "number": "№ п/п",
    "unit": "Структурный элемент",
    "current": "Действующая редакция",
    "proposed": "Предлагаемая редакция",
    "justification": "Обоснование",
    "absent": "отсутствует",
    "no_justification": "Обоснование не указано",
    "delete": "исключить",
    "sample_mark": "*",
    "sample_note": "* Образец данных: эта часть текста не взята из подлинного документа.",
}


def revision_author(rid: ResolutionId, body: str) -> str:
    """Return the author of a tracked change made by a resolution: «Постановление Исполнительного комитета от
    20.02.2026 № 9» (`body`: the adopting body in the genitive)."""
    return f"Постановление {body} от {short_date(rid.date)} № {rid.meeting}"

def comparison_title(rid: ResolutionId, body: str) -> str:
    """Return the heading of a comparison table, a complete phrase: «Сравнительная таблица к проекту
    постановления Исполнительного комитета от 20 февраля 2026 года № 9»."""
    return f"Сравнительная таблица к проекту постановления {body} {attributive_date(rid.date)} № {rid.meeting}"


def comparison_subject(regulation_title: str, changes: bool, supplements: bool) -> str:
    """Return what a comparison table compares, under its heading: «(изменения и дополнения в Положение о ...)»."""
    what = {(True, True): "изменения и дополнения", (True, False): "изменения",
            (False, True): "дополнения"}[(changes, supplements) if changes or supplements else (True, False)]
    return f"({what} в {regulation_title})"


def appendix_row(number: str, new_number: str | None = None) -> str:
    """Return «Строка 1.5 приложения 1»: a row of the table of Appendix 1; a row renumbered «Строка 6.4 → 6.3
    приложения 1»."""
    if new_number is not None and new_number != number:
        return f"Строка {number} → {new_number} приложения 1"
    return f"Строка {number} приложения 1"


def appendix_block(number: str) -> str:
    """Return «Блок 2 приложения 1»: a block of Appendix 1."""
    return f"Блок {number} приложения 1"


# ----- the register of resolutions and drafts ---------------------------------------------------------------

REGISTER_SHEET = "Реестр постановлений"
REGISTER_HEADINGS = {"date": "Дата", "number": "Номер", "title": "Наименование",
                     "amendments": "Изменения в Положение", "evaluation": "Оценка"}
DRAFT = "проект"
# the .docx register: a resolution whose data are a sample is marked, and the note under the table says why
REGISTER_SAMPLE_MARK = COMPARISON["sample_mark"]
REGISTER_SAMPLE_NOTE = COMPARISON["sample_note"]
_DRAFT_PLACEHOLDERS = {"title": "наименование постановления", "preamble": "преамбула (текст до «ПОСТАНОВЛЯЕТ:»)",
                       "position": "должность подписывающего", "name": "инициалы и фамилия подписывающего"}


def register_title(year: int | None = None) -> str:
    """Return «Реестр постановлений Исполнительного комитета за 2026 год» (without a year: of all years)."""
    if year is None:
        return "Реестр постановлений Исполнительного комитета"
    return f"Реестр постановлений Исполнительного комитета за {year} год"


def amended_parts(sections: list[str], clauses: list[str], subclauses: list[str], appendix: bool) -> str:
    """Return the parts of the Regulation an amendment changes: «пункты 3.2, 4.2 и 5.2; приложение 1»."""
    parts = []
    for numbers, one, many in ((sections, "раздел", "разделы"), (clauses, "пункт", "пункты"),
                               (subclauses, "подпункт", "подпункты")):
        if numbers:
            parts.append(f"{one if len(numbers) == 1 else many} {listing(numbers, 'и')}")
    if appendix:
        parts.append("приложение 1")
    return "; ".join(parts)


def evaluation_results(year: int) -> str:
    """Return «итоги оценки за 2025 год»."""
    return f"итоги оценки за {year} год"


def draft_placeholder(part: str, number: int | None = None) -> str:
    """Return what a placeholder of a new resolution stands for: title, preamble, item (with its number),
    position or name of the signatory."""
    if part == "item":
        return f"текст пункта {number}"
    return _DRAFT_PLACEHOLDERS[part]

# ----- scoring: labels, units, rules and their working (same names in kk.py) --------------------------------

from regdoc.phrasing.common import rounded_number as _rounded

SCORE_LABELS = {
    "organisation_id": "Код организации",
    "organisation": "Членская организация",
    "place": "Место",
    "total": "Общее количество баллов",
    "main_blocks": "Основные блоки",
    "main_sum": "Баллы по основным блокам",
    "blocks_legend": "Блоки",
    "indicators_legend": "Номера показателей",
    "block": "Блок",
    "main_block": "основной блок",
    "indicator": "Показатель",
    "value": "Значение",
    "rule": "Порядок начисления",
    "working": "Расчет",
    "points": "Баллы",
    "rank": "Место по показателю",
    "prize": "Призовое место",
    "reward": "Предлагается к поощрению",
    "prize_places": "Призовые места",
    "rewards": "Членские организации, набравшие высокие баллы по основным блокам, предлагаемые к поощрению (пункт 5.2)",
    "results_sheet": "Итоги",
    "indicators_sheet": "Показатели",
    "template_sheet": "Показатели",
    "criteria": "Критерии оценки",
    "sum": "Итого",
    "yes": "да",
    "no": "нет",
    "sample": "ОБРАЗЕЦ ДАННЫХ: реальные показатели не публикуются",
    "scored_file": "Оценены данные из файла",
    "sample_criteria": "ОБРАЗЕЦ ДАННЫХ: реальные критерии оценки не опубликованы",
    "not_reported": "не представлено, считается нулем",
    "none": "нет",
}
UNITS = {"count": "кол-во", "persons": "чел.", "percent": "%", "thousand_tenge": "тыс. тенге", "yes_no": "да = 1, нет = 0"}
TIE_BREAKS = {"total": "по общей сумме баллов",
              "main_blocks": "по баллам основных блоков", "organisation": "по коду организации",
              "shared": "место делится"}


UNIT_HINTS = {"count": "целое число не меньше 0", "persons": "целое число не меньше 0",
              "percent": "число от 0 до 100", "thousand_tenge": "число не меньше 0 (тыс. тенге)",
              "yes_no": "1 (да) или 0 (нет)"}


def unit_hint(unit_id: str) -> str:
    """Return what a column of this unit takes, for the template's entry check."""
    return UNIT_HINTS[unit_id]


def label(key: str) -> str:
    """Return a heading or word of the score tables («Общее количество баллов»)."""
    return SCORE_LABELS[key]


def unit(unit_id: str) -> str:
    """Return the unit as the template's unit row shows it («чел.», «тыс. тенге»)."""
    return UNITS[unit_id]




def approx(value, places: int = 2) -> str:
    """Return a computed share to `places` decimals, with «≈» when it was rounded: «≈ 66,67»."""
    text, rounded = _rounded(value, places, LOCALE)
    return f"≈ {text}" if rounded else text


def evaluation_title(year: int) -> str:
    """Return «Показатели членских организаций за 2025 год»."""
    return f"Показатели членских организаций за {year} год"


def results_title(year: int) -> str:
    """Return «Итоги ежегодной оценки деятельности членских организаций за 2025 год»."""
    return f"Итоги ежегодной оценки деятельности членских организаций за {year} год"


def criteria_basis(in_force: date) -> str:
    """Return which Appendix 1 the evaluation used: «приложение 1 к Положению в редакции, действующей с 20.02.2026 г.»."""
    return f"приложение 1 к Положению в редакции, действующей с {short_date(in_force)} г."


def yes_no(value: bool) -> str:
    return SCORE_LABELS["yes"] if value else SCORE_LABELS["no"]


def rank_of(rank: int, count: int) -> str:
    """Return «3 / 20» (rank among count organisations)."""
    return f"{rank} / {count}"


def tie_break(key: str, indicator_title: str | None = None) -> str:
    """Return how an equal total was decided: «по баллам основных блоков»."""
    if key in TIE_BREAKS:
        return TIE_BREAKS[key]
    return f"по баллам показателя «{indicator_title or key}»"


def cutoff_tie(kind: str, names: list[str], points, decided_by: str, indicator_title: str | None = None) -> str:
    """Return the note of a tie at the last prize place (kind 'prize') or the last reward place ('reward'):
    who has equal points, and who decides it (the tie-break of the criteria, a shared place, or the Committee)."""
    if kind == "prize":
        text = f"Равная сумма баллов на границе призовых мест ({number(points)} {points_word(points)}): "
    else:
        text = (f"Равные баллы основных блоков на последнем месте для поощрения ({number(points)} "
                f"{points_word(points)}): ")
    text += ", ".join(names) + "."
    if decided_by == "organisation":
        return text + " Критерии оценки это равенство не разрешают: решение принимает Исполнительный комитет."
    if decided_by == "shared":
        return text + " Организации делят место."
    return text + f" Равенство разрешено {tie_break(decided_by, indicator_title)} согласно критериям оценки."


TEMPLATE_INSTRUCTIONS_TITLE = "Инструкция"


def template_instructions(year: int, name: str, document_name: str) -> list[str]:
    """Return the lines of the instructions sheet of an organisation's reporting workbook."""
    return [f"Показатели за {year} год: {name}",
            f"В документах: {document_name}",
            "1. На первом листе заполните только строку своей организации: одно значение в каждом столбце.",
            "2. Заголовки, коды и наименование не изменяются (лист защищён).",
            "3. Группируйте разряды пробелом (1 200), дробную часть пишите через запятую (12,5); не используйте "
            "двусмысленные записи вроде «80,161».",
            "4. В столбцах да/нет пишите 1 (да) или 0 (нет); проценты — от 0 до 100.",
            "5. Если используете формулы, сохраните файл в Excel или LibreOffice.",
            "6. Отправьте файл в формате .xlsx, не меняя его имени."]


def points_word(value) -> str:
    """Return балл / балла / баллов as a number before it requires (the one plural rule: CLDR's, as points())."""
    return _BALL[_plural(value)]


def _interval(start, end) -> str:
    return f"[{number(start)}; {number(end)})" if end is not None else f"[{number(start)}; ∞)"


def ratio_text(numerator, denominator, value, percent: bool, on_zero: bool) -> str:
    """Return how a ratio's value was computed: «8 345 / 10 000 × 100 = 83,45»."""
    times = " × 100" if percent else ""
    if on_zero:
        return f"{number(numerator)} / 0: знаменатель равен нулю, значение принято равным {number(value)}"
    return f"{number(numerator)} / {number(denominator)}{times} = {approx(value)}"


def working(w) -> str:
    """Return the computation a rule made (a score.Working): «1 200 × 0,5 = 600 → 500 (не более)»."""
    if w.kind in ("per_unit", "penalty"):
        per = number(w.per_unit) if w.per_unit >= 0 else f"({number(w.per_unit)})"
        text = f"{number(w.value)} × {per} = {number(w.raw)}"
        if w.capped:
            text += f" → {number(w.points)} ({'не более' if w.kind == 'per_unit' else 'предел вычета'})"
        return text
    if w.kind == "fixed":
        return f"{yes_no(w.yes)} → {number(w.points)}"
    if w.kind == "bands":
        if w.below_bands:
            return f"{approx(w.value)} ниже первого интервала → 0"
        start, end, points = w.band
        return f"{approx(w.value)} ∈ {_interval(start, end)} → {number(points)}"
    if w.kind == "rank":
        return f"{w.rank}-е место по значению → {number(w.points)}"
    raise ValueError(w.kind)


# ----- official documents (resolution, consolidated Regulation, results) --------------------------------------

_INDICATOR_UNITS = {"count": "ед.", "persons": "чел.", "percent": "%", "thousand_tenge": "тыс. тенге", "yes_no": "да/нет"}
APPENDIX_COLUMNS = {"number": "№ п/п", "indicator": "Наименование показателя", "unit": "Единица измерения",
                    "rule": "Порядок начисления баллов", "max_points": "Максимальное количество баллов"}
MAIN_BLOCK = "(основной блок)"
PARALLEL_HEADER = "На русском языке"
_REGULATION = "Положение"


def attributive_date(when: date) -> str:
    """Return «от 20 февраля 2026 года»."""
    return f"от {long_date(when)}"


def resolution_date(rid: ResolutionId) -> str:
    """Return «20.02.2026 г.» (the left part of a resolution's date and number line)."""
    return f"{short_date(rid.date)} г."


def resolution_meeting_item(rid: ResolutionId) -> str:
    """Return «№ 9, п. 7» (the right part of a resolution's date and number line)."""
    return f"№ {rid.meeting}, п. {rid.item}"


def place_line(n: int, organisation_text: str, total, last: bool) -> str:
    """Return «I место – ОО «...» (общее количество баллов – 100 201);», with «.» for the last place."""
    return f"{place(n)} – {organisation_text} (общее количество баллов – {number(total)}){'.' if last else ';'}"


def reward_line(organisation_text: str, last: bool) -> str:
    """Return «- ОО «...»;», with «.» for the last organisation."""
    return dash_line(organisation_text, last)


def amended_by(rids: list[ResolutionId], body: str) -> str:
    """Return the line under the approval line naming the resolutions that amended the Regulation;
    `body` is the adopting body in the genitive («Исполнительного комитета»)."""
    acts = ", ".join(f"{attributive_date(r.date)} № {r.meeting}" for r in rids)
    noun = "постановлением" if len(rids) == 1 else "постановлениями"
    return f"(с изменениями, внесенными {noun} {body} {acts})"


def appendix_ref(regulation_title: str) -> str:
    """Return «Приложение 1 к Положению о ...» (the heading over Appendix 1)."""
    if regulation_title.startswith(_REGULATION):
        return f"Приложение 1 к Положению{regulation_title[len(_REGULATION):]}"
    return f"Приложение 1 к документу «{regulation_title}»"


def indicator_unit(unit: str) -> str:
    """Return the unit of an indicator as written in the table of Appendix 1."""
    return _INDICATOR_UNITS[unit]


def main_block(title: str) -> str:
    """Return a block title marked as a main block (clause 5.2)."""
    return f"{title} {MAIN_BLOCK}"


def annex_stamp(rid: ResolutionId, body: str, number: int | None = None) -> str:
    """Return the annex stamp (top right of an annex): «Приложение 2 к постановлению Исполнительного комитета от
    20 февраля 2026 года № 9»; `number` None: the resolution's only annex, «Приложение к постановлению ...»
    (`body` in the genitive)."""
    which = "Приложение" if number is None else f"Приложение {number}"
    return f"{which} к постановлению {body} {attributive_date(rid.date)} № {rid.meeting}"


def block_short(number: int) -> str:
    """Return a block as a narrow column heading names it: «Блок 1» (the legend gives its title)."""
    return f"Блок {number}"


def column(values) -> list[str]:
    """Return the numbers of one table column with one number of decimals, negatives with the minus sign."""
    return _column_numbers(values, LOCALE)


def ranks_title() -> str:
    """Return the title of the table of places by indicator."""
    return "Места членских организаций по показателям"


# ----- glossary: phrasings a native Russian editor rejects, and what to write instead ------------------------
# (tests/test_russian_phrasing.py renders every Russian document and fails on any of them; the pattern is a
# regular expression, since «1 место» is wrong where «1-е место» and «I место» are right)
REJECTED_PHRASES = {
    r"итог\w* системы ежегодной оценки": "итоги ежегодной оценки (the results are of the evaluation, not of "
                                         "the system)",
    r"Нижеследующ\w+ пункт": "Пункты 3.2, 4.2, 4.3 и 5.2 изложить в следующей редакции (name the clauses)",
    r"Критерии определения оценки": "Критерии оценки",
    r"по критериям, и они ранжируются": "…по каждому критерию, и организации ранжируются… («они» has no subject)",
    r"равенстве суммы баллов": "при равенстве сумм баллов",
    r"(?<![\w-])\d+ место": "1-е место (an ordinal in running text; «I место» in the resolution)",
}


def not_for_signature() -> str:
    """Return the mark of a document built from data with errors (`regdoc build --force`)."""
    return "НЕ ДЛЯ ПОДПИСИ: документ составлен по данным с ошибками"


# ----- typography ------------------------------------------------------------------------------------------------
# The words a number binds to with a no-break space (word beginnings: «балл» for балл, балла, баллов): units,
# points, money, people, age, years and months; no phrase of the Russian documents needs to stay on one line
# («ПОСТАНОВЛЯЕТ» is one word).
BOUND_WORDS = ("балл", "тыс", "млн", "тенге", "человек", r"чел\.", "процент", "лет", "год", r"г\.",
               "январ", "феврал", "март", "апрел", r"ма[яй]\b", "июн", "июл", "август", "сентябр", "октябр",
               "ноябр", "декабр")
UNBROKEN_PHRASES: tuple[str, ...] = ()
_BOUND = _bound_words(BOUND_WORDS)


def typeset(text: str) -> str:
    """Return `text` with no-break spaces and hyphens where a Russian line may not break (common.typeset):
    «95\u00a0%», «50\u00a0баллов», «20\u00a0февраля», «№\u00a09», «1\u2011е место», «4.3\u20111»."""
    return _typeset(text, _BOUND, UNBROKEN_PHRASES)
