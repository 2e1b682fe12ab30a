#!/usr/bin/env python3
"""mkseeds.py - writes the seed corpora of the fuzz targets (tests/fuzz/corpus/NAME/seed-*).

Run by hand from the repository root after a change to the input layouts of
the targets (tests/fuzz/*.c say how the first byte is read):
    python3 tests/fuzz/mkseeds.py SHARED_DIR NAWAT_BINARY
Seeds come from the conformance suite, the command-line cases and the XLSX
fixtures, plus hand-made edge cases.  Entries that libFuzzer adds
(`make fuzz`) are named by their SHA-1 and are not touched here."""
import io, json, os, subprocess, sys, tempfile, zipfile, glob

shared, nawat = sys.argv[1], os.path.abspath(sys.argv[2])
root = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(root, 'corpus')
SEP = b'\xff'

def put(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)

def read(p):
    with open(p, 'rb') as f:
        return f.read()

std = json.loads(subprocess.run([nawat, 'standard'], check=True, capture_output=True).stdout)
datasets = [r for r in std['resources'] if 'schema' in r and 'primaryKey' in r['schema']]
order = [r['name'] for r in datasets]
fields = {r['name']: [f['name'] for f in r['schema']['fields']] for r in datasets}

# real files: conformance base and cases, command-line cases
csvs = []
for p in sorted(glob.glob(os.path.join(shared, 'spec/conformance/base/*.csv'))):
    csvs.append(('base-' + os.path.basename(p)[:-4], os.path.basename(p)[:-4], read(p)))
for p in sorted(glob.glob(os.path.join(shared, 'spec/conformance/cases/*/*.csv'))):
    if os.path.basename(p) != 'expected.csv':
        case = os.path.basename(os.path.dirname(p))
        csvs.append(('conf-' + case, os.path.basename(p)[:-4], read(p)))
for p in sorted(glob.glob('tests/cases/*/*.csv') + glob.glob('tests/cases/*/*/*.csv')):
    rel = os.path.relpath(p, 'tests/cases').replace('/', '-')[:-4]
    csvs.append(('case-' + rel, os.path.basename(p)[:-4], read(p)))

# ---- CSV reader: first byte = encoding (0 auto, 1 UTF-8, 2 TIS-620) | sink stop << 2
for name, ds, data in csvs:
    put('csv', name, b'\x00' + data)
put('csv', 'tis620-forced', b'\x02' + 'รหัส,ชื่อ\n1,โรงเรียน\n'.encode('tis-620'))
put('csv', 'tis620-auto', b'\x00' + 'รหัส,ชื่อ\n1,โรงเรียน\n'.encode('tis-620'))
put('csv', 'utf8-forced-tis-bytes', b'\x01' + 'a,b\n1,ก\n'.encode('tis-620'))
put('csv', 'bom-crlf', b'\x00\xef\xbb\xbfa,b\r\n1,2\r\n')
put('csv', 'bom-only', b'\x00\xef\xbb\xbf')
put('csv', 'empty', b'\x00')
put('csv', 'header-only', b'\x00a,b,c')
put('csv', 'cr-only', b'\x00a,b\r1,2\r3,4\r')
put('csv', 'quotes', b'\x00a,b\n"x ""quoted"", y","multi\nline\r\nfield"\n"",""\n')
put('csv', 'unterminated-quote', b'\x00a,b\n"never closed,2\n')
put('csv', 'quote-in-field', b'\x00a,b\nab"c,d\n')
put('csv', 'blank-lines', b'\x00\n\n  \na,b\n\n1,2\n \t \n3,4\n')
put('csv', 'ragged', b'\x00a,b,c\n1\n1,2,3,4,5\n,,\n')
put('csv', 'nul-bytes', b'\x00a,b\n1\x00,2\n')
put('csv', 'bad-utf8-mid', b'\x01a,b\n1,\xe0\xb8\n2,\xc0\xaf\n')
put('csv', 'truncated-utf8-end', b'\x00a,b\n1,\xe0\xb8')
put('csv', 'many-columns', b'\x00' + b','.join(b'c%d' % i for i in range(1030)) + b'\n')
put('csv', 'huge-field', b'\x00a,b\n"' + b'x' * 70000 + b'",1\n')
put('csv', 'sink-stops', b'\x08a,b\n1,2\n3,4\n5,6\n')
put('csv', 'thai-nbsp', b'\x00a,b\n\xc2\xa0 1 \xc2\xa0,\xe0\xb8\x81\n')

