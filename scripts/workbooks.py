"""Writes workbooks without a spreadsheet application: the checked-in workbooks of the workbook
tests, and workbooks of N customers for the memory figures of docs/files-and-columns.md (Workbooks)
and BENCHMARKS.md. An .ods or .xlsx file is a ZIP archive of a few XML files, written here with
the standard library; an .xls file needs the `xlwt` package (`pip install xlwt`). Run from the
repository root:

    python3 scripts/workbooks.py test-data
    python3 scripts/workbooks.py bench xlsx|ods|xls N OUT

`test-data` writes tests/data/workbooks/customers.ods and customers.xls (the .xlsx ones are
made by the tests themselves). The sheet "Customers" has text zip codes with leading zeros,
15-digit phones as numbers, a date and a date-time, a formula with its cached value, an empty
row and an invalid email; the sheet "Second" has one more customer. The .xls has the same cells
but the formula (xlwt computes none).

`bench` writes N customers in six columns (email, name, zip code as text, 15-digit phone as a
number, city, note), every row valid. `xlsx` keeps texts in a shared-strings table as Excel
does; `xls` holds at most 65,535 rows. The figures were measured as peak RSS of
`time -f %M target/release/ecwid-import validate -q OUT -o out.csv` (GNU time).
"""

import datetime
import random
import sys
import zipfile
from xml.sax.saxutils import escape

# The OpenDocument spreadsheet, shared by both entry points.

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'office:version="1.2"'
)
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_text(value):
    return (
        '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
        % value
    )


def ods_number(value):
    return (
        '<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p>'
        "</table:table-cell>" % (value, value)
    )


def ods_date(value):
    return (
        '<table:table-cell office:value-type="date" office:date-value="%s"><text:p>%s</text:p>'
        "</table:table-cell>" % (value, value)
    )


def ods_formula(expression, cached):
    return (
        '<table:table-cell table:formula="%s" office:value-type="string" '
        'office:string-value="%s"><text:p>%s</text:p></table:table-cell>'
        % (expression, cached, cached)
    )


def ods_row(*cells):
    return "<table:table-row>%s</table:table-row>" % "".join(cells)


