"""Unit tests of each normaliser on small hand-made tables (other wordings, layouts, OCR slips)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

from csrextract.contract import DATASETS
from csrextract.models import Cell, Table, TableKind, TableStyle
from csrextract.normalise import normalise_tables
from csrextract.normalise.certification import normalise_certification
from csrextract.normalise.gri import disclosure_codes, normalise_gri, page_ref
from csrextract.normalise.metrics import normalise_metrics
from csrextract.normalise.sdg import normalise_sdg, sdg_labels
from csrextract.normalise.stakeholder import normalise_stakeholder, stakeholder_group

Spans = dict[tuple[int, int], tuple[int, int]]


def make_table(
    grid: list[list[str | None]],
    kind: TableKind = TableKind.OTHER,
    spans: Spans | None = None,
    title: str = "",
    header_rows: tuple[int, ...] = (),
    table_id: str = "x1",
) -> Table:
    """A table from a text grid; ``None`` marks a slot covered by a merged cell (see ``spans``)."""
    spans = spans or {}
    cells = [
        Cell(
            row=r,
            col=c,
            text=text,
            row_span=spans.get((r, c), (1, 1))[0],
            col_span=spans.get((r, c), (1, 1))[1],
            is_header=r in header_rows,
            page=3,
            bbox=(10.0, 10.0 * r, 20.0, 10.0 * r + 9),
        )
        for r, row in enumerate(grid)
        for c, text in enumerate(row)
        if text is not None
    ]
    return Table(
        table_id=table_id,
        cells=cells,
        n_rows=len(grid),
        n_cols=max(len(r) for r in grid),
        pages=[3],
        bbox=(0.0, 0.0, 100.0, 100.0),
        style=TableStyle.RULED,
        kind=kind,
        title=title,
    )


def records(frame: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return [
        tuple(None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v for v in row)
        for row in frame[list(columns)].itertuples(index=False)
    ]


# ---------------------------------------------------------------------------------------------
# normalise_tables


def test_every_dataset_present_with_contract_columns_even_without_tables() -> None:
    out = normalise_tables([])
    assert set(out) == {
        "sdg_responses",
        "stakeholder_matrix",
        "certifications",
        "gri_index",
        "metrics",
    }
    for name, df in out.items():
        assert list(df.columns) == [
            *DATASETS[name].content_columns,
            "page",
            "bbox",
            "method",
            "confidence",
        ]
        assert df.empty


def test_tables_are_routed_by_kind() -> None:
    sdg = make_table([["目标", "行动"], ["SDG 4: 优质教育", "开展教育项目。"]], TableKind.SDG)
    other = make_table([["SDG 5: 性别平等", "不应出现。"]], TableKind.OTHER)
    out = normalise_tables([sdg, other])
    assert records(out["sdg_responses"], "sdg", "response") == [(4, "开展教育项目。")]
    row = out["sdg_responses"].iloc[0]
    assert (row["page"], row["method"], row["confidence"]) == (3, "text", 1.0)
    assert list(row["bbox"]) == [20.0 - 10.0, 10.0, 20.0, 19.0]


# ---------------------------------------------------------------------------------------------
# sdg


def test_sdg_shared_response_cell_and_items() -> None:
    table = make_table(
        [
            ["联合国可持续发展目标 (SDGs)", "相关响应"],
            ["SDG 14: 水下生物", "保护湿地。\n打击非法贸易。"],
            ["SDG 15: 陆地生物", None],
            ["SDG 16: 和平、正义与强大机构", "完善治理。"],
        ],
        TableKind.SDG,
        spans={(1, 1): (2, 1)},
    )
    df = normalise_sdg([table])
    assert records(df, "sdg", "sdg_label", "response_no", "response") == [
        (14, "SDG 14: 水下生物", 1, "保护湿地。"),
        (14, "SDG 14: 水下生物", 2, "打击非法贸易。"),
        (15, "SDG 15: 陆地生物", 1, "保护湿地。"),
        (15, "SDG 15: 陆地生物", 2, "打击非法贸易。"),
        (16, "SDG 16: 和平、正义与强大机构", 1, "完善治理。"),
    ]
    assert df["sdg_name_en"].tolist()[0] == "Life Below Water"


def test_sdg_a_blank_beside_a_goal_shares_the_responses_above() -> None:
    """The shared cell drawn without a span: SDG 15's own cell is blank."""
    table = make_table(
        [
            ["SDG 14: 水下生物", "保护湿地。\n打击非法贸易。"],
            ["SDG 15: 陆地生物", ""],
            ["SDG 16: 和平、正义与强大机构", "完善治理。"],
            ["SDG 17: 促进目标实现的伙伴关系", ""],
        ],
        TableKind.SDG,
    )
    got = records(normalise_sdg([table]), "sdg", "response_no", "response")
    assert got[2:4] == [(15, 1, "保护湿地。"), (15, 2, "打击非法贸易。")]
    assert got[4:] == [(16, 1, "完善治理。"), (17, 1, "完善治理。")]


