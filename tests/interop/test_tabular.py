"""Reading tables safely: formats detected by content, hostile files refused with a reason."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from reciprocite.interop import tabular
from reciprocite.interop.errors import FileRefused


def refused(path) -> str:
    with pytest.raises(FileRefused) as caught:
        tabular.read_table(path)
    return str(caught.value)


def xlsx_bytes(rows) -> bytes:
    buffer = io.BytesIO()
    tabular.write_xlsx(
        list(rows[0]), [dict(zip(rows[0], r, strict=True)) for r in rows[1:]], buffer
    )
    return buffer.getvalue()


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_delimiters_and_bom(tmp_path, delimiter, bom):
    text = delimiter.join(["Title", "Budget"]) + "\r\n" + delimiter.join(["Été", "12,50"]) + "\r\n"
    if delimiter == ",":
        text = text.replace("12,50", '"12,50"')
    path = tmp_path / "t.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    table = tabular.read_table(path)
    assert table.format == "csv"
    assert table.columns == ["title", "budget"]
    assert table.rows == [(2, {"title": "Été", "budget": "12,50"})]


def test_csv_blank_rows_are_skipped_but_counted(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n,\n\n3,4\n", encoding="utf-8")
    table = tabular.read_table(path)
    assert table.rows == [(2, {"a": "1", "b": "2"}), (5, {"a": "3", "b": "4"})]


def test_csv_formula_escape_round_trips(tmp_path):
    out = io.StringIO()
    tabular.write_csv(["a", "b"], [{"a": "=1+1", "b": "-x"}, {"a": "plain", "b": "'quoted"}], out)
    assert out.getvalue() == "a,b\r\n'=1+1,'-x\r\nplain,'quoted\r\n"
    path = tmp_path / "t.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    rows = [r for _n, r in tabular.read_table(path).rows]
    assert rows == [{"a": "=1+1", "b": "-x"}, {"a": "plain", "b": "'quoted"}]


def test_csv_extra_cells_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2,3\n", encoding="utf-8")
    assert refused(path) == "t.csv: row 2 has 3 cells but the header names 2 columns"


def test_csv_header_problems(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,a\n1,2\n", encoding="utf-8")
    assert refused(path) == "t.csv: the column a appears twice"
    path.write_text("a,,b\n1,2,3\n", encoding="utf-8")
    assert refused(path) == "t.csv: column 2 of the header has no name"


# --- hostile or broken files ---------------------------------------------------------------------


def test_file_over_50_mb_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: costs nothing
    assert refused(path) == "big.csv: the file is 50.0 MB; the limit is 50.0 MB"


def test_missing_file_and_directory(tmp_path):
    assert refused(tmp_path / "nope.csv") == "nope.csv: no such file"
    assert refused(tmp_path) == f"{tmp_path.name}: not a regular file"


def test_empty_file(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"  \n")
    assert refused(path) == "e.csv: the file is empty"


def test_binary_garbage_refused(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(bytes(range(256)) * 10)
    assert refused(path) == "g.csv: binary data, not a CSV, XLSX or JSON file"


def test_non_utf8_text_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("titre\nÉté\n".encode("latin-1"))
    assert refused(path) == (
        "latin1.csv: not UTF-8 text (byte 7): save the file as CSV UTF-8, XLSX or JSON"
    )


def test_old_xls_refused(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert refused(path) == (
        "old.xls: old Excel (.xls) workbooks are not supported: save it as .xlsx or CSV"
    )


def test_csv_cell_over_32k_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("a,b\nx," + "y" * 32_768 + "\n", encoding="utf-8")
    assert refused(path) == "long.csv: row 2: a cell is longer than 32767 characters"


def test_csv_cell_of_exactly_32767_characters_is_read(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("a\n" + "y" * 32_767 + "\n", encoding="utf-8")
    assert tabular.read_table(path).rows[0][1]["a"] == "y" * 32_767


def test_csv_huge_quoted_field_refused_and_limit_restored(tmp_path):
    before = __import__("csv").field_size_limit()
    path = tmp_path / "huge.csv"
    path.write_text('a,b\n1,2\n3,"' + "z\n" * 2_000_000 + '"\n', encoding="utf-8")
    assert refused(path) == "huge.csv: row 3: a cell is longer than 32767 characters"
    assert __import__("csv").field_size_limit() == before


def test_too_many_rows_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    path = tmp_path / "rows.csv"
    path.write_text("a\n1\n2\n3\n4\n", encoding="utf-8")
    assert refused(path) == "rows.csv: more than 3 rows"


def test_too_many_columns_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(65)) + "\n", encoding="utf-8")
    assert refused(path) == "wide.csv: 65 columns; at most 64 are read"


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_values_become_text(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ("Title", "Start", "Amount", "Whole", "Formula"),
                ("Été", dt.date(2020, 1, 2), Decimal("12.50"), 25000, "=SUM(A1)"),
            ]
        )
    )
    table = tabular.read_table(path)
    assert table.format == "xlsx"
    assert table.rows == [
        (
            2,
            {
                "title": "Été",
                "start": "2020-01-02",
                "amount": "12.5",
                "whole": "25000",
                "formula": "=SUM(A1)",
            },
        )
    ]


def test_xlsx_extension_but_not_a_zip(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert refused(path) == "fake.xlsx: not an XLSX workbook (it is not a zip archive)"


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert refused(path) == "z.xlsx: a zip archive, but not an XLSX workbook"


def test_damaged_zip(tmp_path):
    path = tmp_path / "d.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert refused(path) == "d.xlsx: not a valid XLSX workbook (damaged zip archive)"


def test_zip_bomb_refused_from_the_directory(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    message = refused(path)
    assert message.startswith("bomb.xlsx: xl/worksheets/sheet1.xml expands ")
    assert message.endswith(" times (20.0 MB): refused as a possible zip bomb")


def test_zip_announcing_too_much_data_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "XLSX_MAX_UNCOMPRESSED_BYTES", 1024)
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "x" * 2000)
    assert refused(path) == "many.xlsx: the workbook would expand to 0.0 MB; the limit is 0.0 MB"


def test_xlsx_forged_dimension_does_not_blow_up(tmp_path):
    """A <dimension> claiming A1:XFD1048576 must not make a million rows of 16,384 cells."""
    path = tmp_path / "dim.xlsx"
    patched_xlsx(
        path,
        [("a", "b"), ("1", "2")],
        b"<sheetPr>",
        b'<dimension ref="A1:XFD1048576"/><sheetPr>',
    )
    table = tabular.read_table(path)
    assert table.rows == [(2, {"a": "1", "b": "2"})]


def patched_xlsx(path, rows, old: bytes, new: bytes) -> None:
    """A workbook written by openpyxl, then edited the way a forger would."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows)))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new, 1)
            target.writestr(info, content)