# ---- JSON reader: same first byte
for p in sorted(glob.glob('tests/cases/*/*.json') + glob.glob('tests/cases/*/*.ndjson')):
    put('json', 'case-' + os.path.basename(p), b'\x00' + read(p))
tmp = tempfile.mkdtemp()
db = os.path.join(tmp, 's.db')
subprocess.run([nawat, '--db', db, 'init'], check=True, capture_output=True)
subprocess.run([nawat, '--db', db, 'import', '--report', os.path.join(tmp, 'r.csv'), '--dir',
                os.path.join(shared, 'spec/conformance/base')], check=True, capture_output=True)
exports = {}
for ds in ('areas', 'schools', 'students', 'outcomes'):
    for fmt in ('json', 'ndjson', 'xlsx'):
        out = os.path.join(tmp, ds + '.' + fmt)
        subprocess.run([nawat, '--db', db, 'export', ds, '--format', fmt, '--out', out], check=True,
                       capture_output=True)
        exports[(ds, fmt)] = read(out)
        if fmt != 'xlsx':
            put('json', 'export-%s.%s' % (ds, fmt), b'\x00' + exports[(ds, fmt)])
templates = {}
for ds in ('students', 'outcomes', 'committees'):
    out = os.path.join(tmp, 'tpl-' + ds + '.xlsx')
    subprocess.run([nawat, 'template', ds, '--out', out], check=True, capture_output=True)
    templates[ds] = read(out)
subprocess.run(['rm', '-rf', tmp], check=True)
j = lambda s: b'\x00' + s.encode()
put('json', 'array-empty', j('[]'))
put('json', 'nested', j('[{"a":{"b":[1,2,{"c":"}"}]},"d":"x]"}]'))
put('json', 'duplicate-key', j('{"a":1,"a":2}\n'))
put('json', 'escapes', j('{"a":"\\u0e01\\ud83d\\ude00\\n\\"","b":"\\ud800"}\n'))
put('json', 'numbers', j('{"a":1e308,"b":-0.0,"c":123456789012345678901234567890,"d":1.5e-320,"e":true,"f":false,"g":null}\n'))
put('json', 'unterminated', j('[{"a":1},{"b":'))
put('json', 'stray-close', j(']{"a":1}'))
put('json', 'scalar', j('"just a string"'))
put('json', 'deep', j('[{"a":' + '[' * 3000 + ']' * 3000 + '}]'))
put('json', 'bom', b'\x00\xef\xbb\xbf{"a":"b"}\n')
put('json', 'tis620', b'\x02' + '{"a":"โรงเรียน"}\n'.encode('tis-620'))
put('json', 'ndjson-crlf', j('{"a":1}\r\n{"a":2,"b":"x"}\r\n\r\n{"c":3}'))
put('json', 'new-keys-later', j('[{"a":1},{"b":2},{"c":3,"a":4}]'))
put('json', 'sink-stops', b'\x04[{"a":1},{"a":2},{"a":3}]')

# ---- XLSX reader: first byte bit 0 = raw zip, else parts split at 0xFF
# (sheet, shared strings, styles, workbook, workbook rels, root rels)
M = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
def parts_of(z):
    zf = zipfile.ZipFile(io.BytesIO(z))
    names = {n.lower(): n for n in zf.namelist()}
    def get(n):
        return zf.read(names[n]) if n in names else None
    seq = [get('xl/worksheets/sheet1.xml'), get('xl/sharedstrings.xml'), get('xl/styles.xml'),
           get('xl/workbook.xml'), get('xl/_rels/workbook.xml.rels'), get('_rels/.rels')]
    return SEP.join(p if p is not None else b'' for p in seq)
raw = {}
for p in sorted(glob.glob('tests/fixtures/xlsx/*/*.xlsx')):
    raw['%s-%s' % (os.path.basename(os.path.dirname(p)), os.path.basename(p)[:-5])] = read(p)
for (ds, fmt), data in exports.items():
    if fmt == 'xlsx':
        raw['export-' + ds] = data
