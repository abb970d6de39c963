//! A YAML tree with the line and column of every node, built from saphyr's event parser.
//!
//! Why our own tree: rules must cite the exact line of a key (`uses:`, `FROM`, `image:`),
//! and the scanned repository is hostile. Nesting depth and alias expansion are bounded, so
//! "billion laughs" and 10,000-deep documents end in a clear error instead of memory
//! exhaustion or a stack overflow.

use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Deeper documents are rejected (our tree is dropped recursively).
pub const MAX_DEPTH: usize = 200;
/// Nodes that alias expansion may add across a file.
pub const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar as written (quoted or not); `quoted` tells `"true"` from `true`.
    Scalar {
        /// Boxed, in an allocation of its own size: the parser's strings reserve room to grow,
        /// and kept as they are that room was half of a large manifest's tree.
        text: Box<str>,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Entries in file order; duplicate keys are kept (lookups take the first).
    Map(Vec<(Node, Node)>),
}

static EMPTY_SEQ: &[Node] = &[];
static EMPTY_MAP: &[(Node, Node)] = &[];

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for `~`, `null` and empty plain scalars.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, quoted: false } if matches!(&**text, "" | "~" | "null"))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } => match &**text {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// Items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => EMPTY_SEQ,
        }
    }

    /// Entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => EMPTY_MAP,
        }
    }

    /// The key node and value node of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.entries()
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Line of the key `key` (the line users look at), if present.
    pub fn key_line(&self, key: &str) -> Option<u32> {
        self.entry(key).map(|(k, _)| k.line)
    }

    /// A scalar, or each scalar of a sequence: for fields like `on:` or `needs:` that take both.
    pub fn strings(&self) -> Vec<&str> {
        match &self.value {
            Value::Scalar { text, .. } => vec![&**text],
            Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
            Value::Map(_) => Vec::new(),
        }
    }

    /// Every scalar below this node, in document order, with its line (keys included).
    pub fn scalars(&self) -> Vec<(&str, u32)> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::Scalar { text, .. } => out.push((&**text, n.line)),
                Value::Seq(items) => stack.extend(items.iter().rev()),
                Value::Map(entries) => {
                    for (k, v) in entries.iter().rev() {
                        stack.push(v);
                        stack.push(k);
                    }
                }
            }
        }
        out
    }
}

/// A parsed YAML stream: one root per document.
#[derive(Debug, Clone, PartialEq)]
pub struct Yaml {
    pub docs: Vec<Node>,
}

impl Yaml {
    /// The first document's root, if there is one.
    pub fn root(&self) -> Option<&Node> {
        self.docs.first()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct YamlError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

enum Frame {
    Seq(Node, usize),
    /// A mapping under construction, its anchor, and a key waiting for its value.
    Map(Node, usize, Option<Node>),
}

/// Parses a YAML stream into positioned trees.
///
/// One leniency, for files GitHub and libyaml accept: a flow collection closed at the
/// indentation of its key (`name: [` … a line `]` under `name`) is invalid YAML 1.2, and
/// pytest's and pluggy's workflows are written so. When the parser stops at such a closing
/// line, the line is indented one more space and the text parsed again, a bounded number of
/// times; line numbers are unchanged. Any other error, or one that remains, is the first one.
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    /// Each retry parses the whole text again: a hostile file gets a handful, not thousands.
    const MAX_REPAIRS: usize = 8;
    let first = match parse_strict(text) {
        Ok(yaml) => return Ok(yaml),
        Err(e) => e,
    };
    let mut repaired = text.to_string();
    let mut error = first.clone();
    for _ in 0..MAX_REPAIRS {
        if !error.message.contains("indentation") || !indent_closing_line(&mut repaired, error.line)
        {
            break;
        }
        match parse_strict(&repaired) {
            Ok(yaml) => return Ok(yaml),
            Err(e) => error = e,
        }
    }
    Err(first)
}

/// Indents line `line` (1-based) by one space when it closes a flow collection.
fn indent_closing_line(text: &mut String, line: u32) -> bool {
    let Some(start) = (line as usize).checked_sub(1).and_then(|skip| match skip {
        0 => Some(0),
        n => text.match_indices('\n').nth(n - 1).map(|(i, _)| i + 1),
    }) else {
        return false;
    };
    let rest = &text[start..];
    let body = rest.split('\n').next().unwrap_or("");
    if !body.trim_start_matches(' ').starts_with([']', '}']) {
        return false;
    }
    text.insert(start, ' ');
    true
}

fn parse_strict(text: &str) -> Result<Yaml, YamlError> {
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut alias_budget = MAX_ALIAS_NODES;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| YamlError {
            line: e.marker().line() as u32,
            col: e.marker().col() as u32 + 1,
            message: e.info().to_string(),
        })?;
        let line = span.start.line() as u32;
        let col = span.start.col() as u32 + 1;
        let err = |message: String| YamlError { line, col, message };
        let complete: Option<(Node, usize)> = match event {
            Event::Scalar(text, style, anchor, _) => Some((
                Node {
                    line,
                    col,
                    value: Value::Scalar {
                        // A copy, not `into_boxed_str`: shrinking in place would leave the
                        // freed tail between scalars, too small for the next one's buffer.
                        text: Box::from(&*text),
                        quoted: !matches!(style, ScalarStyle::Plain),
                    },
                },
                anchor,
            )),
            Event::Alias(id) => {
                let (node, size) = anchors
                    .get(&id)
                    .ok_or_else(|| err("alias to an unknown anchor".into()))?;
                if *size > alias_budget {
                    return Err(err(format!(
                        "aliases expand to more than {MAX_ALIAS_NODES} nodes"
                    )));
                }
                alias_budget -= size;
                let mut copy = node.clone();
                copy.line = line;
                copy.col = col;
                Some((copy, 0))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let is_seq = matches!(event, Event::SequenceStart(..));
                stack.push(if is_seq {
                    Frame::Seq(
                        Node {
                            line,
                            col,
                            value: Value::Seq(Vec::new()),
                        },
                        anchor,
                    )
                } else {
                    Frame::Map(
                        Node {
                            line,
                            col,
                            value: Value::Map(Vec::new()),
                        },
                        anchor,
                        None,
                    )
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(node, anchor)) | Some(Frame::Map(node, anchor, None)) => {
                    Some((node, anchor))
                }
                _ => return Err(err("unbalanced collection".into())),
            },
            _ => None,
        };
        let Some((node, anchor)) = complete else {
            continue;
        };
        if anchor != 0 {
            let size = node_count(&node);
            anchors.insert(anchor, (node.clone(), size));
        }
        match stack.last_mut() {
            None => docs.push(node),
            Some(Frame::Seq(seq, _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, _, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Value::Map(entries) = &mut map.value {
                        entries.push((key, node));
                    }
                }
            },
        }
    }
    Ok(Yaml { docs })
}

