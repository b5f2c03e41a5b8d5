//! ironicclient's columns: `--fields` selections, rows of fields as
//! `oscutils.get_item_properties` builds them (headed by the field names), and sorting.

use osc_plugin_sdk::{Args, Reply, Value};

/// The fields of `--fields a b --fields c` in order, or `None` when not given.
pub fn selected(args: &Args) -> Option<Vec<String>> {
    let f = args.list("fields");
    (!f.is_empty()).then_some(f)
}

/// A table of `items` under `fields`.
pub fn table<S: AsRef<str>>(items: &[Value], fields: &[S]) -> Reply {
    let rows = items
        .iter()
        .map(|i| {
            fields
                .iter()
                // Missing fields are '', as `getattr(item, field, '')`.
                .map(|f| {
                    i.get(f.as_ref())
                        .cloned()
                        .unwrap_or_else(|| Value::from(""))
                })
                .collect()
        })
        .collect();
    Reply::list(fields.iter().map(|f| f.as_ref().to_string())).rows(rows)
}

/// osc_lib's `sort_items(items, "key[:dir],...")`, client-side as ironicclient does.
pub fn sort(items: &mut [Value], spec: Option<&str>) -> osc_plugin_sdk::Result<()> {
    let Some(spec) = spec else { return Ok(()) };
    // Later keys first, so that the first key decides (stable sorts).
    for part in spec.split(',').rev() {
        let (key, dir) = part.split_once(':').unwrap_or((part, "asc"));
        let desc = match dir {
            "asc" => false,
            "desc" => true,
            other => {
                return Err(format!(
                    "Specify a valid sort direction for {key}: asc or desc, not {other}"
                )
                .into())
            }
        };
        items.sort_by(|a, b| {
            let o = compare(&a[key], &b[key]);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    Ok(())
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
        (Value::Null, _) => std::cmp::Ordering::Less,
        (_, Value::Null) => std::cmp::Ordering::Greater,
        _ => a.to_string().cmp(&b.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use osc_plugin_sdk::json;

    #[test]
    fn sorting() {
        let mut v = vec![
            json!({"name": "b"}),
            json!({"name": "a"}),
            json!({"name": null}),
        ];
        sort(&mut v, Some("name:desc")).ok();
        assert_eq!(v[0]["name"], "b");
        assert!(sort(&mut v, Some("name:up")).is_err());
    }
}
