"""Reads Word files back with python-docx, a library that shares no code with ours, and
lists what makes them look like a conversion rather than a controlled document:
a paragraph without a style, a list that continues the numbering of an earlier one,
a table whose first row is not a repeated header (key/value tables, whose keys are
the headings, excepted), a row that may split across pages. Exit status 1 if any."""
import sys, docx
from docx.oxml.ns import qn
failures = []
for path in sys.argv[1:]:
    d = docx.Document(path)
    body = d.element.body
    paragraphs = list(d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for p in paragraphs:
        if p.style is None:
            failures.append(f"{path}: a paragraph without a style: {p.text[:40]!r}")
    # lists: runs of ListParagraph paragraphs in the body; each list has numbering of its own
    seen = set()
    group = None
    for child in body.iterchildren():
        style = child.find(qn('w:pPr') + '/' + qn('w:pStyle')) if child.tag == qn('w:p') else None
        in_list = style is not None and style.get(qn('w:val')) == 'ListParagraph'
        if not in_list:
            if group:
                if group & seen:
                    failures.append(f"{path}: a list continues the numbering of an earlier one (numId {sorted(group & seen)})")
                seen |= group
            group = None
            continue
        group = group or set()
        num = child.find(qn('w:pPr') + '/' + qn('w:numPr') + '/' + qn('w:numId'))
        if num is not None:
            group.add(num.get(qn('w:val')))
    for table in d.tables:
        first = table.rows[0]._tr
        header = first.find(qn('w:trPr') + '/' + qn('w:tblHeader')) is not None
        keys = all(row.cells[0].paragraphs[0].style.style_id.startswith('TableHeading') for row in table.rows)
        if not header and not keys:
            failures.append(f"{path}: a table whose first row is not a repeated header: {first.xpath('string(.)')[:60]!r}")
        for row in table.rows:
            if row._tr.find(qn('w:trPr') + '/' + qn('w:cantSplit')) is None:
                failures.append(f"{path}: a row that may split across pages")
                break
print("\n".join(failures[:50]))
sys.exit(1 if failures else 0)
