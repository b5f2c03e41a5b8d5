//! The message inside an OpenStack error body, whatever the service's format: `message`,
//! `detail`, `faultstring` or `title` at the top, inside the API-SIG `errors` list
//! (placement), or one level down (`{"badRequest": {"message": ..}}`); HTML and text
//! bodies (Glance, Swift) lose their tags and line breaks. The same rules as osc's own.

use serde_json::Value;

/// The one-line message of an error body, or `None` when it is empty.
pub fn error_message(text: &str) -> Option<String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        let pick = |v: &Value| -> Option<String> {
            for k in ["message", "detail", "faultstring", "title"] {
                if let Some(s) = v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                    return Some(s.to_string());
                }
            }
            None
        };
        if let Some(m) = pick(&v) {
            return Some(one_line(&m));
        }
        if let Some(e) = v.get("errors").and_then(|e| e.get(0)).and_then(pick) {
            return Some(one_line(&e));
        }
        if let Value::Object(m) = &v {
            for inner in m.values() {
                if let Some(s) = pick(inner) {
                    return Some(one_line(&s));
                }
            }
        }
    }
    // HTML or text: strip tags and collapse whitespace.
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let s = one_line(&out);
    (!s.is_empty()).then_some(s)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_sig_errors_and_html_become_one_line() {
        let placement = r#"{"errors": [{"status": 404, "title": "Not Found", "detail": "No resource provider with uuid x found", "request_id": "req-1"}]}"#;
        assert_eq!(
            error_message(placement).as_deref(),
            Some("No resource provider with uuid x found")
        );
        let glance = "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID x<br /><br />\n </body>\n</html>";
        assert_eq!(
            error_message(glance).as_deref(),
            Some("404 Not Found 404 Not Found No image found with ID x")
        );
        assert_eq!(
            error_message(r#"{"NeutronError": {"message": "gone"}}"#).as_deref(),
            Some("gone")
        );
        assert_eq!(error_message("  "), None);
    }
}
