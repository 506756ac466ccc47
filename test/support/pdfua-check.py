"""
Checks PDFs against the machine-checkable failure conditions of PDF/UA-1 (ISO 14289-1), named by their
Matterhorn Protocol numbers, and with --pdfa against the metadata rules of PDF/A-3 (ISO 19005-3, 6.6.2.3):
the document information dictionary and the XMP packet must say the same, and a property of a schema that
PDF/A does not predefine (pdfuaid) must be described by an extension schema.

A file is held to the PDF/A rules when its XMP claims PDF/A (pdfaid:part). The PDFs are read with pikepdf
(qpdf), which nobody on omnidoc wrote. Usage:
    python3 pdfua-check.py FILE.pdf...
prints one JSON object with, for each file, its failures as [id, message] pairs (empty when it passes) and
what was read on the way: the heading levels in order, each Link element's annotations, each TH's Scope.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pikepdf

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}

# Operators that put something on the page (ISO 32000-1, tables 51, 59, 77, 87, 92): each must lie inside
# marked content that is either tagged (has an MCID) or an Artifact.
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
TABLE_PARTS = {"TR", "THead", "TBody", "TFoot"}


def q(prefix, name):
    return "{%s}%s" % (NS[prefix], name)


class Report:
    def __init__(self):
        self.failures = []
        self.headings = []
        self.links = []
        self.scopes = []

    def fail(self, ident, message):
        if [ident, message] not in self.failures:
            self.failures.append([ident, message])


# ---------------------------------------------------------------- XMP


def xmp_tree(pdf, report):
    meta = pdf.Root.get("/Metadata")
    if meta is None:
        report.fail("06-001", "the document has no XMP metadata stream")
        return None
    try:
        return ET.fromstring(meta.read_bytes())
    except ET.ParseError as e:
        report.fail("06-001", "the XMP metadata stream is not well-formed XML: %s" % e)
        return None


def xmp_values(tree, prefix, name):
    """Every value of a property: simple (element or attribute form), or the items of an Alt, Seq or Bag."""
    out = []
    for desc in tree.iter(q("rdf", "Description")):
        attr = desc.get(q(prefix, name))
        if attr is not None:
            out.append(attr)
        for el in desc.findall(q(prefix, name)):
            items = el.findall("./*/" + q("rdf", "li"))
            if items:
                out.extend((li.text or "") for li in items)
            else:
                out.append(el.text or "")
    return out


def xmp_default(tree, prefix, name):
    """The x-default item of a language alternative, or the one value of a simple property."""
    for desc in tree.iter(q("rdf", "Description")):
        for el in desc.findall(q(prefix, name)):
            for li in el.findall("./*/" + q("rdf", "li")):
                if li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default":
                    return li.text or ""
    values = xmp_values(tree, prefix, name)
    return values[0] if len(values) == 1 else None


def check_metadata(pdf, tree, report):
    if tree is None:
        return
    if xmp_values(tree, "pdfuaid", "part") != ["1"]:
        report.fail("06-002", "the XMP metadata has no PDF/UA identifier pdfuaid:part = 1")
    if not any(v.strip() for v in xmp_values(tree, "dc", "title")):
        report.fail("06-003", "the XMP metadata has no dc:title")


# ---------------------------------------------------------------- catalog


def check_catalog(pdf, report):
    root = pdf.Root
    prefs = root.get("/ViewerPreferences")
    if prefs is None or "/DisplayDocTitle" not in prefs:
        report.fail("07-001", "ViewerPreferences has no DisplayDocTitle entry")
    elif not bool(prefs.DisplayDocTitle):
        report.fail("07-002", "ViewerPreferences' DisplayDocTitle is false")
    mark = root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        report.fail("UA1-7.1", "the catalog's MarkInfo does not say Marked true (a tagged PDF)")
    elif bool(mark.get("/Suspects", False)):
        report.fail("01-007", "MarkInfo's Suspects entry is true")
    lang = root.get("/Lang")
    if lang is None or str(lang).strip() == "":
        report.fail("11-001", "the catalog has no Lang: the natural language of the text cannot be determined")


# ---------------------------------------------------------------- structure tree


def number_tree(node, out):
    if node is None:
        return out
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        number_tree(kid, out)
    return out


def kids(el):
    k = el.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(obj):
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def role(el, role_map):
    s = str(el.S)[1:]
    seen = set()
    while s in role_map and s not in seen:
        seen.add(s)
        s = role_map[s]
    return s


def attributes(el, owner):
    """The attribute dictionaries of `el` owned by `owner` (`Table`, `Layout`, …)."""
    a = el.get("/A")
    if a is None:
        return []
    dicts = list(a) if isinstance(a, pikepdf.Array) else [a]
    return [d for d in dicts if isinstance(d, pikepdf.Dictionary) and d.get("/O") == pikepdf.Name("/" + owner)]


def attribute(el, owner, name, default=None):
    for d in attributes(el, owner):
        if "/" + name in d:
            return d["/" + name]
    return default


def check_table(table, role_of, report):
    rows = []

    def collect(el):
        for k in kids(el):
            if not is_element(k):
                continue
            r = role_of(k)
            if r == "TR":
                rows.append(k)
                for cell in kids(k):
                    if is_element(cell) and role_of(cell) not in ("TH", "TD"):
                        report.fail("09-004", "a TR holds a %s instead of TH or TD cells" % role_of(cell))
            elif r in ("THead", "TBody", "TFoot"):
                collect(k)
            elif r != "Caption":
                report.fail("09-004", "a Table holds a %s" % r)

    collect(table)
    # Every row spans as many columns as the others, cells spanning rows below counted (ISO 32000-1, 14.8.5.7).
    widths = []
    carried = []
    for tr in rows:
        width = len([c for c in carried if c > 0])
        carried = [c - 1 for c in carried if c > 1]
        for cell in kids(tr):
            if not is_element(cell):
                continue
            cols = int(attribute(cell, "Table", "ColSpan", 1))
            rows_spanned = int(attribute(cell, "Table", "RowSpan", 1))
            width += cols
            carried.extend([rows_spanned - 1] * cols if rows_spanned > 1 else [])
        widths.append(width)
    if len(set(widths)) > 1:
        report.fail("09-004", "the rows of a table span different numbers of columns: %s" % widths)


def check_structure(pdf, report):
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        report.fail("01-005", "the document has no structure tree: no content is tagged")
        return {}
    role_map = {str(k)[1:]: str(v)[1:] for k, v in root.get("/RoleMap", {}).items()}
    role_of = lambda el: role(el, role_map)
    headings = report.headings
    uses_h = False
    has_headers_ids = False
    th = []

    def walk(el, parent_role):
        nonlocal uses_h, has_headers_ids
        r = role_of(el)
        m = re.fullmatch(r"H([1-9])", r)
        if m:
            headings.append(int(m.group(1)))
        if r == "H":
            uses_h = True
        if r == "Figure" and not str(el.get("/Alt", "")).strip() and not str(el.get("/ActualText", "")).strip():
            report.fail("13-004", "a Figure has no alternative text")
        if r == "Table":
            check_table(el, role_of, report)
        if r in ("TH", "TD") and parent_role != "TR":
            report.fail("09-004", "a %s is not inside a TR" % r)
        if r == "TR" and parent_role not in ("Table", "THead", "TBody", "TFoot"):
            report.fail("09-004", "a TR is not inside a Table")
        if r in ("THead", "TBody", "TFoot") and parent_role != "Table":
            report.fail("09-004", "a %s is not inside a Table" % r)
        if r == "TH":
            th.append(el)
            scope = attribute(el, "Table", "Scope")
            report.scopes.append(None if scope is None else str(scope)[1:])
        if r == "Link":
            annots = [k.Obj for k in kids(el) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR]
            report.links.append({"annotations": len(annots), "contents": sorted({str(a.get("/Contents", "")) for a in annots})})
        if r == "TD" and attribute(el, "Table", "Headers") is not None:
            has_headers_ids = True
        if r == "L":
            for k in kids(el):
                if is_element(k) and role_of(k) not in ("LI", "L", "Caption"):
                    report.fail("09-005", "an L holds a %s instead of LI" % role_of(k))
        if r == "LI":
            for k in kids(el):
                if is_element(k) and role_of(k) not in ("Lbl", "LBody"):
                    report.fail("09-005", "an LI holds a %s instead of Lbl and LBody" % role_of(k))
        if r in ("LI",) and parent_role != "L":
            report.fail("09-005", "an LI is not inside an L")
        for k in kids(el):
            if is_element(k):
                walk(k, r)

    for top in kids(root):
        if is_element(top):
            walk(top, "StructTreeRoot")

    if uses_h and headings:
        report.fail("14-007", "the document uses both H and numbered headings H1-H6")
    if headings and headings[0] != 1:
        report.fail("14-002", "the first heading is H%d, not H1" % headings[0])
    for before, after in zip(headings, headings[1:]):
        if after > before + 1:
            report.fail("14-003", "H%d follows H%d: a heading level is skipped" % (after, before))
    if not has_headers_ids:
        for cell in th:
            scope = attribute(cell, "Table", "Scope")
            if scope is None:
                report.fail("15-003", "a TH cell has no Scope attribute (and the table uses no Headers)")
            elif str(scope) not in ("/Row", "/Column", "/Both"):
                report.fail("15-003", "a TH cell's Scope is %s, not Row, Column or Both" % scope)
    return number_tree(root.get("/ParentTree"), {})


# ---------------------------------------------------------------- pages


def check_annotations(pdf, page, number, parents, report):
    annots = page.obj.get("/Annots", [])
    if len(annots) == 0:
        return
    tabs = page.obj.get("/Tabs")
    if tabs is None:
        report.fail("28-008", "page %d has annotations but no Tabs entry" % number)
    elif tabs != pikepdf.Name.S:
        report.fail("28-009", "page %d has annotations and Tabs %s, not S" % (number, tabs))
    for annot in annots:
        subtype = str(annot.get("/Subtype"))
        if subtype in ("/Widget", "/PrinterMark"):
            continue
        contents = str(annot.get("/Contents", "")).strip()
        key = annot.get("/StructParent")
        parent = parents.get(int(key)) if key is not None else None
        if not contents and (parent is None or not str(parent.get("/Alt", "")).strip()):
            report.fail("28-004", "an annotation on page %d has no Contents and no Alt" % number)
        if subtype != "/Link":
            continue
        if not contents:
            report.fail("28-012", "a link annotation on page %d has no Contents (alternate description)" % number)
        if parent is None or str(parent.get("/S")) != "/Link":
            report.fail("28-011", "a link annotation on page %d is not nested in a Link structure element" % number)
            continue
        objrs = [k for k in kids(parent) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR]
        mine = [k for k in objrs if k.Obj.objgen == annot.objgen]
        if not mine:
            report.fail("28-011", "the Link element of a link annotation on page %d has no OBJR to it" % number)
        elif any("/Pg" in k and k.Pg.objgen != page.obj.objgen for k in mine):
            report.fail("28-011", "the OBJR of a link annotation on page %d names another page" % number)


def check_content(pdf, page, number, parents, report):
    """Every painting operator inside tagged or Artifact marked content, never one inside the other."""
    mcids = parents.get(int(page.obj.StructParents)) if "/StructParents" in page.obj else None
    stack = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" else None
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            artifact = tag == "/Artifact"
            if artifact and any(m == "tagged" for m in stack):
                report.fail("01-003", "page %d: content marked as Artifact inside tagged content" % number)
            if mcid is not None and any(m == "artifact" for m in stack):
                report.fail("01-004", "page %d: tagged content inside an Artifact" % number)
            if mcid is not None:
                element = mcids[int(mcid)] if mcids is not None and int(mcid) < len(mcids) else None
                if not isinstance(element, pikepdf.Dictionary):
                    report.fail("01-005", "page %d: marked content %d belongs to no structure element" % (number, mcid))
            stack.append("artifact" if artifact else "tagged" if mcid is not None else "other")
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in PAINTING and not any(m in ("artifact", "tagged") for m in stack):
            report.fail("01-005", "page %d: content is neither tagged nor marked as Artifact" % number)


def fonts_of(resources, seen):
    if resources is None:
        return
    for font in (v for _, v in resources.get("/Font", {}).items()):
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield font
    for xobject in (v for _, v in resources.get("/XObject", {}).items()):
        if xobject.get("/Subtype") == pikepdf.Name.Form and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from fonts_of(xobject.get("/Resources"), seen)


def check_fonts(pdf, report):
    seen = set()
    for page in pdf.pages:
        for font in fonts_of(page.obj.get("/Resources"), seen):
            if font.get("/Subtype") == pikepdf.Name.Type3:
                continue
            described = font.DescendantFonts[0] if font.get("/Subtype") == pikepdf.Name.Type0 else font
            descriptor = described.get("/FontDescriptor")
            name = str(font.get("/BaseFont", "?"))
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                report.fail("31-009", "font %s is not embedded" % name)
            if "/ToUnicode" not in font:
                report.fail("10-001", "font %s has no ToUnicode map: its text cannot be mapped to Unicode" % name)


# ---------------------------------------------------------------- PDF/A: Info and XMP agree


PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?")
XMP_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


def instant(m):
    """A date's instant and whether it names its time zone (PDF/A wants both sides to agree on both)."""
    y, mo, d, h, mi, s, tz = m.groups()
    offset = timedelta(0)
    if tz and tz != "Z":
        digits = re.sub(r"\D", "", tz)
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)) * (-1 if tz[0] == "-" else 1)
    local = datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0), tzinfo=timezone.utc)
    return (local - offset, tz is not None)


