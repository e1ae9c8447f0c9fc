"""Plain-Python readers that turn inputs into RawArticle or Reject records (no Dagster here)."""

from assets.sources.records import RawArticle, Reject, article_id_for, content_sha256
from assets.sources.textfiles import read_text_file

__all__ = ["RawArticle", "Reject", "article_id_for", "content_sha256", "read_text_file"]
