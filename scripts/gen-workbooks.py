"""Generates workbooks of N customers for the memory figures of README "Input files" (Workbooks).

    python3 scripts/gen-workbooks.py xlsx|ods|xls N OUT

Six columns (email, name, zip code as text, 15-digit phone as a number, city, note), every row
valid. `xlsx` keeps texts in a shared-strings table as Excel does; `ods` and `xlsx` need only
the standard library; `xls` needs the `xlwt` package (`pip install xlwt`; at most 65,535 rows).
The figures were measured as peak RSS of
`/usr/bin/time -f %M target/release/ecwid-import validate -q OUT -o /tmp/out.csv`.
"""
import sys, zipfile, random
kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
HEAD = ["email", "name", "billingPerson.postalCode", "billingPerson.phone", "billingPerson.city", "privateAdminNotes"]
def rows():
    for i in range(n):
        yield [f"customer{i}@example.com", f"Customer Number {i}", f"{i%100000:05d}", 491700000000000 + i, random.choice(["Berlin","Paris","Madrid","Rome"]), f"note {i*7}"]
if kind == "xls":
    import xlwt
    wb = xlwt.Workbook(); ws = wb.add_sheet("Customers")
    for c, h in enumerate(HEAD): ws.write(0, c, h)
    for r, row in enumerate(rows(), 1):
        for c, v in enumerate(row): ws.write(r, c, v)
    wb.save(out)
elif kind == "ods":
    def cell(v):
        if isinstance(v, int):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
    parts = ['<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Customers">']
    parts.append("<table:table-row>" + "".join(cell(h) for h in HEAD) + "</table:table-row>")
    for row in rows():
        parts.append("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>")
    parts.append("</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
        z.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
elif kind == "xlsx":
    strings = {}
    def sidx(s):
        if s not in strings: strings[s] = len(strings)
        return strings[s]
    def colname(c): return "ABCDEFGHIJ"[c]
    body = []
    def addrow(r, row):
        cells = []
        for c, v in enumerate(row):
            ref = f"{colname(c)}{r}"
            if isinstance(v, int): cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else: cells.append(f'<c r="{ref}" t="s"><v>{sidx(v)}</v></c>')
        body.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    addrow(1, HEAD)
    for r, row in enumerate(rows(), 2): addrow(r, row)
    from xml.sax.saxutils import escape
    sst = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(strings), len(strings)) + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>"
    sheet = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + "".join(body) + "</sheetData></worksheet>"
    ct = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    rels = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    wb = '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>'
    wbrels = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct); z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb); z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        z.writestr("xl/worksheets/sheet1.xml", sheet); z.writestr("xl/sharedStrings.xml", sst)
