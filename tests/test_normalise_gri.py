"""GRI content indexes of many designs: column roles by meaning, row groups, 103 rows, places."""

from __future__ import annotations

from csrextract.models import Cell, TableKind
from csrextract.normalise.gri import (
    hkex_refs,
    layout_of,
    normalise_gri,
    page_refs,
    places,
    sdg_numbers,
)
from tests.test_normalise import make_table, records


def test_page_cells_of_every_spelling() -> None:
    assert page_refs("2、9-10") == [2, 9, 10]
    assert page_refs("17-18") == [17, 18]
    assert page_refs("P18-19") == [18, 19]
    assert page_refs("第 7 页") == [7]
    assert page_refs("报告期未发生；相关制度见：10-12") == [10, 11, 12]
    assert page_refs("无变化") == []
    assert page_refs("/") == []
    assert page_refs("关于我们") == []
    assert page_refs("5-300") == [5, 300]  # too wide to be a range: two numbers as printed


def test_sdg_and_hkex_cells() -> None:
    assert sdg_numbers("SDG 3, SDG 8") == [3, 8]
    assert sdg_numbers("5、8、10") == [5, 8, 10]
    assert sdg_numbers("SDG18") == []
    assert hkex_refs("KPI A1.1、A1.2") == ["A1.1", "A1.2"]
    assert hkex_refs("B2.3 / b2") == ["B2.3", "B2"]
    assert hkex_refs("GRI 305-1") == []


def test_places_by_printed_line_and_semicolon() -> None:
    cell = Cell(0, 0, "绿色发展-绿色运营优质服务-提升客户体验")
    cell.lines = ["绿色发展-绿色运营", "优质服务-提升客户体验"]
    assert places(cell) == ["绿色发展-绿色运营", "优质服务-提升客户体验"]
    glued = Cell(0, 0, "优质服务；普惠金融；绿色发展")
    assert places(glued) == ["优质服务", "普惠金融", "绿色发展"]


def test_code_description_sdg_hkex_page_columns_by_meaning() -> None:
    """指标编号 | 描述 | SDG | ESG指标(港交所) | 页码, with part headers as row groups."""
    table = make_table(
        [
            ["指标编号", "描述", "SDG", "ESG指标(港交所)", "页码"],
            ["第一部分：一般披露项", None, None, None, None],
            ["2-1", "组织详细情况", "", "", "2、9-10"],
            ["2-6", "活动、价值链和其他业务关系", "8", "B5.1", "17-18"],
            ["第二部分：实质性议题", None, None, None, None],
            ["305-1", "直接温室气体排放", "SDG 13", "KPI A1.1、A1.2", "无变化"],
            ["205-3", "经确认的腐败事件", "16", "B7.1", "报告期未发生；制度见：10-12"],
        ],
        TableKind.GRI_INDEX,
        spans={(1, 0): (1, 5), (4, 0): (1, 5)},
    )
    layout = layout_of(table)
    assert layout is not None
    assert (layout.code_col, layout.title_col, layout.sdg_col, layout.hkex_col) == (0, 1, 2, 3)
    assert layout.page_cols == [4] and layout.location_col is None and layout.chapter_cols == []
    df = normalise_gri([table])
    cols = ("group", "disclosure", "chapter", "page_ref", "location")
    assert records(df, *cols) == [
        ("第一部分：一般披露项", "2-1", "", 2, "2、9-10"),
        ("第一部分：一般披露项", "2-6", "", 17, "17-18"),
        ("第二部分：实质性议题", "305-1", "", None, "无变化"),
        ("第二部分：实质性议题", "205-3", "", 10, "报告期未发生；制度见：10-12"),
    ]
    assert [list(v) for v in df["page_refs"]] == [[2, 9, 10], [17, 18], [], [10, 11, 12]]
    assert [list(v) for v in df["sdgs"]] == [[], [8], [13], [16]]
    assert [list(v) for v in df["hkex_refs"]] == [[], ["B5.1"], ["A1.1", "A1.2"], ["B7.1"]]


def test_management_approach_rows_stay_under_their_topic() -> None:
    table = make_table(
        [
            ["披露项", "内容", "在报告中的位置"],
            ["GRI 205 反腐败", None, None],
            ["103", "管理方法", "诚信合规-反腐败"],
            ["205-2", "反腐败政策和程序的传达及培训", "诚信合规-反腐败"],
            ["GRI 307 环境合规", None, None],
            ["103", "管理方法", "诚信合规-反腐败"],  # same place, other topic: a row of its own
        ],
        TableKind.GRI_INDEX,
        spans={(1, 0): (1, 3), (4, 0): (1, 3)},
    )
    df = normalise_gri([table])
    assert records(df, "group", "disclosure", "gri_standard", "chapter", "section") == [
        ("GRI 205 反腐败", "103", "GRI 103", "诚信合规", "反腐败"),
        ("GRI 205 反腐败", "205-2", "GRI 205", "诚信合规", "反腐败"),
        ("GRI 307 环境合规", "103", "GRI 103", "诚信合规", "反腐败"),
    ]
    assert df["disclosure_title_en"].tolist()[0] == "Management Approach"


