"""The XPath evaluator of relevant/constraint/calculation/choice_filter expressions."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

import pytest

from reciprocite.surveys.xpath import (
    MAX_LENGTH,
    Context,
    NodeSet,
    XPathError,
    evaluate,
    parse,
    to_string,
)

from .submissions_support import structure_from_md, valid_answers

NOW = datetime(2026, 3, 9, 14, 5, 7, tzinfo=UTC)


def ev(expression, data=None, **kw):
    return evaluate(expression, Context(data=data or {}, now=NOW, **kw))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 div 4", 2.5),
        ("7 mod 3", 1.0),
        ("-7 mod 3", -1.0),
        ("- 3 + 1", -2.0),
        ("1 - - 1", 2.0),
        ("1 - 2 - 3", -4.0),
        ("2 * 3 div 4", 1.5),
        ("'a' = 'a'", True),
        ('"a" != "b"', True),
        ("1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 4", False),
        ("1 = 1 or 1 div 0", True),
        ("not(1 = 2)", True),
        ("true() and not(false())", True),
        ("'10' = 10", True),
        ("'10' < '9'", False),  # relational operators compare numbers, not text
        ("'abc' < 1", False),  # NaN compares false
        ("'2024-01-02' < '2024-01-10'", True),  # dates as day numbers
        ("true() = 'x'", True),
        ("false() = ''", True),
        ("0.1 + 0.2", 0.30000000000000004),
        (".5 * 2", 1.0),
    ],
)
def test_operators_follow_xpath_rules(expression, expected):
    assert ev(expression) == expected


def test_division_by_zero_gives_infinity_and_nan_not_a_crash():
    assert ev("1 div 0") == math.inf
    assert ev("-1 div 0") == -math.inf
    assert math.isnan(ev("0 div 0"))
    assert math.isnan(ev("5 mod 0"))
    assert to_string(ev("1 div 0")) == "Infinity"
    assert to_string(ev("0 div 0")) == "NaN"
    assert ev("string(1 div 0)") == "Infinity"
    assert ev("1 div 0 > 10") is True


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("string(3)", "3"),
        ("string(2.50)", "2.5"),
        ("string(-0.25)", "-0.25"),
        ("number('12.5')", 12.5),
        ("number(' 7 ')", 7.0),
        ("int(-2.7)", -2.0),
        ("int('9.9')", 9.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -2.0),
        ("round(3.14159, 2)", 3.14),
        ("floor(-1.5)", -2.0),
        ("ceiling(1.2)", 2.0),
        ("abs(-4)", 4.0),
        ("pow(2, 10)", 1024.0),
        ("min(4, 2, 9)", 2.0),
        ("max(4, 2, 9)", 9.0),
        ("boolean('')", False),
        ("boolean('x')", True),
        ("boolean(0)", False),
        ("boolean-from-string('true')", True),
        ("concat('a', 'b', 3)", "ab3"),
        ("string-length('héllo')", 5.0),
        ("contains('coopération', 'péra')", True),
        ("starts-with('coop', 'co')", True),
        ("ends-with('coop', 'op')", True),
        ("substr('bonjour', 1, 4)", "onj"),
        ("substr('bonjour', 3)", "jour"),
        ("substring('12345', 2, 3)", "234"),
        ("substring-before('1999/04/01', '/')", "1999"),
        ("substring-after('1999/04/01', '/')", "04/01"),
        ("translate('bar', 'abc', 'ABC')", "BAr"),
        ("translate('--aaa--', 'abc-', 'ABC')", "AAA"),
        ("normalize-space('  a   b ')", "a b"),
        ("lower-case('ÉTÉ')", "été"),
        ("upper-case('été')", "ÉTÉ"),
        ("regex('14118', '^[0-9]{5}$')", True),
        ("regex('2A004', '^[0-9]{5}$')", False),
        ("if(1 = 1, 'oui', 'non')", "oui"),
        ("if(1 = 2, 'oui', 'non')", "non"),
        ("coalesce('', 'b')", "b"),
        ("coalesce('a', 'b')", "a"),
        ("selected('a b c', 'b')", True),
        ("selected('a b c', 'd')", False),
        ("count-selected('a b c')", 3.0),
        ("count-selected('')", 0.0),
        ("selected-at('a b c', 1)", "b"),
        ("selected-at('a b c', 7)", ""),
        ("join(', ', 'a', 'b')", "a, b"),
        ("date('2024-02-29')", "2024-02-29"),
        ("date(0)", "1970-01-01"),
        ("date(19000)", "2022-01-08"),
        ("decimal-date-time('1970-01-03')", 2.0),
        ("format-date('2024-03-05', '%Y/%m/%d %e')", "2024/03/05 5"),
        ("format-date('2024-03-05T09:04:03', '%H:%M:%S')", "09:04:03"),
        ("format-date('not a date', '%Y')", ""),
        ("date('2024-01-01') + 1 = date('2024-01-02')", True),
        ("today()", "2026-03-09"),
        ("format-date(today(), '%Y')", "2026"),
        ("now()", "2026-03-09T14:05:07.000+00:00"),
        ("true()", True),
        ("false()", False),
        ("jr:choice-name('x', '${q}')", "x"),  # without a form, the value itself
    ],
)
def test_functions(expression, expected):
    assert ev(expression) == expected


def test_uuid_is_a_fresh_uuid_each_time():
    first, second = ev("uuid()"), ev("uuid()")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", first)
    assert first != second


def test_current_value_and_once():
    assert evaluate(". >= 3", Context(current=5)) is True
    assert evaluate(". >= 3", Context(current=2)) is False
    assert evaluate("string-length(.)", Context(current="abcd")) == 4.0
    # once(): keeps the value already there, else computes it
    assert evaluate("once('new')", Context(current="")) == "new"
    assert evaluate("once('new')", Context(current="old")) == "old"


def test_references_without_a_structure_read_the_answers():
    data = {"a": 4, "b": "", "s": "x y"}
    assert evaluate("${a} + 1", data) == 5.0
    assert evaluate("${a} = 4", data) is True
    assert evaluate("${a} = '4'", data) is True
    assert evaluate("${b} = ''", data) is True
    assert evaluate("${missing} = ''", data) is True
    assert math.isnan(evaluate("${b} + 1", data))
    assert evaluate("selected(${s}, 'y')", data) is True


def test_references_resolve_in_repeats_paths_and_node_sets():
    structure = structure_from_md()
    data = valid_answers()
    top = Context(data=data, structure=structure)
    first = top.at(positions=(("cooperation", 0),))
    second = top.at(positions=(("cooperation", 1),))
    action = top.at(positions=(("cooperation", 1), ("action", 0)))
    # same instance
    assert evaluate("${annee_debut}", first) == NodeSet(["2001"])
    assert evaluate("${annee_debut}", second) == NodeSet(["2010"])
    # a relative path and an absolute one name the same question
    assert evaluate("../annee_debut", second) == NodeSet(["2010"])
    assert evaluate("/data/cooperation/annee_debut", second) == NodeSet(["2010"])
    assert evaluate("current()/../annee_debut", second) == NodeSet(["2010"])
    # enclosing repeat's current instance from a nested repeat
    assert evaluate("${annee_debut} + 1", action) == 2011.0
    # top-level values from inside a repeat
    assert evaluate("${pays}", first) == NodeSet(["sn"])
    assert evaluate("/data/details/profession", first) == NodeSet(["Maire"])
    # from outside the repeat: every instance
    assert evaluate("${annee_debut}", top) == NodeSet(["2001", "2010"])
    assert evaluate("count(${cooperation})", top) == 2.0
    assert evaluate("sum(${annee_debut})", top) == 4011.0
    assert evaluate("count(${action_nom})", top) == 1.0
    assert evaluate("${annee_debut} = 2010", top) is True  # any of them
    assert evaluate("max(${annee_debut})", top) == 2010.0
    assert evaluate("join('+', ${pays_partenaire})", top) == "ma+sn"
    # positions
    assert evaluate("position(..)", second) == 2.0
    assert evaluate("position(..)", action) == 1.0
    assert evaluate("position(../..)", action) == 2.0
    assert evaluate("indexed-repeat(${annee_debut}, ${cooperation}, 1)", top) == NodeSet(["2001"])
    # an unanswered question is one empty value
    assert evaluate("${detail_senegal} = ''", first) is True
    assert evaluate("string-length(${detail_senegal})", first) == 0.0


def test_choice_name_reads_the_label_in_the_language():
    structure = structure_from_md()
    ctx = Context(data=valid_answers(), structure=structure, language="en")
    assert evaluate("jr:choice-name(${pays}, '${pays}')", ctx) == "Senegal"
    ctx_fr = ctx.at(language="fr")
    assert evaluate("jr:choice-name('ma', '/data/pays')", ctx_fr) == "Maroc"
    assert evaluate("choice-name('zz', '${pays}')", ctx_fr) == ""


def test_choice_filter_reads_the_choice_columns():
    ctx = Context(data={"pays": "sn"}, item={"name": "dakar", "pays": "sn"})
    assert evaluate("pays = ${pays}", ctx) is True
    assert evaluate("pays = ${pays}", ctx.at(item={"name": "paris", "pays": "fr"})) is False
    assert evaluate("name != 'dakar'", ctx) is False


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 +", "unexpected 'the end of the expression' at position 4"),
        ("(1 + 2", "expected ')' at position 7, found 'the end'"),
        ("1 2", "unexpected '2' at position 3"),
        ("'unterminated", 'unexpected character "\'" at position 1'),
        ("${a", "a reference must read ${name} (position 1)"),
        ("${a b}", "invalid reference ${a b}"),
        ("a[1]", "predicates ([…]) are not supported"),
        ("//a", "'//' paths are not supported"),
        ("@a", "unexpected '@' at position 1"),
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("foo(1)", "unknown function foo()"),
        ("pulldata('f', 'c', 'k', 'v')", "pulldata() is not supported"),
        ("instance('x')", "instance() is not supported"),
        ("substr('a')", "substr() takes 2 to 3 arguments, 1 given"),
        ("not()", "not() takes 1 argument, 0 given"),
        ("regex('a', '(')", "regex(): invalid pattern '('"),
        ("position(..)", "position() outside a repeat"),
        ("count('a')", "count() takes a reference"),
        ("1 and", "unexpected 'the end of the expression' at position 6"),
        ("§", "unexpected character '§' at position 1"),
    ],
)
def test_errors_name_the_expression(expression, message):
    with pytest.raises(XPathError) as excinfo:
        ev(expression)
    assert message in str(excinfo.value)
    if expression.strip():
        assert f"(in: {expression})" in str(excinfo.value)


def test_unknown_question_is_an_error():
    structure = structure_from_md()
    with pytest.raises(XPathError, match=r"no question named 'nope' in the form \(in: \$\{nope\}"):
        evaluate("${nope}", Context(structure=structure))


def test_hostile_input_is_an_error_not_a_crash():
    deep = "(" * 5000 + "1" + ")" * 5000
    with pytest.raises(XPathError, match="nested too deeply"):
        parse(deep)
    calls = "not(" * 2000 + "true()" + ")" * 2000
    with pytest.raises(XPathError, match="nested too deeply"):
        parse(calls)
    minus = "-" * 5000 + "1"
    with pytest.raises(XPathError, match="nested too deeply"):
        parse(minus)
    with pytest.raises(XPathError, match=f"expression too long .* at most {MAX_LENGTH}"):
        parse("1+" * 20_000 + "1")
    # a deep right-nested tree through operators is refused too
    right = "1 + (" * 39 + "1" + ")" * 39
    assert ev(right) == 40.0
    with pytest.raises(XPathError):
        parse("1 = (" * 100 + "1" + ")" * 100)
    # not a string
    with pytest.raises(XPathError, match="must be text"):
        parse(42)
    # regex on a huge answer
    with pytest.raises(XPathError, match="longer than"):
        evaluate("regex(., 'a')", Context(current="a" * 20_000))


def test_long_flat_chains_evaluate_without_recursion():
    assert ev("+".join(["1"] * 3000)) == 3000.0
    assert ev(" or ".join(["false()"] * 1500) + " or true()") is True
    assert ev(" and ".join(["true()"] * 1500)) is True
    many = " or ".join(f"selected(${{s}}, 'c{i}')" for i in range(500))
    assert evaluate(many, {"s": "c499"}) is True
    assert evaluate(many, {"s": "zz"}) is False


def test_parse_is_cached_per_expression():
    parse.cache_clear()
    parse("1 + 1")
    parse("1 + 1")
    info = parse.cache_info()
    assert (info.hits, info.misses) == (1, 1)
