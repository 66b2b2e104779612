"""Writes tests/data/workbooks/customers.ods and customers.xls: the checked-in workbooks of the
workbook tests (the .xlsx ones are made by the tests themselves).

A spreadsheet application is not needed: an .ods file is a ZIP archive of a few XML files.
The sheet "Customers" has text zip codes with leading zeros, 15-digit phones as numbers, a
date and a date-time, a formula with its cached value, an empty row and an invalid email; the
sheet "Second" has one more customer. The .xls has the same cells but the formula (xlwt
computes none), and needs the `xlwt` package (`pip install xlwt`). Run from the repository root:

    python3 scripts/make_test_workbooks.py
"""

import zipfile

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'office:version="1.2"'
)


def text(value):
    return (
        '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
        % value
    )


def number(value):
    return (
        '<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p>'
        "</table:table-cell>" % (value, value)
    )


def date(value):
    return (
        '<table:table-cell office:value-type="date" office:date-value="%s"><text:p>%s</text:p>'
        "</table:table-cell>" % (value, value)
    )


def formula(expression, cached):
    return (
        '<table:table-cell table:formula="%s" office:value-type="string" '
        'office:string-value="%s"><text:p>%s</text:p></table:table-cell>'
        % (expression, cached, cached)
    )


def row(*cells):
    return "<table:table-row>%s</table:table-row>" % "".join(cells)


HEADER = row(
    text("email"),
    text("name"),
    text("billingPerson.postalCode"),
    text("billingPerson.phone"),
    text("privateAdminNotes"),
)
CUSTOMERS = [
    HEADER,
    row(
        text("ann@example.com"),
        formula("of:=&quot;Ann&quot;&amp;&quot; Lee&quot;", "Ann Lee"),
        text("01067"),
        number("491701234567890"),
        date("2024-03-05"),
    ),
    '<table:table-row><table:table-cell table:number-columns-repeated="5"/></table:table-row>',
    row(
        text("bob@example.com"),
        text("Bob Stone"),
        text("02134"),
        number("15551234567"),
        date("2024-03-05T10:30:00"),
    ),
    row(text("not-an-email"), text("Nobody"), text("00501"), number("4930123456"), text("")),
]
SECOND = [HEADER, row(text("cy@example.com"), text("Cy Young"), text("00601"), number("17875550100"), text("second sheet"))]


def sheet(name, rows):
    return '<table:table table:name="%s">%s</table:table>' % (name, "".join(rows))


CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    "<office:document-content %s><office:body><office:spreadsheet>%s%s"
    "</office:spreadsheet></office:body></office:document-content>"
    % (NS, sheet("Customers", CUSTOMERS), sheet("Second", SECOND))
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)

with zipfile.ZipFile("tests/data/workbooks/customers.ods", "w") as ods:
    # The mimetype comes first and uncompressed, as OpenDocument asks.
    ods.writestr(
        zipfile.ZipInfo("mimetype"),
        "application/vnd.oasis.opendocument.spreadsheet",
        compress_type=zipfile.ZIP_STORED,
    )
    ods.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
    ods.writestr("content.xml", CONTENT, compress_type=zipfile.ZIP_DEFLATED)


def write_xls():
    import datetime

    import xlwt

    book = xlwt.Workbook()
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    date_time = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    header = ["email", "name", "billingPerson.postalCode", "billingPerson.phone", "privateAdminNotes"]
    sheet = book.add_sheet("Customers")
    for col, name in enumerate(header):
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
    for col, name in enumerate(header):
        second.write(0, col, name)
    for col, value in enumerate(["cy@example.com", "Cy Young", "00601", 17875550100, "second sheet"]):
        second.write(1, col, value)
    book.save("tests/data/workbooks/customers.xls")


write_xls()