def test_sdg_one_label_cell_naming_two_goals_and_cell_items() -> None:
    table = make_table([["SDG 14: 水下生物 SDG 15: 陆地生物", "x"]], TableKind.SDG)
    table.cells[1].items = ["• 保护湿地。", "打击非法贸易。"]
    df = normalise_sdg([table])
    assert records(df, "sdg", "response") == [
        (14, "保护湿地。"),
        (14, "打击非法贸易。"),
        (15, "保护湿地。"),
        (15, "打击非法贸易。"),
    ]


def test_sdg_labels_survive_ocr_slips() -> None:
    assert [g.number for g in sdg_labels("SDG l: 无贫穷")] == [1]  # l for 1: the name decides
    assert [g.number for g in sdg_labels("SDG 1: 经济适用的清洁能源")] == [7]
    assert [g.number for g in sdg_labels("SDG3：良好健康与福址")] == [3]
    assert [g.number for g in sdg_labels("目标 13 气候行动")] == [13]
    assert [g.number for g in sdg_labels("Climate Action")] == [13]
    assert (
        sdg_labels("响应碳中和目标，探索绿色低碳运营方式，推动气候行动和伙伴关系的长期建设。") == []
    )


def test_sdg_repeated_header_on_continuation_is_skipped() -> None:
    table = make_table(
        [
            ["可持续发展目标", "我们的行动"],
            ["SDG 1: 无贫穷", "A。"],
            ["可持续发展目标", "我们的行动"],
            ["SDG 2: 零饥饿", "B。"],
        ],
        TableKind.SDG,
    )
    assert records(normalise_sdg([table]), "sdg", "response_no", "response") == [
        (1, 1, "A。"),
        (2, 1, "B。"),
    ]


# ---------------------------------------------------------------------------------------------
# stakeholder


def test_stakeholder_columns_found_by_header_words_in_any_order() -> None:
    table = make_table(
        [
            ["利益相关方", "沟通方式", "关注议题", "我们的回应"],
            ["股东与投资者", "股东大会\n投资者热线", "稳健回报", "信息披露。"],
            ["供应商与合作伙伴", "供应商大会", "公平采购", "阳光采购。"],
            ["NGO", "座谈", "公益", "捐赠。"],
            ["学术机构", "论坛", "合作", "联合研究。"],
        ],
        TableKind.STAKEHOLDER,
    )
    df = normalise_stakeholder([table])
    first = records(df[df["stakeholder"] == "股东与投资者"], "aspect", "item_no", "item")
    assert first == [
        ("channel", 1, "股东大会"),
        ("channel", 2, "投资者热线"),
        ("expectation", 1, "稳健回报"),
        ("response", 1, "信息披露。"),
    ]
    groups = dict(zip(df["stakeholder"], df["stakeholder_group"], strict=False))
    assert groups == {
        "股东与投资者": "investors",
        "供应商与合作伙伴": "suppliers",
        "NGO": "community_environment",
        "学术机构": "other",
    }


