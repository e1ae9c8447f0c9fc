"""Arrow schemas derived from the pandera contracts, so that even an empty table is written with its types."""

from __future__ import annotations

import pandera.pandas as pa
import pyarrow as pa_arrow

_ARROW_BY_DTYPE = {
    "str": pa_arrow.string(),
    "string": pa_arrow.string(),
    "Int64": pa_arrow.int64(),
    "int64": pa_arrow.int64(),
    "bool": pa_arrow.bool_(),
    "date": pa_arrow.date32(),
    "datetime64[ns, UTC]": pa_arrow.timestamp("us", tz="UTC"),
}


def arrow_schema(model: type[pa.DataFrameModel]) -> pa_arrow.Schema:
    """Return the Arrow schema of the table `model` describes, columns in contract order."""
    schema = model.to_schema()
    arrow_fields = []
    for name, column in schema.columns.items():
        key = str(column.dtype)
        if key not in _ARROW_BY_DTYPE:
            raise TypeError(f"{model.__name__}.{name}: no Arrow type for dtype {key!r}")
        arrow_fields.append(pa_arrow.field(name, _ARROW_BY_DTYPE[key], nullable=column.nullable))
    return pa_arrow.schema(arrow_fields)
