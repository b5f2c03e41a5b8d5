//! `--config-drive` as ironicclient reads it: a JSON object, a file (its JSON, or its text:
//! a gzipped, base64-encoded drive), or a directory made into an ISO 9660 image by
//! genisoimage, mkisofs or xorrisofs, then gzipped and base64-encoded.

use osc_plugin_sdk::{json, Result, Value};
use std::path::Path;
use std::process::Command;

pub fn value(cd: &str) -> Result<Value> {
    if let Ok(Value::Object(m)) = osc_plugin_sdk::serde_json::from_str::<Value>(cd) {
        return Ok(Value::Object(m));
    }
    let path = Path::new(cd);
    if path.is_file() {
        let data = std::fs::read(path).map_err(|e| format!("Cannot read {cd}: {e}"))?;
        let looks_json = data
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{' || *b == b'[');
        if looks_json {
            if let Ok(v) = osc_plugin_sdk::serde_json::from_slice::<Value>(&data) {
                return Ok(v);
            }
        }
        return String::from_utf8(data)
            .map(|s| json!(s))
            .map_err(|_| "Config drive must be a dictionary or a base64 encoded string".into());
    }
    if path.is_dir() {
        return Ok(json!(make(cd)?));
    }
    Err(format!(
        "Config drive seems to refer to a file or directory but this file/directory does not exist: {cd}."
    )
    .into())
}

/// ironicclient's `make_configdrive`.
fn make(dir: &str) -> Result<String> {
    if std::fs::read_dir(dir).is_err() {
        return Err(format!("The directory \"{dir}\" is not readable").into());
    }
    let iso = std::env::temp_dir().join(format!("osc-configdrive-{}.iso", std::process::id()));
    let iso_name = iso.to_string_lossy().to_string();
    let mut last_error = String::new();
    let mut output = None;
    for tool in ["genisoimage", "mkisofs", "xorrisofs"] {
        let run = Command::new(tool)
            .args([
                "-o",
                &iso_name,
                "-ldots",
                "-allow-lowercase",
                "-allow-multidot",
                "-l",
            ])
            .args([
                "-publisher",
                "ironicclient-configdrive 0.1",
                "-quiet",
                "-J",
                "-r",
            ])
            .args(["-V", "config-2", dir])
            .output();
        match run {
            Ok(o) => {
                output = Some(o);
                break;
            }
            Err(e) => last_error = crate::create::py_os_error(&e, tool),
        }
    }
    let Some(out) = output else {
        return Err(format!(
            "Error generating the config drive. Make sure the \"genisoimage\", \"mkisofs\", or \"xorriso\" tool is installed. Error: {last_error}"
        )
        .into());
    };
    if !out.status.success() {
        let _ = std::fs::remove_file(&iso);
        return Err(format!(
            "Error generating the config drive.Stdout: \"{}\". Stderr: {}",
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    let image = std::fs::read(&iso);
    let _ = std::fs::remove_file(&iso);
    let image = image.map_err(|e| format!("Cannot read the config drive image: {e}"))?;
    Ok(base64(&gzip_stored(&image)))
}

/// A gzip member holding `data` in stored (uncompressed) deflate blocks: what Ironic
/// needs is gzip, not a particular ratio.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let mut chunks = data.chunks(65535).peekable();
    if chunks.peek().is_none() {
        out.extend([1, 0, 0, 0xff, 0xff]);
    }
    while let Some(c) = chunks.next() {
        let last = u8::from(chunks.peek().is_none());
        let len = c.len() as u16;
        out.push(last);
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(c);
    }
    out.extend(crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_gzip_are_standard() {
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(base64(b"hi!"), "aGkh");
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let gz = gzip_stored(b"abc");
        assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
        assert_eq!(&gz[gz.len() - 4..], &3u32.to_le_bytes());
    }

    #[test]
    fn files_json_and_missing_paths() {
        let dir = std::env::temp_dir().join(format!("osc-cd-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let f = dir.join("drive");
        std::fs::write(&f, "H4sIAAAA").unwrap_or_default();
        let name = f.to_string_lossy().to_string();
        assert_eq!(value(&name).ok(), Some(json!("H4sIAAAA")));
        std::fs::write(&f, r#" {"meta_data": {}}"#).unwrap_or_default();
        assert_eq!(value(&name).ok(), Some(json!({"meta_data": {}})));
        assert_eq!(value(r#"{"a": 1}"#).ok(), Some(json!({"a": 1})));
        let err = value("/no/such/drive").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("Config drive seems to refer to a file or directory but this file/directory does not exist: /no/such/drive.")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