def test_stakeholder_matrix_printed_the_other_way_round() -> None:
    table = make_table(
        [
            ["", "Employees", "Government"],
            ["Expectations", "Training", "Compliance"],
            ["Channels", "Surveys", "Meetings"],
            ["Responses", "Courses.", "Reports."],
        ],
        TableKind.STAKEHOLDER,
    )
    df = normalise_stakeholder([table])
    assert records(df, "stakeholder", "stakeholder_group", "aspect", "item") == [
        ("Employees", "employees", "expectation", "Training"),
        ("Employees", "employees", "channel", "Surveys"),
        ("Employees", "employees", "response", "Courses."),
        ("Government", "government", "expectation", "Compliance"),
        ("Government", "government", "channel", "Meetings"),
        ("Government", "government", "response", "Reports."),
    ]


def test_stakeholder_group_aliases() -> None:
    assert stakeholder_group("创作者与伙伴") == "creators_partners"
    assert stakeholder_group("社区与环境") == "community_environment"
    assert stakeholder_group("政府及监管机构") == "government"
    assert stakeholder_group("客户") == "users"
    assert stakeholder_group("新闻媒体") == "media"


# ---------------------------------------------------------------------------------------------
# certification


def test_certifications_canonicalised_titles_kept_as_printed() -> None:
    table = make_table(
        [
            ["ISO 9001:2015 质量管理体系", "IS0/IEC 27001 信息安全管理体"],
            [
                "ISO20000 信息技术服务管理体系",
                "ISO 14001 环境管理体系；ISO 45001 职业健康安全管理体系",
            ],
        ],
        TableKind.CERTIFICATION,
    )
    df = normalise_certification([table])
    assert records(df, "standard", "standard_number", "title") == [
        ("ISO 9001", "9001", "质量管理体系"),
        ("ISO/IEC 27001", "27001", "信息安全管理体"),
        ("ISO/IEC 20000-1", "20000-1", "信息技术服务管理体系"),
        ("ISO 14001", "14001", "环境管理体系"),
        ("ISO 45001", "45001", "职业健康安全管理体系"),
    ]
    assert df["title_en"].iloc[1] == "Information security management systems"


def test_certification_list_with_title_column_and_unknown_standard() -> None:
    table = make_table(
        [
            ["认证", "名称"],
            ["ISO 37001", "反贿赂管理体系"],
            ["ISO 12345", "某体系"],
            ["ISO27 001：2013", "信息安全管理体系"],  # a text layer's broken number
        ],
        TableKind.CERTIFICATION,
    )
    df = normalise_certification([table])
    assert records(df, "standard", "title", "title_en") == [
        ("ISO 37001", "反贿赂管理体系", "Anti-bribery management systems"),
        ("ISO 12345", "某体系", None),
        ("ISO/IEC 27001", "信息安全管理体系", "Information security management systems"),
    ]


# ---------------------------------------------------------------------------------------------
# gri


def test_gri_codes_and_pages() -> None:
    assert disclosure_codes("GRI 102-1, GRI102-21、GRl 1O2-3") == ["102-1", "102-21", "102-3"]
    assert disclosure_codes("2-1, 3-3") == ["2-1", "3-3"]
    assert disclosure_codes("18-19") == []
    assert disclosure_codes("GRI 102-1至102-4、GRI 103-1") == [
        "102-1",
        "102-2",
        "102-3",
        "102-4",
        "103-1",
    ]
    assert page_ref("P04") == 4
    assert page_ref("18-19") == 18
    assert page_ref("第 7 页") == 7
    assert page_ref("/") is None