def write_ods(path, sheets):
    """Writes an .ods file of `sheets`, each a (name, rows) pair of a name and row elements."""
    tables = "".join(
        '<table:table table:name="%s">%s</table:table>' % (name, "".join(rows))
        for name, rows in sheets
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<office:document-content %s><office:body><office:spreadsheet>%s"
        "</office:spreadsheet></office:body></office:document-content>" % (ODS_NS, tables)
    )
    with zipfile.ZipFile(path, "w") as ods:
        # The mimetype comes first and uncompressed, as OpenDocument asks.
        ods.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        ods.writestr("META-INF/manifest.xml", ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        ods.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


# test-data: the checked-in workbooks of tests/it/workbooks.rs.

TEST_HEADER = ["email", "name", "billingPerson.postalCode", "billingPerson.phone", "privateAdminNotes"]


def write_test_ods(path):
    header = ods_row(*(ods_text(name) for name in TEST_HEADER))
    customers = [
        header,
        ods_row(
            ods_text("ann@example.com"),
            ods_formula("of:=&quot;Ann&quot;&amp;&quot; Lee&quot;", "Ann Lee"),
            ods_text("01067"),
            ods_number("491701234567890"),
            ods_date("2024-03-05"),
        ),
        '<table:table-row><table:table-cell table:number-columns-repeated="5"/></table:table-row>',
        ods_row(
            ods_text("bob@example.com"),
            ods_text("Bob Stone"),
            ods_text("02134"),
            ods_number("15551234567"),
            ods_date("2024-03-05T10:30:00"),
        ),
        ods_row(
            ods_text("not-an-email"),
            ods_text("Nobody"),
            ods_text("00501"),
            ods_number("4930123456"),
            ods_text(""),
        ),
    ]
    second = [
        header,
        ods_row(
            ods_text("cy@example.com"),
            ods_text("Cy Young"),
            ods_text("00601"),
            ods_number("17875550100"),
            ods_text("second sheet"),
        ),
    ]
    write_ods(path, [("Customers", customers), ("Second", second)])


def write_test_xls(path):
    import xlwt

    book = xlwt.Workbook()
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    date_time = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    sheet = book.add_sheet("Customers")
    for col, name in enumerate(TEST_HEADER):
        sheet.write(0, col, name)
    ann = ["ann@example.com", "Ann Lee", "01067", 491701234567890]
    for col, value in enumerate(ann):
        sheet.write(1, col, value)
    sheet.write(1, 4, datetime.date(2024, 3, 5), date)
    # Row 3 of the sheet is blank.
    bob = ["bob@example.com", "Bob Stone", "02134", 15551234567]
    for col, value in enumerate(bob):
        sheet.write(3, col, value)
    sheet.write(3, 4, datetime.datetime(2024, 3, 5, 10, 30), date_time)
    for col, value in enumerate(["not-an-email", "Nobody", "00501", 4930123456]):
        sheet.write(4, col, value)
    second = book.add_sheet("Second")
    for col, name in enumerate(TEST_HEADER):
        second.write(0, col, name)
    for col, value in enumerate(["cy@example.com", "Cy Young", "00601", 17875550100, "second sheet"]):
        second.write(1, col, value)
    book.save(path)


def test_data(folder="tests/data/workbooks"):
    write_test_ods(folder + "/customers.ods")
    write_test_xls(folder + "/customers.xls")


# bench: N customers, for the memory figures.

BENCH_HEADER = [
    "email",
    "name",
    "billingPerson.postalCode",
    "billingPerson.phone",
    "billingPerson.city",
    "privateAdminNotes",
]


def bench_rows(n):
    for i in range(n):
        yield [
            f"customer{i}@example.com",
            f"Customer Number {i}",
            f"{i % 100000:05d}",
            491700000000000 + i,
            random.choice(["Berlin", "Paris", "Madrid", "Rome"]),
            f"note {i * 7}",
        ]


def bench_ods(n, out):
    def cell(value):
        return ods_number(value) if isinstance(value, int) else ods_text(value)

    rows = [ods_row(*(cell(h) for h in BENCH_HEADER))]
    rows.extend(ods_row(*(cell(v) for v in row)) for row in bench_rows(n))
    write_ods(out, [("Customers", rows)])


def bench_xls(n, out):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Customers")
    for col, name in enumerate(BENCH_HEADER):
        sheet.write(0, col, name)
    for r, row in enumerate(bench_rows(n), 1):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    book.save(out)


XLSX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
XLSX_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
XLSX_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def bench_xlsx(n, out):
    strings = {}

    def string_index(text):
        if text not in strings:
            strings[text] = len(strings)
        return strings[text]

    body = []

    def add_row(r, row):
        cells = []
        for c, value in enumerate(row):
            ref = f"{'ABCDEFGHIJ'[c]}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{string_index(value)}</v></c>')
        body.append(f'<row r="{r}">' + "".join(cells) + "</row>")

    add_row(1, BENCH_HEADER)
    for r, row in enumerate(bench_rows(n), 2):
        add_row(r, row)
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'count="%d" uniqueCount="%d">' % (len(strings), len(strings))
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + "".join(body) + "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", XLSX_CONTENT_TYPES)
        z.writestr("_rels/.rels", XLSX_RELS)
        z.writestr("xl/workbook.xml", XLSX_WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", shared)


BENCH = {"xlsx": bench_xlsx, "ods": bench_ods, "xls": bench_xls}


def main(args):
    if args[:1] == ["test-data"] and len(args) <= 2:
        test_data(*args[1:])
    elif len(args) == 4 and args[0] == "bench" and args[1] in BENCH and args[2].isdigit():
        BENCH[args[1]](int(args[2]), args[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
