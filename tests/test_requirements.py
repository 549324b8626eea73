"""hffix.formats.requirements: parsing requirement lines and the union merge."""

from __future__ import annotations

from hffix.formats.requirements import (
    LineKind,
    declared_names,
    merge_requirements,
    parse_requirements,
    requirement_name,
)


def test_names_are_canonical_and_ignore_extras_markers_and_pins() -> None:
    assert requirement_name("python_dotenv==1.0.1") == "python-dotenv"
    assert requirement_name("uvicorn[standard]>=0.27") == "uvicorn"
    assert requirement_name('Pillow ; python_version >= "3.8"  # images') == "pillow"
    assert requirement_name("foo @ https://example.org/foo-1.0.tar.gz") == "foo"
    assert requirement_name("git+https://github.com/a/b.git@v1#egg=My_Pkg") == "my-pkg"
    assert requirement_name("./wheels/some_pkg-1.2.3-py3-none-any.whl") == "some-pkg"
    assert requirement_name("# just a comment") is None
    assert requirement_name("--extra-index-url https://example.org/simple") is None


def test_line_kinds_and_continuations() -> None:
    text = (
        "# header\n\n-r base.txt\n--constraint=constraints.txt\n-e ./libs/tool\n"
        "--index-url https://example.org/simple\n"
        "requests==2.31.0 \\\n    --hash=sha256:abc\n./local/dir\n"
    )
    lines = parse_requirements(text)
    assert [line.kind for line in lines] == [
        LineKind.COMMENT,
        LineKind.BLANK,
        LineKind.INCLUDE,
        LineKind.CONSTRAINT,
        LineKind.EDITABLE,
        LineKind.OPTION,
        LineKind.REQUIREMENT,
        LineKind.OTHER,
    ]
    assert lines[2].target == "base.txt"
    assert lines[3].target == "constraints.txt"
    assert lines[6].name == "requests"
    assert lines[6].line == 7
    assert lines[7].line == 9
    assert declared_names(lines) == {"requests"}


def test_merge_keeps_base_and_appends_missing_names() -> None:
    base = "# web\nfastapi==0.110.0\nuvicorn[standard]>=0.27 ; python_version >= '3.8'\n"
    extra = "uvicorn==0.30\npython_dotenv\nFastAPI\nsqlmodel>=0.0.16  # orm\n# tail\n"
    merged = merge_requirements(base, extra, "\n")
    assert merged == base + "python_dotenv\nsqlmodel>=0.0.16  # orm\n"


def test_merge_returns_base_unchanged_when_nothing_is_missing() -> None:
    base = "fastapi\r\nuvicorn"  # no final newline, CRLF
    assert merge_requirements(base, "FastAPI\nUvicorn[standard]\n", "\r\n") == base


def test_merge_uses_the_newline_given_and_ends_the_base_line() -> None:
    merged = merge_requirements("fastapi\r\nuvicorn", "pydantic\nsqlmodel\n", "\r\n")
    assert merged == "fastapi\r\nuvicorn\r\npydantic\r\nsqlmodel\r\n"


def test_merge_into_empty_base() -> None:
    assert merge_requirements("", "a\nb\n", "\n") == "a\nb\n"


def test_merge_keeps_marker_split_pins_together() -> None:
    extra = 'numpy==1.24.4; python_version < "3.9"\nnumpy==1.26.4; python_version >= "3.9"\n'
    assert merge_requirements("fastapi\n", extra, "\n") == "fastapi\n" + extra


def test_merge_options_and_includes_once() -> None:
    base = "-r base.txt\n--extra-index-url https://example.org/simple\n"
    extra = (
        "-rbase.txt\n--extra-index-url   https://example.org/simple\n-c pins.txt\n"
        "-c pins.txt\n--pre\n"
    )
    assert merge_requirements(base, extra, "\n") == base + "-c pins.txt\n--pre\n"


def test_merge_source_comment_and_continuations() -> None:
    extra = "requests==2.31.0 \\\n    --hash=sha256:abc\n"
    merged = merge_requirements("fastapi\n", extra, "\n", source="backend/requirements.txt")
    assert merged == "fastapi\n# from backend/requirements.txt\n" + extra
    assert merge_requirements("fastapi\n", "fastapi\n", "\n", source="x") == "fastapi\n"