def test_gri_index_chapters_sections_and_none_rows() -> None:
    table = make_table(
        [
            ["章节", None, "页码", "GRI 指标"],
            ["关于我们", None, "P4", "GRI 102-1, GRI 102-2"],
            ["环境", "能源", "18-19", "GRI 302-1"],
            [None, "创新", "20", "/"],
            [None, "应用", "22", "1"],  # OCR's reading of "/"
            ["章节", None, "页码", "GRI 指标"],  # header repeated on the next page
            ["附录", None, "30", "2-1"],
        ],
        TableKind.GRI_INDEX,
        spans={(0, 0): (1, 2), (1, 0): (1, 2), (2, 0): (3, 1), (5, 0): (1, 2), (6, 0): (1, 2)},
    )
    df = normalise_gri([table])
    cols = ("chapter", "section", "disclosure", "gri_standard", "page_ref")
    assert records(df, *cols) == [
        ("关于我们", None, "102-1", "GRI 102", 4),
        ("关于我们", None, "102-2", "GRI 102", 4),
        ("环境", "能源", "302-1", "GRI 302", 18),
        ("环境", "创新", None, None, 20),
        ("环境", "应用", None, None, 22),
        ("附录", None, "2-1", "GRI 2", 30),
    ]
    assert df["disclosure_title_en"].tolist()[-1] == "Organizational details"
    assert str(df["page_ref"].dtype) == "Int32"


# ---------------------------------------------------------------------------------------------
# metrics


def test_metrics_row_labels_with_years_unit_column_and_two_row_header() -> None:
    table = make_table(
        [
            ["指标", "单位", "数据", None, None],
            [None, None, "2020年", "2021年", "2022年"],
            ["温室气体排放", "吨", "1,200", "约1,100", "-"],
            ["女性员工占比", "%", "40", "41.5", "42"],
        ],
        TableKind.METRICS,
        spans={(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, 3)},
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period", "value", "unit", "qualifier", "raw")[:3] == [
        ("温室气体排放", "2020", 1200.0, "吨", None, "1,200"),
        ("温室气体排放", "2021", 1100.0, "吨", "≈", "约1,100"),
        ("温室气体排放", "2022", None, None, None, "-"),
    ]
    assert len(df) == 6
    assert set(df["table_id"]) == {"x1"}


def test_metrics_periods_down_the_side() -> None:
    table = make_table(
        [
            ["年份", "员工总数", "志愿服务时长"],
            ["2020", "1000人", "5万小时"],
            ["2021", "1200人", "6万小时"],
        ],
        TableKind.METRICS,
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period", "value", "unit") == [
        ("员工总数", "2020", 1000.0, "人"),
        ("志愿服务时长", "2020", 5e4, "小时"),
        ("员工总数", "2021", 1200.0, "人"),
        ("志愿服务时长", "2021", 6e4, "小时"),
    ]


def test_metrics_figure_blocks_group_headers_and_repeated_labels() -> None:
    table = make_table(
        [
            ["2022年公益项目", None, "志愿者", None],
            ["受益人数", "同比增长", "人数", "同比增长"],
            ["超500万", "12%", "3.2万人", "-5%"],
        ],
        TableKind.METRICS,
        spans={(0, 0): (1, 2), (0, 2): (1, 2)},
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period", "value", "qualifier") == [
        ("公益项目 / 受益人数", "2022", 5e6, ">"),
        ("公益项目 / 同比增长", "2022", 12.0, None),
        ("志愿者 / 人数", "2022", 3.2e4, None),
        ("志愿者 / 同比增长", "2022", -5.0, "-"),
    ]


def test_metrics_stacked_blocks_take_period_from_title_and_qualify_repeats() -> None:
    table = make_table(
        [
            ["项目数", "覆盖率"],
            ["120个", "95%"],
            ["视频数", "同比增长", "播放量", "同比增长"],
            ["1亿", "10%", "30亿次", "20%"],
        ],
        TableKind.METRICS,
        spans={},
        title="2023年1~6月项目概况",
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period")[2:] == [
        ("视频数", "2023年1~6月"),
        ("视频数 / 同比增长", "2023年1~6月"),
        ("播放量", "2023年1~6月"),
        ("播放量 / 同比增长", "2023年1~6月"),
    ]
    assert not df.duplicated(["table_id", "indicator", "period"]).any()


