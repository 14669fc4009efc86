"""Stakeholder matrices with whatever aspect columns a report prints, mapped by header meaning."""

from __future__ import annotations

from csrextract.contract import ASPECTS
from csrextract.models import TableKind
from csrextract.normalise.stakeholder import aspect_of, normalise_stakeholder
from tests.test_normalise import make_table, records


def test_aspect_words() -> None:
    assert aspect_of("关注议题") == "expectation"
    assert aspect_of("相关方期望") == "expectation"
    assert aspect_of("沟通渠道") == "channel"
    assert aspect_of("沟通方式及频率") == "channel"
    assert aspect_of("沟通频率") == "frequency"
    assert aspect_of("我们的责任") == "responsibility"
    assert aspect_of("回应措施") == "response"
    assert aspect_of("Our commitments") == "responsibility"
    assert aspect_of("利益相关方") is None
    assert {aspect_of(h) for h in ("诉求", "渠道", "举措", "责任", "频次")} <= set(ASPECTS)


def test_five_aspect_columns_in_any_order() -> None:
    table = make_table(
        [
            ["利益相关方", "我们的责任", "关注议题", "沟通频率", "回应措施", "沟通渠道"],
            ["员工", "保障权益", "• 薪酬福利\n• 职业发展", "每季度", "完善薪酬体系", "员工大会"],
            ["客户", "优质服务", "产品质量", "不定期", "• 提升体验\n• 保护隐私", "客服热线"],
        ],
        TableKind.STAKEHOLDER,
    )
    table.cells[8].items = ["薪酬福利", "职业发展"]
    table.cells[16].items = ["提升体验", "保护隐私"]
    df = normalise_stakeholder([table])
    assert records(df, "stakeholder", "aspect", "item_no", "item") == [
        ("员工", "responsibility", 1, "保障权益"),
        ("员工", "expectation", 1, "薪酬福利"),
        ("员工", "expectation", 2, "职业发展"),
        ("员工", "frequency", 1, "每季度"),
        ("员工", "response", 1, "完善薪酬体系"),
        ("员工", "channel", 1, "员工大会"),
        ("客户", "responsibility", 1, "优质服务"),
        ("客户", "expectation", 1, "产品质量"),
        ("客户", "frequency", 1, "不定期"),
        ("客户", "response", 1, "提升体验"),
        ("客户", "response", 2, "保护隐私"),
        ("客户", "channel", 1, "客服热线"),
    ]


def test_unmarked_list_cells_give_one_item_per_line_the_author_broke() -> None:
    """Bullets missing from the text layer (a glyph the font lacks): the items are the cell's
    hard lines; a wrapped line is not an item."""
    table = make_table(
        [
            ["利益相关方", "期待与诉求", "沟通渠道"],
            ["用户", "用户体验提升信息安全与隐私保护", "用户访谈与调研"],
        ],
        TableKind.STAKEHOLDER,
    )
    cell = table.cell_at(1, 1)
    assert cell is not None
    cell.lines = ["用户体验提升", "信息安全与隐私保护"]
    df = normalise_stakeholder([table])
    assert records(df, "stakeholder", "aspect", "item_no", "item") == [
        ("用户", "expectation", 1, "用户体验提升"),
        ("用户", "expectation", 2, "信息安全与隐私保护"),
        ("用户", "channel", 1, "用户访谈与调研"),
    ]
