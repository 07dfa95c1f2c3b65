"""interop.kobo on its own: the Kobo export layout read and written as plain data."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest

from reciprocite.interop import kobo
from reciprocite.interop.errors import FileRefused, InvalidRows
from reciprocite.surveys.structure import Structure

LONG = "household_members_roster_with_a_long_name"  # 41 characters: Excel cuts it at 31

SURVEY = {
    "type": "survey",
    "name": "data",
    "id_string": "household",
    "children": [
        {"type": "start", "name": "start"},
        {"type": "date", "name": "visit_date"},
        {
            "type": "group",
            "name": "place",
            "children": [
                {"type": "geopoint", "name": "gps"},
                {"type": "select all that apply", "name": "needs", "list_name": "needs"},
            ],
        },
        {
            "type": "repeat",
            "name": LONG,
            "children": [
                {"type": "text", "name": "first_name"},
                {"type": "integer", "name": "age"},
                {
                    "type": "repeat",
                    "name": "illness",
                    "children": [{"type": "decimal", "name": "days"}],
                },
            ],
        },
    ],
    "choices": {"needs": [{"name": "food"}, {"name": "water"}]},
}
U1 = "0f8fad5b-d9cb-469f-a165-70867728950e"
U2 = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture
def structure():
    return Structure(SURVEY)


def workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_excel_values_truncated_sheet_names_and_nested_repeats(structure):
    content = workbook(
        {
            "Household survey": [
                [
                    "start",
                    "visit_date",
                    "place/gps",
                    "place/needs",
                    "place/needs/food",
                    "place/needs/water",
                    "_uuid",
                    "_submission_time",
                    "_index",
                ],
                [
                    dt.datetime(2024, 3, 1, 8, 30, 5, 250000),
                    dt.datetime(2024, 3, 1),
                    "1 2 3 4",
                    "food  water",
                    1,
                    1,
                    U1,
                    dt.datetime(2024, 3, 1, 9),
                    1,
                ],
                [None, None, None, None, 0, 0, U2, None, 2],
            ],
            LONG[:31]: [
                [
                    f"{LONG}/first_name",
                    f"{LONG}/age",
                    "_index",
                    "_parent_table_name",
                    "_parent_index",
                    "_submission__uuid",
                ],
                ["Ana", 34.0, 1, "Household survey", 1, U1],
                ["Ben", 7, 2, "Household survey", 1, U1],
                [None, None, 3, "Household survey", 2, U2],
            ],
            "illness": [
                [f"{LONG}/illness/days", "_index", "_parent_table_name", "_parent_index"],
                [2.5, 1, LONG[:31], 2],
                [3, 2, LONG[:31], 2],
            ],
        }
    )
    data = kobo.read_export(structure, [("household.xlsx", content)], strict=True)

    assert data.repeats == {LONG: 3, "illness": 2}
    assert [(str(s.uuid), s.submitted_at) for s in data.submissions] == [
        (U1, dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)),
        (U2, None),
    ]
    assert data.submissions[0].data == {
        "start": "2024-03-01T08:30:05.250",
        "visit_date": "2024-03-01",
        "gps": "1 2 3 4",
        "needs": "food water",
        LONG: [
            {"first_name": "Ana", "age": 34},
            {"first_name": "Ben", "age": 7, "illness": [{"days": 2.5}, {"days": 3}]},
        ],
    }
    assert data.submissions[1].data == {LONG: [{}]}


def test_csv_zip_semicolons_and_bare_headers(structure):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "export/household.csv",
            "\ufeffvisit_date;needs;uuid;index\r\n2024-05-02;water;x-1;4\r\n",
        )
        zf.writestr(
            f"export/household-{LONG}.csv", "first_name;age;_parent_index;_index\r\nZoé;41;4;1\r\n"
        )
    data = kobo.read_export(structure, [("export.zip", archive.getvalue())])
    assert [s.data for s in data.submissions] == [
        {"visit_date": "2024-05-02", "needs": "water", LONG: [{"first_name": "Zoé", "age": 41}]}
    ]
    # "x-1" is no UUID: one is derived from it, the same on every reading
    derived = uuid.uuid5(kobo.UUID_NAMESPACE, "household:uuid:x-1")
    assert data.submissions[0].uuid == derived
    assert data.submissions[0].original_uuid == "x-1"


def test_rows_without_uuid_are_keyed_by_index_and_linked_by_submission_uuid(structure):
    main = "visit_date,_index\r\n2024-01-01,1\r\n2024-01-02,2\r\n"
    first = kobo.read_export(structure, [("h.csv", main.encode())])
    second = kobo.read_export(structure, [("h.csv", main.encode())])
    assert [s.uuid for s in first.submissions] == [s.uuid for s in second.submissions]
    assert first.submissions[1].uuid == uuid.uuid5(kobo.UUID_NAMESPACE, "household:index:2")

    main = f"visit_date,_uuid\r\n2024-01-01,{U1}\r\n2024-01-02,{U2}\r\n"
    repeat = f"first_name,_submission__uuid\r\nAna,{U2}\r\n"
    data = kobo.read_export(structure, [("h.csv", main.encode()), (f"{LONG}.csv", repeat.encode())])
    assert [s.data.get(LONG) for s in data.submissions] == [None, [{"first_name": "Ana"}]]


def test_errors_name_file_row_and_column(structure):
    main = f"visit_date,_uuid,_submission_time\r\n01/02/2024,{U1},yesterday\r\nx,{U1},\r\n"
    with pytest.raises(InvalidRows) as refused:
        kobo.read_export(structure, [("h.csv", main.encode())])
    assert refused.value.lines() == [
        "h.csv, row 2, field visit_date: expected a date (YYYY-MM-DD), found 01/02/2024",
        "h.csv, row 2, field _submission_time: expected a date and time, found yesterday",
        "h.csv, row 3, field visit_date: expected a date (YYYY-MM-DD), found x",
        "h.csv, row 3, field _uuid: the same submission as row 2 (same _uuid)",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "a.xls",
            b"\xd0\xcf\x11\xe0" + b"\0" * 100,
            "old Excel (.xls) workbooks are not supported",
        ),
        ("a.csv", "visit_date\r\n2024-01-01\r\n".encode("utf-16"), "binary data"),
        ("a.csv", "visit_date\r\ndéjà\r\n".encode("latin-1"), "not UTF-8 text (byte 14)"),
        ("a.csv", b"   ", "the file is empty"),
        ("a.xlsx", b"visit_date\r\n", "not an XLSX workbook (it is not a zip archive)"),
    ],
)
def test_unreadable_files_are_refused(structure, name, content, message):
    with pytest.raises(FileRefused) as refused:
        kobo.read_export(structure, [(name, content)])
    assert str(refused.value).startswith(f"{name}: {message}")


def test_a_zip_that_would_expand_beyond_the_limit_is_refused(structure):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("h.csv", b"visit_date\r\n" + b" " * (kobo.MAX_FILE_BYTES + 1))
    with pytest.raises(FileRefused) as refused:
        kobo.read_export(structure, [("bomb.zip", archive.getvalue())])
    assert (
        str(refused.value)
        == "bomb.zip: the archive would expand to 100.0 MB; the limit is 100.0 MB"
    )


def test_written_tables_read_back_the_same(structure):
    rows = [
        kobo.ExportRow(
            uuid=U1,
            submitted_at=dt.datetime(2024, 3, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            data={
                "start": "2024-03-01T08:30:05.250+01:00",
                "needs": "food water",
                "gps": "1 2 3 4",
                LONG: [{"first_name": "=cmd", "age": -3, "illness": [{"days": 0.5}]}, {}],
            },
        ),
        kobo.ExportRow(uuid=U2, submitted_at=None, data={"visit_date": "2024-03-02"}),
    ]
    tables = kobo.export_tables(structure, rows, form_id="household")
    assert [(name, header) for name, header, _rows in tables] == [
        (
            "household",
            [
                "start",
                "visit_date",
                "place/gps",
                "place/needs",
                "_uuid",
                "_submission_time",
                "_index",
            ],
        ),
        (
            LONG,
            [
                f"{LONG}/first_name",
                f"{LONG}/age",
                "_index",
                "_parent_table_name",
                "_parent_index",
                "_submission__uuid",
            ],
        ),
        (
            "illness",
            [
                f"{LONG}/illness/days",
                "_index",
                "_parent_table_name",
                "_parent_index",
                "_submission__uuid",
            ],
        ),
    ]
    assert tables[0][2][0][-2:] == ["2024-03-01T09:00:00", 1]
    for writer, name in ((kobo.write_xlsx, "h.xlsx"), (kobo.write_csv_zip, "h.zip")):
        out = io.BytesIO()
        if writer is kobo.write_csv_zip:
            writer(tables, out, form_id="household")
        else:
            writer(tables, out)
        if name == "h.xlsx":
            names = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True).sheetnames
            assert names == ["household", LONG[:31], "illness"]
        else:
            assert zipfile.ZipFile(io.BytesIO(out.getvalue())).namelist() == [
                "household.csv",
                f"household-{LONG}.csv",
                "household-illness.csv",
            ]
        data = kobo.read_export(structure, [(name, out.getvalue())], strict=True)
        assert [s.data for s in data.submissions] == [row.data for row in rows], name
        assert data.submissions[0].submitted_at == dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)


def test_instance_id_and_meta_columns_are_metadata(structure):
    text = (
        "visit_date,meta/instanceID,meta/rootUuid,meta/deprecatedID\r\n"
        f"2024-01-01,uuid:{U1},uuid:{U1},\r\n"
    )
    data = kobo.read_export(structure, [("h.csv", text.encode())], strict=True)
    assert [(str(s.uuid), s.data) for s in data.submissions] == [(U1, {"visit_date": "2024-01-01"})]
    assert data.ignored_columns == {}


def test_a_select_multiple_given_by_its_0_1_columns_alone_is_rebuilt(structure):
    text = f"place.needs.food;place.needs.water;_uuid\r\n1;1;{U1}\r\n0;1;{U2}\r\n0;0;\r\n"
    data = kobo.read_export(structure, [("h.csv", text.encode())], strict=True)
    assert [s.data for s in data.submissions] == [
        {"needs": "food water"},
        {"needs": "water"},
        {},
    ]


@dataclass(frozen=True)
class PlainQuestion:
    name: str
    type: str
    kind: str = ""
    path: tuple[str, ...] = ()
    repeat: str = ""

    @property
    def full_path(self) -> str:
        return "/".join((*self.path, self.name))


class PlainForm:
    """Not the surveys app's structure: any object with the attributes of kobo.Form."""

    form_id = "plain"

    def __init__(self, questions):
        self.questions = questions
        self.by_name = {q.name: q for q in questions}
        self.repeat_nodes = {}

    def repeat_parent(self, repeat):
        return ""


def test_any_object_with_the_attributes_of_a_form_is_read_and_written():
    form = PlainForm(
        [
            PlainQuestion("age", "integer", path=("person",)),
            PlainQuestion("needs", "select_multiple", kind="select_multiple"),
        ]
    )
    text = f"person/age,needs/food,needs/water,_uuid\n7,1,0,{U1}\n"
    data = kobo.read_export(form, [("plain.csv", text.encode())], strict=True)
    assert [(str(s.uuid), s.data) for s in data.submissions] == [(U1, {"age": 7, "needs": "food"})]
    rows = [kobo.ExportRow(uuid=U1, submitted_at=None, data={"age": 7, "needs": "food"})]
    assert kobo.export_tables(form, rows, form_id="plain") == [
        (
            "plain",
            ["person/age", "needs", "_uuid", "_submission_time", "_index"],
            [[7, "food", U1, None, 1]],
        ),
    ]