def test_gri_code_first_index_takes_the_location_column_as_chapter() -> None:
    table = make_table(
        [
            ["披露项", "内容", "在报告中的位置"],
            ["GRI 102: 一般披露", None, None],
            ["102-1", "组织名称", "关于我们"],
            ["102-8", "关于员工和其他工作者的信息", "员工成长-员工招聘与留存"],
            ["102-6", "服务的市场", "优质服务；普惠金融"],
            ["102-9", "供应链", "绿色发展-绿色采购 P36"],
        ],
        TableKind.GRI_INDEX,
        spans={(1, 0): (1, 3)},
    )
    df = normalise_gri([table])
    assert records(df, "chapter", "section", "disclosure", "page_ref") == [
        ("关于我们", None, "102-1", None),
        ("员工成长", "员工招聘与留存", "102-8", None),
        ("优质服务", None, "102-6", None),  # two places in one cell: one row each
        ("普惠金融", None, "102-6", None),
        ("绿色发展", "绿色采购", "102-9", 36),
    ]
    assert set(df["group"]) == {"GRI 102: 一般披露"}  # the group header row is no row
    assert df["location"].tolist()[2:4] == ["优质服务；普惠金融"] * 2


def test_metrics_units_and_magnitudes_stated_in_labels() -> None:
    table = make_table(
        [
            ["指标", "2021 年"],
            ["资产总额（亿元）", "49,213.80"],
            ["贷款总额（含贴现，亿元）", "30,634.48"],
            ["人均用电量（度/人）", "771.7"],
            ["年度 WUE (水利用率)", "<0.5"],
            ["慰问资金（含慰问品）", "86 万元"],
        ],
        TableKind.METRICS,
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period", "value", "unit") == [
        ("资产总额(亿元)", "2021", 4.92138e12, "元"),
        ("贷款总额(含贴现,亿元)", "2021", 3.063448e12, "元"),
        ("人均用电量(度/人)", "2021", 771.7, "度/人"),
        ("年度 WUE (水利用率)", "2021", 0.5, None),
        ("慰问资金(含慰问品)", "2021", 8.6e5, "元"),
    ]


def test_metrics_row_labels_crossed_with_non_period_headers() -> None:
    table = make_table(
        [["委员会", "董事数量（人）", "会议次数"], ["审计委员会", "6", "5"]],
        TableKind.METRICS,
        title="3.2 董事会治理",
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period", "value", "unit") == [
        ("审计委员会 / 董事数量(人)", "", 6.0, "人"),
        ("审计委员会 / 会议次数", "", 5.0, None),
    ]


def test_stakeholder_table_with_a_single_aspect_column() -> None:
    table = make_table(
        [["利益相关方", "沟通渠道"], ["员工", "职代会\n内网"]],
        TableKind.STAKEHOLDER,
    )
    df = normalise_stakeholder([table])
    assert records(df, "stakeholder", "aspect", "item_no", "item") == [
        ("员工", "channel", 1, "职代会"),
        ("员工", "channel", 2, "内网"),
    ]


def test_sdg_goals_across_the_top() -> None:
    table = make_table(
        [["SDG 4 优质教育", "SDG 13 气候行动"], ["开展教育项目。", "推动节能减排。\n绿色办公。"]],
        TableKind.SDG,
    )
    assert records(normalise_sdg([table]), "sdg", "response_no", "response") == [
        (4, 1, "开展教育项目。"),
        (13, 1, "推动节能减排。"),
        (13, 2, "绿色办公。"),
    ]


def test_ocr_slips_in_certification_and_stakeholder_headers() -> None:
    certs = make_table(
        [["ISO 900l 质量管理体系", "ISO 14O01 环境管理体系"]], TableKind.CERTIFICATION
    )
    assert records(normalise_certification([certs]), "standard") == [("ISO 9001",), ("ISO 14001",)]
    matrix = make_table(
        [["利益相关方", "期待与诉求", "沟通渠遒", "相关回座"], ["员工", "成长", "内刊", "培训。"]],
        TableKind.STAKEHOLDER,
    )
    df = normalise_stakeholder([matrix])
    assert records(df, "aspect", "item") == [
        ("expectation", "成长"),
        ("channel", "内刊"),
        ("response", "培训。"),
    ]


