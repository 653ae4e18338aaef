"""QTI 1.2 zip for Canvas (classic quizzes), the shape Canvas's own exporter writes.

`imsmanifest.xml` at the root names the assessment XML in a `imsqti_xmlv1p2` resource.
Items carry `question_type` and `points_possible` metadata; HTML sits escaped in
`mattext texttype="text/html"`. Canvas silently skips an XML file it cannot parse, so
both files come from ElementTree. The zip is byte-stable: fixed timestamps and order.
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

from ..quiz.fields import html
from ..quiz.items import FillIn, Matching, MultipleChoice, QuizItem, QuizVersion, TrueFalse

name = "qti"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
QUESTION_TYPES = {"mcq": "multiple_choice_question", "tf": "true_false_question",
                  "match": "matching_question", "fill": "short_answer_question"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def files(version: QuizVersion) -> dict[str, bytes]:
    return {f"{version.file_stem}-qti.zip": render_qti(version)}


def assessment_ident(version: QuizVersion) -> str:
    digest = hashlib.sha1(f"{version.set_name}\x1f{version.number}".encode()).hexdigest()[:16]
    return f"quizgen_{digest}"


def render_qti(version: QuizVersion) -> bytes:
    ident = assessment_ident(version)
    href = f"{ident}/{ident}.xml"
    members = {"imsmanifest.xml": render_manifest(ident, href, version), href: render_assessment(version, ident)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            info = zipfile.ZipInfo(member, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def render_manifest(ident: str, href: str, version: QuizVersion) -> bytes:
    manifest = ET.Element("manifest", {"identifier": f"{ident}_manifest", "xmlns": CP_NS})
    metadata = ET.SubElement(manifest, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    resource = ET.SubElement(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    ET.SubElement(resource, "file", href=href)
    return _serialise(manifest)


def render_assessment(version: QuizVersion, ident: str) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    title = f"{version.title} (version {version.number})"
    assessment = ET.SubElement(root, "assessment", ident=ident, title=title)
    meta = ET.SubElement(assessment, "qtimetadata")
    _field(meta, "cc_maxattempts", "1")
    section = ET.SubElement(assessment, "section", ident="root_section")
    for number, item in enumerate(version.items, 1):
        section.append(item_element(number, item))
    return _serialise(root)


def _field(parent: ET.Element, label: str, entry: str) -> None:
    field = ET.SubElement(parent, "qtimetadatafield")
    ET.SubElement(field, "fieldlabel").text = label
    ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, markdown: str, inline: bool = True) -> ET.Element:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", texttype="text/html").text = html(markdown, inline=inline)
    return material


def _choices(parent: ET.Element, ident: str, options: list[tuple[str, str]]) -> None:
    lid = ET.SubElement(parent, "response_lid", ident=ident, rcardinality="Single")
    render = ET.SubElement(lid, "render_choice")
    for option_ident, markdown in options:
        _material(ET.SubElement(render, "response_label", ident=option_ident), markdown)


def _condition(parent: ET.Element, respident: str, values: list[str], score: str, action: str = "Set") -> None:
    cond = ET.SubElement(parent, "respcondition", {"continue": "No" if action == "Set" else "Yes"})
    var = ET.SubElement(cond, "conditionvar")
    for value in values:
        ET.SubElement(var, "varequal", respident=respident).text = value
    ET.SubElement(cond, "setvar", action=action, varname="SCORE").text = score


def item_element(number: int, item: QuizItem) -> ET.Element:
    element = ET.Element("item", ident=f"{item.id}_q{number}", title=f"Question {number}")
    meta = ET.SubElement(ET.SubElement(element, "itemmetadata"), "qtimetadata")
    _field(meta, "question_type", QUESTION_TYPES[item.kind])
    _field(meta, "points_possible", "1.0")
    presentation = ET.SubElement(element, "presentation")
    processing = ET.Element("resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    general = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
    ET.SubElement(ET.SubElement(general, "conditionvar"), "other")
    ET.SubElement(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    if isinstance(item, MultipleChoice):
        _material(presentation, item.stem)
        _choices(presentation, "response1", [(f"choice_{n + 1}", o) for n, o in enumerate(item.options)])
        _condition(processing, "response1", [f"choice_{item.key + 1}"], "100")
    elif isinstance(item, TrueFalse):
        _material(presentation, item.statement)
        _choices(presentation, "response1", [("choice_true", "True"), ("choice_false", "False")])
        _condition(processing, "response1", ["choice_true" if item.truth else "choice_false"], "100")
    elif isinstance(item, Matching):
        _material(presentation, item.prompt)
        options = [(f"match_{n + 1}", term) for n, term in enumerate(item.choices)]
        share = f"{100 / len(item.pairs):.2f}"  # Canvas writes 100/n with %.2f
        for p, (definition, term) in enumerate(item.pairs, 1):
            lid = ET.SubElement(presentation, "response_lid", ident=f"response_{p}", rcardinality="Single")
            _material(lid, definition)
            render = ET.SubElement(lid, "render_choice")
            for option_ident, markdown in options:
                _material(ET.SubElement(render, "response_label", ident=option_ident), markdown)
            _condition(processing, f"response_{p}", [f"match_{item.choices.index(term) + 1}"], share, "Add")
    elif isinstance(item, FillIn):
        _material(presentation, item.text)
        response = ET.SubElement(presentation, "response_str", ident="response1", rcardinality="Single")
        ET.SubElement(ET.SubElement(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
        _condition(processing, "response1", list(item.accepted), "100")
    element.append(processing)
    feedback = ET.SubElement(element, "itemfeedback", ident="general_fb")
    _material(ET.SubElement(feedback, "flow_mat"), item.explanation, inline=False)
    return element