def check_pdfa_metadata(pdf, tree, report):
    info = pdf.trailer.get("/Info") or {}
    text = lambda key: str(info[key]) if key in info else None
    pairs = [
        ("/Title", xmp_default(tree, "dc", "title"), "dc:title"),
        ("/Author", None, "dc:creator"),
        ("/Subject", xmp_default(tree, "dc", "description"), "dc:description"),
        ("/Keywords", xmp_default(tree, "pdf", "Keywords"), "pdf:Keywords"),
        ("/Creator", xmp_default(tree, "xmp", "CreatorTool"), "xmp:CreatorTool"),
        ("/Producer", xmp_default(tree, "pdf", "Producer"), "pdf:Producer"),
    ]
    creators = xmp_values(tree, "dc", "creator")
    for key, xmp_value, name in pairs:
        value = text(key)
        if value is None:
            continue
        if key == "/Author":
            if creators != [value]:
                report.fail("A3-6.6.2.3.1", "Info /Author %r but XMP dc:creator %r" % (value, creators))
        elif xmp_value != value:
            report.fail("A3-6.6.2.3.1", "Info %s %r but XMP %s %r" % (key, value, name, xmp_value))
    for key, name in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        value = text(key)
        if value is None:
            continue
        xmp_value = xmp_default(tree, "xmp", name)
        pm = PDF_DATE.match(value)
        xm = XMP_DATE.match(xmp_value or "")
        if not pm or not xm or instant(pm) != instant(xm):
            report.fail("A3-6.6.2.3.1", "Info %s %s but XMP xmp:%s %s" % (key, value, name, xmp_value))
    # pdfuaid is no schema PDF/A predefines: it must be described by an extension schema (ISO 19005-3, 6.6.2.3.3).
    if xmp_values(tree, "pdfuaid", "part"):
        described = [
            el for el in tree.iter(q("pdfaSchema", "namespaceURI")) if (el.text or "").strip() == NS["pdfuaid"]
        ]
        names = [el.text for el in tree.iter(q("pdfaProperty", "name"))]
        if not described or "part" not in names:
            report.fail("A3-6.6.2.3.3", "pdfuaid:part is used but no pdfaExtension schema describes it")


def check(path):
    report = Report()
    with pikepdf.open(path) as pdf:
        tree = xmp_tree(pdf, report)
        check_metadata(pdf, tree, report)
        check_catalog(pdf, report)
        parents = check_structure(pdf, report)
        for number, page in enumerate(pdf.pages, start=1):
            check_annotations(pdf, page, number, parents, report)
            check_content(pdf, page, number, parents, report)
        check_fonts(pdf, report)
        if tree is not None and xmp_values(tree, "pdfaid", "part"):
            check_pdfa_metadata(pdf, tree, report)
    return vars(report)


def main(files):
    json.dump({f: check(f) for f in files}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