def test_series_number_beside_the_codes_is_no_page() -> None:
    """A standard column (GRI 102 | 102-1 | … | 12): 102 is the series, 12 the page."""
    table = make_table(
        [
            ["GRI 标准", "披露项", "名称", "页码"],
            ["102", "102-1", "组织名称", "12"],
            ["102", "102-2", "活动、品牌、产品与服务", "13"],
            ["305", "305-1", "直接温室气体排放", "40"],
        ],
        TableKind.GRI_INDEX,
    )
    df = normalise_gri([table])
    assert records(df, "disclosure", "page_ref", "chapter") == [
        ("102-1", 12, ""),
        ("102-2", 13, ""),
        ("305-1", 40, ""),
    ]


def test_page_cells_never_land_in_chapter() -> None:
    """A page column of notes and pages is still the page column, not a place."""
    table = make_table(
        [
            ["章节", "GRI 披露项", "页码"],
            ["关于我们", "102-1", "无变化"],
            ["环境", "302-1", "报告期未发生；见：10-12"],
            ["员工", "401-1", "36"],
        ],
        TableKind.GRI_INDEX,
    )
    df = normalise_gri([table])
    assert records(df, "chapter", "disclosure", "page_ref") == [
        ("关于我们", "102-1", None),
        ("环境", "302-1", 10),
        ("员工", "401-1", 36),
    ]


def test_page_range_split_over_two_columns_is_joined() -> None:
    table = make_table(
        [
            ["披露项", "名称", "页码", None],
            ["102-1", "组织名称", "17-", "18"],
            ["102-2", "活动", "20", ""],
            ["102-3", "总部位置", "21", "-22"],
        ],
        TableKind.GRI_INDEX,
        spans={(0, 2): (1, 2)},
    )
    df = normalise_gri([table])
    assert [list(v) for v in df["page_refs"]] == [[17, 18], [20], [21, 22]]
    assert df["chapter"].tolist() == ["", "", ""]


def test_title_row_above_the_header_is_no_group() -> None:
    table = make_table(
        [
            ["GRI 标准内容索引", None, None],
            ["披露项", "内容", "在报告中的位置"],
            ["102-1", "组织名称", "关于我们"],
        ],
        TableKind.GRI_INDEX,
        spans={(0, 0): (1, 3)},
    )
    df = normalise_gri([table])
    assert records(df, "group", "disclosure", "chapter") == [(None, "102-1", "关于我们")]


def test_note_column_is_no_place_and_page_column_of_notes_stays_pages() -> None:
    table = make_table(
        [
            ["披露项", "名称", "页码", "备注"],
            ["102-1", "组织名称", "不适用", "集团层面披露"],
            ["102-2", "活动", "不适用", "见年报"],
        ],
        TableKind.GRI_INDEX,
    )
    layout = layout_of(table)
    assert layout is not None
    assert (layout.page_cols, layout.location_col, layout.title_col) == ([2], None, 1)
    df = normalise_gri([table])
    assert records(df, "disclosure", "chapter", "page_ref", "location") == [
        ("102-1", "", None, "不适用"),
        ("102-2", "", None, "不适用"),
    ]


def test_code_place_columns_without_headers() -> None:
    """No header at all: the last text column says where, the one between is the title."""
    table = make_table(
        [["102-1", "组织名称", "关于我们"], ["102-2", "活动", "业务-产品"]], TableKind.GRI_INDEX
    )
    df = normalise_gri([table])
    assert records(df, "disclosure", "chapter", "section") == [
        ("102-1", "关于我们", None),
        ("102-2", "业务", "产品"),
    ]


def test_an_empty_column_under_a_location_header_is_no_place() -> None:
    """Headers drawn off their columns: 报告位置 over an empty column, the pages one to its left."""
    table = make_table(
        [
            ["内容", None, "对应的 GRI 标准披露项", None, "报告位置"],
            ["关于我们", None, "GRI 102-1", "P04", ""],
            ["治理", "公司治理", "GRI 205-1", "P18", ""],
        ],
        TableKind.GRI_INDEX,
        spans={(0, 0): (1, 2), (0, 2): (1, 2), (1, 0): (1, 2)},
    )
    df = normalise_gri([table])
    assert records(df, "chapter", "section", "disclosure", "page_ref", "location") == [
        ("关于我们", None, "102-1", 4, "P04"),
        ("治理", "公司治理", "205-1", 18, "P18"),
    ]
