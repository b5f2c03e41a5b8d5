use serde_json::Value;

/// How a value is shown to humans, mirroring osc_lib's `format_columns` classes. Machine
/// formats (json, yaml) always get the value itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A plain value, shown as Python's `str()` shows it (`None`, `True`, `{'a': 1}`, `['x']`).
    Raw,
    /// `ListColumn`: `", ".join(sorted(items))`.
    List,
    /// `DictColumn`: `utils.format_dict`, `k1='v1', k2='v2'` sorted by key.
    Dict,
    /// `ListDictColumn`: `utils.format_list_of_dicts`.
    ListDict,
    /// `DictListColumn`: `utils.format_dict_of_list`.
    DictList,
    /// `SizeColumn`: `utils.format_size` (human-readable bytes).
    Size,
}

/// One value in a row or record, with the style OSC would wrap it in.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub style: Style,
}

impl Cell {
    pub fn raw(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::Raw,
        }
    }
    pub fn list(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::List,
        }
    }
    pub fn dict(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::Dict,
        }
    }
    pub fn list_dict(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::ListDict,
        }
    }
    pub fn dict_list(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::DictList,
        }
    }
    pub fn size(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::Size,
        }
    }
}

impl From<Value> for Cell {
    fn from(v: Value) -> Self {
        Cell::raw(v)
    }
}
impl From<&Value> for Cell {
    fn from(v: &Value) -> Self {
        Cell::raw(v.clone())
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::raw(v)
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::raw(v)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::raw(v)
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::raw(v)
    }
}
impl From<u64> for Cell {
    fn from(v: u64) -> Self {
        Cell::raw(v)
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        Cell::raw(v.map(Value::String).unwrap_or(Value::Null))
    }
}
