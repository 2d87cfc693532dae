//! Alibaba Cloud XML responses (`Format=XML`) as a JSON-shaped value, so one tolerant
//! model decodes both: elements with children become objects, repeated names become
//! arrays, text becomes strings (`"1"`, `"true"`, which the model accepts).

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};

/// Converts an XML body. A document whose only top-level element is `<{root}>` is
/// unwrapped; a document of several top-level elements (as the API documents print
/// them) is read as the fields of one object.
pub fn to_value(body: &[u8], root: &str) -> Result<Value, String> {
    let mut reader = Reader::from_reader(body);
    // Stack of (name, fields, text) of open elements; the bottom is the implicit document.
    let mut stack: Vec<(String, Map<String, Value>, String)> =
        vec![(String::new(), Map::new(), String::new())];
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("invalid XML at byte {}: {e}", reader.error_position()))?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if stack.len() > 128 {
                    return Err("XML nested deeper than 128 elements".into());
                }
                stack.push((name, Map::new(), String::new()));
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some(top) = stack.last_mut() {
                    insert(&mut top.1, name, Value::String(String::new()));
                }
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| format!("invalid XML text: {e}"))?;
                let text = quick_xml::escape::unescape(&text)
                    .map_err(|e| format!("invalid XML escape: {e}"))?;
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let resolved = match name.as_str() {
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "amp" => "&".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    n => match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => format!("&{n};"),
                    },
                };
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&resolved);
                }
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err("unbalanced XML end tag".into());
                }
                let Some((name, fields, text)) = stack.pop() else {
                    break;
                };
                // Text between child elements is indentation; a leaf keeps its text exactly.
                let value = if fields.is_empty() {
                    Value::String(text)
                } else {
                    Value::Object(fields)
                };
                if let Some(parent) = stack.last_mut() {
                    insert(&mut parent.1, name, value);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if stack.len() != 1 {
        return Err("the XML body ends inside an element (truncated?)".into());
    }
    let (_, mut doc, text) = stack.pop().unwrap_or_default();
    if doc.is_empty() {
        return Err(if text.trim().is_empty() {
            "the body is empty".into()
        } else {
            "the body is not XML".into()
        });
    }
    if doc.len() == 1 {
        if let Some(Value::Object(inner)) = doc.get(root) {
            let inner = inner.clone();
            doc = inner;
        }
    }
    Ok(Value::Object(doc))
}

fn insert(map: &mut Map<String, Value>, name: String, value: Value) {
    match map.get_mut(&name) {
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            map.insert(name, value);
        }
    }
}

/// Serializes a JSON value as Alibaba-style XML under `root` (arrays repeat the element),
/// the inverse of [`to_value`] for the stub server.
#[cfg(feature = "stub-server")]
pub fn from_json(root: &str, v: &Value) -> String {
    fn write(out: &mut String, name: &str, v: &Value) {
        match v {
            Value::Array(items) => {
                for item in items {
                    write(out, name, item);
                }
            }
            Value::Object(map) => {
                out.push_str(&format!("<{name}>"));
                for (k, v) in map {
                    write(out, k, v);
                }
                out.push_str(&format!("</{name}>"));
            }
            Value::Null => {}
            Value::String(s) => out.push_str(&format!(
                "<{name}>{}</{name}>",
                quick_xml::escape::escape(s.as_str())
            )),
            other => out.push_str(&format!("<{name}>{other}</{name}>")),
        }
    }
    let mut out = String::from("<?xml version='1.0' encoding='UTF-8'?>");
    write(&mut out, root, v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_elements_become_arrays_and_a_named_root_is_unwrapped() {
        let v = to_value(b"<?xml version=\"1.0\"?><XResponse><A>1</A><L><B>x</B></L><L><B>y</B></L><E/></XResponse>", "XResponse").unwrap();
        assert_eq!(
            v,
            serde_json::json!({"A": "1", "L": [{"B": "x"}, {"B": "y"}], "E": ""})
        );
        let v = to_value(b"<A>1 &amp; 2</A>\n<B>t</B>", "XResponse").unwrap();
        assert_eq!(v, serde_json::json!({"A": "1 & 2", "B": "t"}));
        assert!(to_value(b"<A><B>1</B>", "X").is_err());
        assert!(to_value(b"", "X").is_err());
    }
}
