//! Python comparison semantics (`==`, `<`) on JSON-shaped values, and a stable sort that,
//! like `sorted()`, gives up when two compared values cannot be ordered (`TypeError`).
//!
//! cliff sorts `--sort-column` data with `sorted(data, key=lambda k: (k[i] is None, k[i]))`
//! and silently skips a column whose values raise `TypeError`, so both the order and the
//! give-up cases have to follow Python.

use serde_json::{Number, Value};
use std::cmp::Ordering;

/// Raised where Python would raise `TypeError` ("'<' not supported between instances").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unorderable;

/// Python `a == b` for values decoded from JSON (`True == 1`, `1 == 1.0`, dicts unordered).
pub fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
        }
        _ => match (numeric(a), numeric(b)) {
            (Some(x), Some(y)) => num_cmp(&x, &y) == Some(Ordering::Equal),
            _ => false,
        },
    }
}

/// Python `a < b`; `Err` where Python raises `TypeError`.
pub fn py_lt(a: &Value, b: &Value) -> Result<bool, Unorderable> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Ok(x < y),
        (Value::Array(x), Value::Array(y)) => {
            // Sequence comparison: the first unequal pair decides, else the shorter is less.
            for (p, q) in x.iter().zip(y) {
                if !py_eq(p, q) {
                    return py_lt(p, q);
                }
            }
            Ok(x.len() < y.len())
        }
        _ => match (numeric(a), numeric(b)) {
            (Some(x), Some(y)) => Ok(num_cmp(&x, &y) == Some(Ordering::Less)),
            _ => Err(Unorderable),
        },
    }
}

/// A number as Python sees it; `bool` is an `int` subclass.
enum Num {
    Int(i128),
    Float(f64),
}

fn numeric(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(i128::from(*b))),
        Value::Number(n) => Some(number(n)),
        _ => None,
    }
}

fn number(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::Int(i128::from(i))
    } else if let Some(u) = n.as_u64() {
        Num::Int(i128::from(u))
    } else {
        Num::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn num_cmp(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(y)),
        (Num::Int(x), Num::Float(y)) => (*x as f64).partial_cmp(y),
        (Num::Float(x), Num::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
    }
}

/// Stable merge sort driven by a fallible "less than", as Python's `sorted()`: an element
/// moves ahead of an earlier one only when strictly less. Returns `Err` (leaving `items` in
/// an unspecified order) as soon as a comparison fails; callers keep their own copy.
pub fn try_stable_sort<T: Clone>(
    items: &mut Vec<T>,
    mut lt: impl FnMut(&T, &T) -> Result<bool, Unorderable>,
) -> Result<(), Unorderable> {
    let n = items.len();
    if n < 2 {
        return Ok(());
    }
    let mut width = 1;
    let mut src = std::mem::take(items);
    let mut dst: Vec<T> = Vec::with_capacity(n);
    while width < n {
        dst.clear();
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            while i < mid && j < end {
                // Take from the right run only when it is strictly less: keeps stability.
                if lt(&src[j], &src[i])? {
                    dst.push(src[j].clone());
                    j += 1;
                } else {
                    dst.push(src[i].clone());
                    i += 1;
                }
            }
            dst.extend_from_slice(&src[i..mid]);
            dst.extend_from_slice(&src[j..end]);
            start = end;
        }
        std::mem::swap(&mut src, &mut dst);
        width *= 2;
    }
    *items = src;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equality() {
        assert!(py_eq(&json!(1), &json!(1.0)));
        assert!(py_eq(&json!(true), &json!(1)));
        assert!(!py_eq(&json!("1"), &json!(1)));
        assert!(py_eq(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1})));
        assert!(py_eq(&json!(null), &json!(null)));
    }

    #[test]
    fn ordering() {
        assert_eq!(py_lt(&json!("B"), &json!("a")), Ok(true));
        assert_eq!(py_lt(&json!(2), &json!(10)), Ok(true));
        assert_eq!(py_lt(&json!([1, "a"]), &json!([2, 3])), Ok(true));
        assert_eq!(py_lt(&json!(["a"]), &json!([1])), Err(Unorderable));
        assert_eq!(py_lt(&json!([1]), &json!([1, 0])), Ok(true));
        assert_eq!(py_lt(&json!("a"), &json!(1)), Err(Unorderable));
        assert_eq!(py_lt(&json!(null), &json!(null)), Err(Unorderable));
        assert_eq!(py_lt(&json!({}), &json!({})), Err(Unorderable));
    }

    #[test]
    fn sort_is_stable_and_fallible() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        try_stable_sort(&mut v, |a, b| Ok(a.0 < b.0)).ok();
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut w = vec![1, 2, 3];
        assert!(try_stable_sort(&mut w, |_, _| Err(Unorderable)).is_err());
    }
}