def test_a_table_that_breaks_a_normaliser_costs_only_itself() -> None:
    from csrextract import datasets
    from csrextract.datasets.sdg_responses import SPEC, SdgResponse

    good = make_table([["SDG 4: 优质教育", "开展教育项目。"]], TableKind.SDG, table_id="a")
    bad = make_table([["SDG 5: 性别平等", "x"]], TableKind.SDG, table_id="b")

    def fragile(tables: list[Table]) -> list[SdgResponse]:
        if any(t.table_id == "b" for t in tables):
            raise ValueError("odd table")
        return list(SPEC.normalise(tables)) if SPEC.normalise else []

    with datasets.registered(dataclasses.replace(SPEC, normalise=fragile), replace=True):
        out = normalise_tables([good, bad])
    assert records(out["sdg_responses"], "sdg") == [(4,)]


def test_metric_indicators_are_nfkc_with_bound_words_moved_out_and_a_year() -> None:
    """OCR (full-width brackets) and the text layer (half-width) give one indicator name; a
    bound word ending the label qualifies the figure; ``year`` is the period's year."""
    table = make_table(
        [["相关视频数量超", "用户数（万人）", "相关视频数量超 / 同比增长"], ["1亿", "12", "149%"]],
        TableKind.METRICS,
        title="2021年1月~12月 概况",
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period", "year", "qualifier") == [
        ("相关视频数量", "2021年1月~12月", 2021, ">"),
        ("用户数(万人)", "2021年1月~12月", 2021, None),
        ("相关视频数量 / 同比增长", "2021年1月~12月", 2021, None),
    ]
    no_period = make_table([["委员会", "会议次数"], ["审计委员会", "5"]], TableKind.METRICS)
    assert normalise_metrics([no_period])["year"].isna().all()


def test_metrics_sequence_numbers_and_row_labels_read_row_wise() -> None:
    """序号 | 项目 | 金额（元）: each amount on its row label, the row numbers no figures."""
    table = make_table(
        [
            ["序号", "项目", "金额（元）"],
            ["1", "收到募集资金总额", "97,500,000.00"],
            ["2", "补充流动资金：", "66,121,430.66"],
            ["", "其中：支付仓储服务费", "61,543,267.60"],
            ["3", "偿还银行贷款/借款", "29,999,998.92"],
            ["募集资金专户余额", None, "1,378,223.03"],
        ],
        TableKind.METRICS,
        spans={(5, 0): (1, 2)},
    )
    df = normalise_metrics([table])
    assert records(df, "indicator", "period", "value", "unit") == [
        ("收到募集资金总额", "", 97500000.0, "元"),
        ("补充流动资金", "", 66121430.66, "元"),
        ("支付仓储服务费", "", 61543267.6, "元"),
        ("偿还银行贷款/借款", "", 29999998.92, "元"),
        ("募集资金专户余额", "", 1378223.03, "元"),
    ]


def test_metrics_first_column_counting_up_is_ordinal_only_beside_labels() -> None:
    """1, 2, 3 in the first column are figures when no label column follows them."""
    table = make_table([["名次", "得分"], ["1", "98"], ["2", "95"], ["3", "90"]], TableKind.METRICS)
    assert normalise_metrics([table])["raw"].tolist()[:2] == ["1", "98"]


def test_named_rows_inherit_a_doubtful_tables_confidence() -> None:
    """A clean text layer in a table whose structure was guessed gives doubtful rows: each row
    takes the lower of its cells' and its table's confidence."""
    from dataclasses import replace

    grid: list[list[str | None]] = [["认证", "标准"], ["信息安全管理体系", "ISO/IEC 27001"]]
    sure = make_table(grid, TableKind.CERTIFICATION, header_rows=(0,))
    guessed = replace(sure, confidence=0.55)
    assert set(normalise_certification([sure])["confidence"]) == {1.0}
    assert set(normalise_certification([guessed])["confidence"]) == {0.55}