for ds, data in templates.items():
    raw['template-' + ds] = data
for name, data in raw.items():
    put('xlsx', 'raw-' + name, b'\x01' + data)
    put('xlsx', 'parts-' + name, b'\x00' + parts_of(data))
def sheet(rows):
    return ('<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (M, rows)).encode()
def sst(items):
    return ('<sst xmlns="%s">%s</sst>' % (M, ''.join('<si><t>%s</t></si>' % i for i in items))).encode()
def wb(pr=''):
    return ('<workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '%s<sheets><sheet name="students" sheetId="1" r:id="rId1"/></sheets></workbook>' % (M, pr)).encode()
date_styles = ('<styleSheet xmlns="%s"><numFmts count="1"><numFmt numFmtId="164" formatCode="d/m/yyyy"/></numFmts>'
               '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>' % M).encode()
hdr = '<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>'
put('xlsx', 'sst-out-of-range', b'\x00' + SEP.join([sheet(hdr + '<row r="2"><c t="s"><v>99</v></c></row>'), sst(['a', 'b', 'c'])]))
put('xlsx', 'sst-negative', b'\x00' + SEP.join([sheet(hdr + '<row r="2"><c t="s"><v>-1</v></c></row>'), sst(['a', 'b', 'c'])]))
put('xlsx', 'sst-missing', b'\x00' + sheet(hdr))
put('xlsx', 'dates-1900', b'\x00' + SEP.join([sheet(hdr + '<row r="2"><c s="1"><v>60</v></c><c s="2"><v>45000.5</v></c><c><v>1</v></c></row>'), sst(['a', 'b', 'c']), date_styles]))
put('xlsx', 'dates-1904', b'\x00' + SEP.join([sheet(hdr + '<row r="2"><c s="1"><v>0</v></c><c s="2"><v>-1</v></c><c><v>2958465</v></c></row>'), sst(['a', 'b', 'c']), date_styles, wb('<workbookPr date1904="1"/>')]))
put('xlsx', 'inline-types', b'\x00' + sheet('<row><c t="inlineStr"><is><t>a</t><r><t>b</t></r><rPh><t>x</t></rPh></is></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2024-01-02T00:00:00</v></c><c t="str"><v>f</v></c><c><v>1.101700123456E+12</v></c></row><row><c><v>1E+300</v></c><c><v>-0.000001</v></c><c><v>abc</v></c></row>'))
put('xlsx', 'sparse', b'\x00' + sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c></row><row r="5"><c r="D5"><v>4</v></c></row><row r="7"/>'))
put('xlsx', 'rows-out-of-order', b'\x00' + sheet('<row r="3"><c><v>1</v></c></row><row r="2"><c><v>2</v></c></row>'))
put('xlsx', 'cells-out-of-order', b'\x00' + sheet('<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>'))
put('xlsx', 'far-column', b'\x00' + sheet('<row r="1"><c r="XFD1"><v>1</v></c><c r="ZZZZZZZZ1"><v>2</v></c></row>'))
put('xlsx', 'thai-row-ref', b'\x00' + sheet('<row r="' + 'ก' * 30 + '"><c><v>1</v></c></row>'))
put('xlsx', 'doctype-entities', b'\x00' + b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + sheet('<row><c t="inlineStr"><is><t>&b;</t></is></c></row>'))
put('xlsx', 'no-sheets', b'\x00' + SEP.join([sheet(''), b'', b'', ('<workbook xmlns="%s"><sheets/></workbook>' % M).encode()]))
put('xlsx', 'bad-xml', b'\x00<worksheet><sheetData><row><c>')
put('xlsx', 'small-limits', b'\x20' + sheet(''.join('<row><c t="inlineStr"><is><t>%s</t></is></c></row>' % ('x' * 100) for _ in range(800))))
put('xlsx', 'sst-limit', b'\x20' + SEP.join([sheet(hdr), sst(['y' * 600, 'z' * 600, 'w'])]))
put('xlsx', 'sink-stops', b'\x08' + sheet(''.join('<row><c><v>%d</v></c></row>' % i for i in range(50))))
put('xlsx', 'want-schools', b'\x40' + SEP.join([sheet(hdr), b'', b'', ('<workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="hidden" state="hidden" sheetId="2" r:id="rId1"/><sheet name="Schools" sheetId="1" r:id="rId1"/></sheets></workbook>' % M).encode()]))
# a zip bomb within limits: 8 MiB of rows deflating to a few KB, refused under the small limits
bomb = io.BytesIO()
with zipfile.ZipFile(bomb, 'w', zipfile.ZIP_DEFLATED) as zf:
    zf.writestr('_rels/.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    zf.writestr('xl/workbook.xml', wb())
    zf.writestr('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    zf.writestr('xl/worksheets/sheet1.xml', sheet('<row/>' * (8 << 17)))
put('xlsx', 'zip-bomb-small-limits', b'\x21' + bomb.getvalue())
put('xlsx', 'not-a-zip', b'\x01PK\x03\x04garbage')
put('xlsx', 'old-xls', b'\x01\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\x00' * 64)
damaged = bytearray(raw['libreoffice-students'])
damaged[len(damaged) // 2] ^= 0x55
put('xlsx', 'raw-damaged', b'\x01' + bytes(damaged))
put('xlsx', 'raw-truncated', b'\x01' + raw['libreoffice-students'][:len(raw['libreoffice-students']) // 2])

# ---- validator: first byte = data set index; cells in field order separated by \n, \x01 = no column
import csv as csvmod
for name, ds, data in csvs:
    if ds not in order:
        continue
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError:
        continue
    rows = list(csvmod.reader(io.StringIO(text)))
    if not rows:
        continue
    head = rows[0]
    for k, row in enumerate(rows[1:4]):
        cells = []
        for f in fields[ds]:
            cells.append(row[head.index(f)] if f in head and head.index(f) < len(row) else '\x01')
        put('validate', '%s-%d' % (name, k), bytes([order.index(ds)]) + '\n'.join(cells).encode())
for i, ds in enumerate(order):
    put('validate', 'empty-' + ds, bytes([i]) + b'\n' * (len(fields[ds]) - 1))
    put('validate', 'absent-' + ds, bytes([i]) + b'\n'.join([b'\x01'] * len(fields[ds])))
    put('validate', 'long-' + ds, bytes([i]) + '\n'.join(['ก' * 70 + '9' * 40] * len(fields[ds])).encode())
put('validate', 'students-edge', bytes([order.index('students')]) + '\n'.join(
    ['1101700123456', '1050140101', '2567', '214', '1', '2567-02-29', '0', '0']).encode())
put('validate', 'outcomes-edge', bytes([order.index('outcomes')]) + '\n'.join(
    ['G123456789012', '1050140101', '99999999999999999999', '3', 'K', 'MAT', 'SCH', '1e5', '-0.0']).encode())

# ---- import: first byte = data set | format << 4 (0 CSV, 1 JSON, 2 XLSX parts, 3 XLSX file)
#      | 0x40 accept valid | 0x80 deletion
for name, ds, data in csvs:
    if ds in order:
        put('import', 'csv-' + name, bytes([order.index(ds)]) + data)
for name, ds, data in csvs[:4]:
    put('import', 'accept-' + name, bytes([order.index(ds) | 0x40]) + data)
    put('import', 'delete-' + name, bytes([order.index(ds) | 0x80]) + data)
for (ds, fmt), data in exports.items():
    kind = {'json': 1, 'ndjson': 1, 'xlsx': 3}[fmt]
    put('import', 'export-%s.%s' % (ds, fmt), bytes([order.index(ds) | kind << 4]) + data)
    if fmt == 'xlsx':
        put('import', 'parts-export-' + ds, bytes([order.index(ds) | 2 << 4]) + parts_of(data))
for p in sorted(glob.glob('tests/fixtures/xlsx/*/*.xlsx')):
    ds = os.path.basename(p)[:-5]
    who = os.path.basename(os.path.dirname(p))
    put('import', 'xlsx-%s-%s' % (who, ds), bytes([order.index(ds) | 3 << 4]) + read(p))
for p in sorted(glob.glob('tests/cases/*/*.json') + glob.glob('tests/cases/*/*.ndjson')):
    put('import', 'json-' + os.path.basename(p), bytes([order.index('outcomes') | 1 << 4]) + read(p))