fn node_count(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                for (k, v) in entries {
                    stack.push(k);
                    stack.push(v);
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys_and_values() {
        let y = parse("name: CI\non:\n  push:\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n").unwrap();
        let root = y.root().unwrap();
        assert_eq!(root.key_line("jobs"), Some(4));
        let step = &root.path(&["jobs", "test", "steps"]).unwrap().items()[0];
        let (k, v) = step.entry("uses").unwrap();
        assert_eq!((k.line, k.col), (7, 9));
        assert_eq!(v.as_str(), Some("actions/checkout@v4"));
        assert!(root.get("on").unwrap().get("push").unwrap().is_null());
    }

    /// pytest's test.yml: a matrix list closed at its key's indentation, which GitHub runs.
    #[test]
    fn flow_collections_closed_at_their_keys_indentation_parse() {
        let text = "jobs:\n  build:\n    strategy:\n      matrix:\n        name: [\n          \"py310\",\n\n          \"py311\",\n        ]\n        os: {\n          a: 1,\n        }\n    runs-on: x\n";
        let y = parse(text).unwrap();
        let root = y.root().unwrap();
        let matrix = root.path(&["jobs", "build", "strategy", "matrix"]).unwrap();
        let names: Vec<_> = matrix
            .get("name")
            .unwrap()
            .items()
            .iter()
            .map(|n| n.as_str())
            .collect();
        assert_eq!(names, [Some("py310"), Some("py311")]);
        assert_eq!(matrix.path(&["os", "a"]).unwrap().as_str(), Some("1"));
        // Positions are those of the file as written.
        let (k, _) = root
            .path(&["jobs", "build"])
            .unwrap()
            .entry("runs-on")
            .unwrap();
        assert_eq!((k.line, k.col), (13, 5));
    }

    #[test]
    fn other_indentation_errors_stay_errors() {
        // A mapping value indented less than its key: no closing bracket to move.
        let e = parse("a:\n  b: 1\n c: 2\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        // More misplaced closers than the retry budget: the first error, promptly.
        let mut text = String::from("a:\n  b:\n");
        for i in 0..20 {
            // (saphyr objects only after a quoted item, as in pytest's matrix)
            text.push_str(&format!("    l{i}: [\n      \"x\",\n    ]\n"));
        }
        let e = parse(&text).unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        // Within the budget, the same file parses.
        let few: String = text
            .lines()
            .take(2 + 3 * 8)
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(parse(&few).is_ok());
    }

    #[test]
    fn quoted_scalars_are_not_booleans() {
        let y = parse("a: true\nb: \"true\"\n").unwrap();
        let root = y.root().unwrap();
        assert_eq!(root.get("a").unwrap().as_bool(), Some(true));
        assert_eq!(root.get("b").unwrap().as_bool(), None);
    }

    #[test]
    fn aliases_resolve_within_budget() {
        let y = parse("base: &b {x: 1}\nother: *b\n").unwrap();
        assert_eq!(
            y.root().unwrap().path(&["other", "x"]).unwrap().as_str(),
            Some("1")
        );
    }

    #[test]
    fn alias_bomb_is_an_error_not_an_allocation() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("aliases expand"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        // saphyr stops at its own recursion limit before ours; either way, a clean error.
        let e = parse(&text).unwrap_err();
        assert!(
            e.message.contains("nesting") || e.message.contains("recursion"),
            "{e}"
        );
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(e.line >= 1, "{e}");
    }

    #[test]
    fn multi_document_streams_keep_every_document() {
        let y = parse("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(y.docs.len(), 2);
        assert_eq!(y.docs[1].key_line("b"), Some(3));
    }
}