def test_xlsx_cell_over_32k_refused(tmp_path):
    """openpyxl writes at most 32,767 characters; a forged workbook can hold more."""
    path = tmp_path / "long.xlsx"
    patched_xlsx(path, [("a", "b"), ("x", "y" * 10)], b"y" * 10, b"y" * 32_768)
    assert refused(path) == (
        "long.xlsx: row 2, field b: the cell has 32768 characters; the limit is 32767"
    )


# --- JSON --------------------------------------------------------------------------------------


def test_json_list_or_rows_object(tmp_path):
    path = tmp_path / "t.json"
    rows = [{"A": "x", "n": 12.5, "ok": True, "none": None}, {"A": "y"}]
    for document in (rows, {"layout": "x", "rows": rows}):
        path.write_text(json.dumps(document), encoding="utf-8")
        table = tabular.read_table(path)
        assert table.format == "json"
        assert table.columns == ["a", "n", "ok", "none"]
        assert table.rows == [
            (1, {"a": "x", "n": "12.5", "ok": "yes", "none": ""}),
            (2, {"a": "y", "n": "", "ok": "", "none": ""}),
        ]


def test_json_errors(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"rows": [1]}', encoding="utf-8")
    assert refused(path) == "t.json: row 1 is not an object"
    path.write_text('[{"a": {"b": 1}}]', encoding="utf-8")
    assert refused(path) == "t.json: row 1, field a: expected text, a number or a boolean"
    path.write_text('[{"a": 1}', encoding="utf-8")
    assert refused(path) == "t.json: not valid JSON (line 1, column 10: Expecting ',' delimiter)"
    path.write_text('{"a": 1}', encoding="utf-8")
    assert refused(path) == 't.json: expected a list of objects, or an object with a "rows" list'
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert refused(path) == "t.json: not valid JSON (nested too deep or a number too long)"


# --- every table of a file -------------------------------------------------------------------


def test_read_sheets_keeps_the_header_as_written_within_the_callers_limits():
    data = b"Name,,age\nA,,7\n,,\n"
    limits = tabular.Limits(file_bytes=1000, rows=5, columns=5)
    [sheet] = tabular.read_sheets(data, source="dir/t.csv", limits=limits)
    assert (sheet.name, sheet.source, sheet.columns) == ("t", "dir/t.csv", ["Name", "", "age"])
    assert sheet.rows == [(2, ["A", "", "7"])]
    narrow = tabular.Limits(file_bytes=1000, rows=5, columns=2)
    with pytest.raises(FileRefused) as caught:
        tabular.read_sheets(data, source="t.csv", limits=narrow)
    assert str(caught.value) == "t.csv: 3 columns; at most 2 are read"


def test_read_sheets_reads_every_worksheet_with_its_values():
    wb = openpyxl.Workbook()
    wb.active.title = "main"
    wb.active.append(["when", "n"])
    wb.active.append([dt.date(2024, 3, 1), 2])
    wb.create_sheet("empty")
    wb.create_sheet("other").append(["x"])
    buffer = io.BytesIO()
    wb.save(buffer)
    sheets = tabular.read_sheets(buffer.getvalue(), source="w.xlsx")
    assert [(s.name, s.source, s.columns) for s in sheets] == [
        ("main", "w.xlsx, sheet main", ["when", "n"]),
        ("other", "w.xlsx, sheet other", ["x"]),
    ]
    assert sheets[0].rows == [(2, [dt.datetime(2024, 3, 1), 2])]
