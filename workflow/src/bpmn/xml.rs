//! XML helpers: names without prefixes, attributes, entities and escaping.

use std::collections::BTreeMap;

use quick_xml::events::BytesStart;

pub(super) fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_owned(),
        None => name.to_owned(),
    }
}

pub(super) fn attributes(element: &BytesStart<'_>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for attribute in element.attributes().flatten() {
        let key = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| attribute.value.to_string());
        map.insert(key, value);
    }
    map
}

/// The value of an attribute in any of the given prefixes (`flowable:assignee`, ...).
pub(super) fn prefixed<'a>(attributes: &'a BTreeMap<String, String>, name: &str) -> Option<&'a String> {
    ["flowable", "camunda", "activiti"].iter().find_map(|prefix| attributes.get(&format!("{prefix}:{name}")))
}

/// The text of an entity or character reference: XML's five entities, `&#NN;` and `&#xHH;`.
pub(super) fn entity(name: &str) -> Option<String> {
    let character = |code: u32| char::from_u32(code).map(String::from);
    match name {
        "lt" => Some("<".to_owned()),
        "gt" => Some(">".to_owned()),
        "amp" => Some("&".to_owned()),
        "quot" => Some("\"".to_owned()),
        "apos" => Some("'".to_owned()),
        _ => match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(character),
            None => name.strip_prefix('#').and_then(|decimal| decimal.parse().ok()).and_then(character),
        },
    }
}

pub(super) fn attr(attributes: &BTreeMap<String, String>, name: &str) -> String {
    attributes.get(name).cloned().unwrap_or_default()
}

/// Text escaped for an attribute or element: the five markup characters, and the whitespace
/// characters an attribute's normalisation would turn into spaces (a name drawn on two lines
/// keeps its line break).
pub(super) fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).replace('\n', "&#10;").replace('\r', "&#13;").replace('\t', "&#9;")
}
