"""content/stats/<term-id>.yaml: a term's loan statistics (借阅统计), as numbers only.

The file holds totals, never a reader: loans per class and month, how many pupils of each
class borrowed (a count), and the most borrowed books. `library-site import-loans` writes it
from a library system's export (generator/tools/import_loans.py); a teacher may write or
correct it by hand like every other file.
"""

from __future__ import annotations

from pydantic import Field

from generator.model.base import Frozen
from generator.model.display import Isbn
from generator.model.values import ClassName, MonthValue, Text

MAX_LOANS = 1_000_000  # a class's month: more is a typo


class ClassMonthLoans(Frozen):
    """One class's loans in one month."""

    class_: ClassName = Field(alias="class", description="班级，例如 三(1)班")
    month: MonthValue = Field(description="月份，例如 2025-09")
    loans: int = Field(ge=0, le=MAX_LOANS, description="这个月借出的册数")


class ClassReaders(Frozen):
    """How many pupils of a class borrowed at least once this term: a number, no names."""

    class_: ClassName = Field(alias="class", description="班级，例如 三(1)班")
    readers: int = Field(ge=0, le=1000, description="本学期借过书的学生人数（只写人数）")


class BookLoans(Frozen):
    """One of the most borrowed books."""

    title: Text = Field(description="书名")
    loans: int = Field(ge=1, le=MAX_LOANS, description="本学期借出的次数")
    author: Text | None = Field(None, description="作者")
    isbn: Isbn | None = Field(None, description="ISBN")


class LoanStats(Frozen):
    """content/stats/<term-id>.yaml."""

    source: Text | None = Field(None, description="数字从哪里来，例如 图书馆系统导出的借阅记录")
    loans: list[ClassMonthLoans] = Field(
        default_factory=list, description="每班每月借出的册数：一个班一个月一行"
    )
    readers: list[ClassReaders] = Field(
        default_factory=list, description="每班借过书的学生人数（只有人数，不写名字）"
    )
    books: list[BookLoans] = Field(
        default_factory=list, description="借得最多的书，借出次数从多到少"
    )
