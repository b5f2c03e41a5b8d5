//! The one parser of OpenStack error bodies, whatever the service's format: Nova's
//! `{"badRequest": {"message": ..}}`, Neutron's `{"NeutronError": {"message": ..}}`,
//! the API-SIG `{"errors": [{"title": .., "detail": ..}]}` of Placement and Ironic's
//! `{"error_message": ..}` (itself JSON), Keystone's `{"error": {"message": ..}}`, Heat's
//! `{"error": {"message": .., "explanation": ..}}`, the `{"title": .., "description": ..}` of
//! Gnocchi (webob) and Zaqar (falcon), plain text, and the HTML pages of Glance and Swift.

use crate::error::Error;
use serde_json::Value;

/// The human message of an error body, on one line, without control characters.
pub fn error_message(text: &str) -> Option<String> {
    if let Ok(v) = serde_json::from_str::<Value>(text.trim()) {
        // A message of only whitespace or control characters is none: the reason phrase
        // is said instead.
        if let Some(m) = json_message(&v, 0) {
            let m = one_line(&m);
            return (!m.is_empty()).then_some(m);
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

fn json_message(v: &Value, depth: usize) -> Option<String> {
    if depth > 3 {
        return None;
    }
    let pick_from = |v: &Value, keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            v.get(*k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
    };
    let pick = |v: &Value| {
        pick_from(
            v,
            &[
                "message",
                "detail",
                "faultstring",
                "description",
                "title",
                "explanation",
            ],
        )
    };
    // A message at the top wins; a generic `title` or `explanation` beside a nested message
    // (Heat's `{"title": "Bad Request", "explanation": .., "error": {"message": ..}}`) only
    // when nothing nested has one.
    if let Some(m) = pick_from(v, &["message", "detail", "faultstring", "description"]) {
        return Some(m);
    }
    // Ironic: {"error_message": "{\"faultstring\": ..}"}.
    if let Some(inner) = v.get("error_message") {
        let nested = match inner {
            Value::String(s) => serde_json::from_str::<Value>(s)
                .ok()
                .and_then(|j| json_message(&j, depth + 1))
                .or_else(|| Some(s.clone())),
            other => json_message(other, depth + 1),
        };
        if nested.is_some() {
            return nested;
        }
    }
    if let Some(e) = v.get("errors").and_then(|e| e.get(0)).and_then(pick) {
        return Some(e);
    }
    if let Value::Object(m) = v {
        for inner in m.values() {
            if let Some(s) = pick(inner) {
                return Some(s);
            }
        }
        if let Some(s) = pick_from(v, &["title", "explanation"]) {
            return Some(s);
        }
        for inner in m.values() {
            if let Value::String(s) = inner {
                if !s.is_empty() && m.len() == 1 {
                    return Some(s.clone());
                }
            }
        }
    }
    None
}

/// Whitespace collapsed to single spaces and control characters (terminal escapes) dropped.
pub fn one_line(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The error for an error answer: the body's message, else the status's reason phrase.
pub fn http_error(status: u16, body: &str, request_id: Option<&str>) -> Error {
    Error::Http {
        status,
        message: error_message(body).unwrap_or_else(|| reason(status).to_string()),
        request_id: request_id.map(str::to_string),
    }
}

/// The request ID headers services answer with (`x-openstack-request-id`, Swift's
/// `x-trans-id`, Nova's `x-compute-request-id`), by case-insensitive name.
pub const REQUEST_ID_HEADERS: [&str; 3] = [
    "x-openstack-request-id",
    "x-compute-request-id",
    "x-trans-id",
];

/// The reason phrase of common HTTP error statuses.
pub fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_format() {
        let cases = [
            (r#"{"badRequest": {"message": "Bad flavor", "code": 400}}"#, "Bad flavor"),
            (r#"{"NeutronError": {"type": "X", "message": "Net gone", "detail": ""}}"#, "Net gone"),
            (
                r#"{"errors": [{"status": 409, "title": "Conflict", "detail": "There was a conflict when trying to complete your request.\n\n resource provider generation conflict  "}]}"#,
                "There was a conflict when trying to complete your request. resource provider generation conflict",
            ),
            (
                r#"{"error_message": "{\"faultstring\": \"Node n could not be found.\", \"debuginfo\": null}"}"#,
                "Node n could not be found.",
            ),
            (
                r#"{"error_message": "{\"code\": 406, \"title\": \"Not Acceptable\", \"description\": \"Version 1.999 was requested but the minor version is not supported by this service.\"}"}"#,
                "Version 1.999 was requested but the minor version is not supported by this service.",
            ),
            (r#"{"error": {"message": "The request you have made requires authentication.", "code": 401}}"#, "The request you have made requires authentication."),
            ("<html><body><h1>404 Not Found</h1>\n<p>No image</p></body></html>", "404 Not Found No image"),
            (
                r#"{"code": 404, "title": "Not Found", "description": "Archive policy x does not exist"}"#,
                "Archive policy x does not exist",
            ),
            ("plain words\n", "plain words"),
            (
                r#"{"explanation": "The server could not comply with the request since it is either malformed or otherwise incorrect.", "code": 400, "error": {"message": "The Parameter (nope) was not defined in template.", "traceback": null, "type": "UnknownUserParameter"}, "title": "Bad Request"}"#,
                "The Parameter (nope) was not defined in template.",
            ),
            (r#"{"title": "Conflict", "code": 409}"#, "Conflict"),
            ("bad \u{1b}[31mred\u{1b}[0m", "bad [31mred[0m"),
        ];
        for (body, want) in cases {
            assert_eq!(error_message(body).as_deref(), Some(want), "{body}");
        }
        assert_eq!(error_message(""), None);
        assert_eq!(error_message(r#"{"message": "\u001b \n"}"#), None);
    }

    #[test]
    fn reason_phrase_without_body() {
        assert_eq!(
            http_error(404, "", Some("req-1")).to_string(),
            "Not Found (HTTP 404) (Request-ID: req-1)"
        );
    }
}
