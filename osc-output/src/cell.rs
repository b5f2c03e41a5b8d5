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
    /// A JSON column (python-heatclient's `JsonColumn`): tables show the value as indented
    /// JSON (`json.dumps(v, indent=2, ensure_ascii=False, separators=(', ', ': '))`).
    Json,
    /// A YAML column (python-heatclient's `YamlColumn`): tables show
    /// `yaml.safe_dump(v, default_flow_style=False)`.
    Yaml,
    /// A custom `FormattableColumn` (OSC's EndpointsColumn, AddressesColumn...): the table
    /// shows the cell's `human` text, every other format the value.
    Custom,
}

/// One value in a row or record, with the style OSC would wrap it in.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub style: Style,
    /// The human form of a [`Style::Custom`] cell.
    pub human: Option<String>,
}

impl Cell {
    pub fn raw(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::Raw,
            human: None,
        }
    }
    pub fn list(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::List,
            human: None,
        }
    }
    pub fn dict(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::Dict,
            human: None,
        }
    }
    pub fn list_dict(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::ListDict,
            human: None,
        }
    }
    pub fn dict_list(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::DictList,
            human: None,
        }
    }
    /// A custom column: `machine` for json/yaml/csv/value/shell, `human` in tables.
    pub fn custom(machine: impl Into<Value>, human: impl Into<String>) -> Self {
        Cell {
            value: machine.into(),
            style: Style::Custom,
            human: Some(human.into()),
        }
    }
    /// A cell of any style (for data-driven callers such as plugins).
    pub fn styled(value: impl Into<Value>, style: Style) -> Self {
        Cell {
            value: value.into(),
            style,
            human: None,
        }
    }
    pub fn size(value: impl Into<Value>) -> Self {
        Cell {
            value: value.into(),
            style: Style::Size,
            human: None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{render, FormatOptions, Output, Table};

    fn rendered(format: &str, cell: Cell) -> String {
        let mut t = Table::new(["Endpoints"]);
        t.rows.push(vec![cell]);
        let opts = match format {
            "json" => FormatOptions::with_format(crate::Format::Json),
            _ => FormatOptions::default(),
        };
        let mut out = Vec::new();
        render(&Output::List(t), &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_and_yaml_cells_are_indented_in_tables_only() {
        let v = serde_json::json!({"b": [1], "a": "x"});
        let human = |style| crate::formatcols::human_readable(&Cell::styled(v.clone(), style));
        assert_eq!(
            human(Style::Json),
            "{\n  \"b\": [\n    1\n  ], \n  \"a\": \"x\"\n}"
        );
        assert_eq!(human(Style::Yaml), "a: x\nb:\n- 1\n");
        let table = rendered("table", Cell::styled(v.clone(), Style::Json));
        assert!(table.contains("|   \"b\": [   |"), "{table}");
        let json = rendered("json", Cell::styled(v, Style::Yaml));
        assert!(json.contains("\"a\": \"x\""), "{json}");
    }

    #[test]
    fn custom_cells_show_human_text_in_tables_and_values_elsewhere() {
        let cell = Cell::custom(
            serde_json::json!([{"url": "http://x"}]),
            "RegionOne\n  public: http://x\n",
        );
        let table = rendered("table", cell.clone());
        assert!(table.contains("|   public: http://x |"), "{table}");
        let json = rendered("json", cell);
        assert!(json.contains("\"url\": \"http://x\""), "{json}");
    }
}
