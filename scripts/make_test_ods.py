"""Writes tests/data/workbooks/customers.ods: the OpenDocument workbook of the workbook tests.

A spreadsheet application is not needed: an .ods file is a ZIP archive of a few XML files.
The sheet "Customers" has text zip codes with leading zeros, 15-digit phones as numbers, a
date and a date-time, a formula with its cached value, an empty row and an invalid email; the
sheet "Second" has one more customer. Run from the repository root:

    python3 scripts/make_test_ods.py
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
