//! The runtime is in layers, and its modules import each other without a cycle.
//!
//! This test reads `src/**/*.rs`, leaves out test code (`#[cfg(test)]` modules and the
//! files they declare), and collects every reference one file makes to another: paths
//! from `crate::` and `$crate::` (with `use crate::{a, b::{c, d}}` groups expanded),
//! `super::` paths, a parent's paths through the modules it declares, names the crate
//! root re-exports or exports as macros (resolved to where they are defined), and the
//! same paths in doc links (`[`x`](crate::client::Client)`), which is how a reader sees a
//! dependency. Then it checks:
//!
//! 1. the layer order ([`LAYERS`]): a top-level module refers only to itself and to the
//!    modules before it in the list;
//! 2. no cycle among files, a child's references to its own parent `mod.rs` left aside
//!    (a parent may use its children, and they what it holds).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The runtime's top-level modules, lowest layer first: each may use only those before it.
const LAYERS: &[&str] = &[
    "redact",
    "codec",
    "validate",
    "http",
    "credentials",
    "protocol",
    "client",
    "credential_providers",
    "server",
];

/// A module path from the crate root: `[]` for `lib.rs`, `["protocol", "rpc"]` for
/// `protocol/rpc.rs`.
type ModPath = Vec<String>;

/// One source file, its test code left out.
#[derive(Debug)]
struct File {
    module: ModPath,
    /// The source with strings, characters and plain comments blanked, braces in doc
    /// comments blanked, and `#[cfg(test)]` modules removed.
    code: String,
    /// Whether it is `mod.rs` (or `lib.rs`): the modules it declares are its children.
    declares_children: bool,
}

/// A file's text with string and character literals and non-doc comments blanked (the
/// same length, newlines kept), and the braces inside doc comments blanked, so that brace
/// matching and path matching see code and doc links only.
fn clean(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |ch: char| if ch == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < c.len() {
        if c[i] == '/' && at(&c, i + 1) == '/' {
            let doc = (at(&c, i + 2) == '/' && at(&c, i + 3) != '/') || at(&c, i + 2) == '!';
            while i < c.len() && c[i] != '\n' {
                out.push(match (doc, c[i]) {
                    (true, '{' | '}') => ' ',
                    (true, ch) => ch,
                    (false, ch) => blank(ch),
                });
                i += 1;
            }
        } else if c[i] == '/' && at(&c, i + 1) == '*' {
            let mut depth = 0;
            loop {
                if i >= c.len() {
                    break;
                }
                if c[i] == '/' && at(&c, i + 1) == '*' {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && at(&c, i + 1) == '/' {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
        } else if (c[i] == 'r' || (c[i] == 'b' && at(&c, i + 1) == 'r'))
            && !is_ident(c.get(i.wrapping_sub(1)).copied().unwrap_or(' '))
            && {
                let start = if c[i] == 'b' { i + 2 } else { i + 1 };
                let hashes = c[start..].iter().take_while(|ch| **ch == '#').count();
                c.get(start + hashes) == Some(&'"')
            }
        {
            // A raw string: r#"…"#.
            let start = if c[i] == 'b' { i + 2 } else { i + 1 };
            let hashes = c[start..].iter().take_while(|ch| **ch == '#').count();
            let open_end = start + hashes + 1;
            for ch in &c[i..open_end] {
                out.push(*ch);
            }
            i = open_end;
            while i < c.len() {
                if c[i] == '"'
                    && c[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|ch| **ch == '#')
                        .count()
                        == hashes
                {
                    out.push('"');
                    out.extend(std::iter::repeat_n('#', hashes));
                    i += 1 + hashes;
                    break;
                }
                out.push(blank(c[i]));
                i += 1;
            }
        } else if c[i] == '"' {
            out.push('"');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < c.len() {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{7f}'), or a lifetime ('a).
            let literal_end = if at(&c, i + 1) == '\\' {
                c[i + 2..]
                    .iter()
                    .position(|ch| *ch == '\'')
                    .map(|p| i + 2 + p)
            } else if at(&c, i + 2) == '\'' {
                Some(i + 2)
            } else {
                None
            };
            match literal_end {
                Some(end) => {
                    out.push('\'');
                    for _ in i + 1..end {
                        out.push(' ');
                    }
                    out.push('\'');
                    i = end + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The character at `i`, or `\0` past the end.
fn at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or('\0')
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// The index of the `}` that closes the `{` at `open`.
fn closing_brace(code: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (i, b) in code.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced braces after byte {open}")
}

/// `code` without its `#[cfg(test)]` modules, and the names of the module files it
/// declares under `#[cfg(test)]` (`#[cfg(test)] mod test_server;`).
fn strip_tests(code: &str) -> (String, Vec<String>) {
    let mut out = code.to_owned();
    let mut test_files = Vec::new();
    while let Some(at) = out.find("#[cfg(test)]") {
        let after = at + "#[cfg(test)]".len();
        let item = out[after..].trim_start();
        let item_at = out.len() - item.len();
        let words: Vec<&str> = item.split_whitespace().take(3).collect();
        let is_mod = words.first() == Some(&"mod") || words.get(1) == Some(&"mod");
        let brace = out[item_at..].find(['{', ';']).map(|p| item_at + p);
        let end = match (is_mod, brace) {
            (true, Some(b)) if out.as_bytes()[b] == b';' => {
                let decl = &out[item_at..b];
                test_files.push(decl.split_whitespace().last().unwrap().to_owned());
                b + 1
            }
            (true, Some(b)) => closing_brace(&out, b) + 1,
            // Any other test-only item: its attribute alone is dropped.
            _ => after,
        };
        out.replace_range(at..end, &" ".repeat(end - at));
    }
    (out, test_files)
}

/// Every non-test source file under `src`.
fn read_files(src: &Path) -> Vec<File> {
    let mut files = Vec::new();
    let mut skipped: BTreeSet<PathBuf> = BTreeSet::new();
    // Parents first, so that a `#[cfg(test)] mod x;` is known before `x.rs` is read.
    let mut queue = vec![(src.join("lib.rs"), Vec::<String>::new())];
    while let Some((path, module)) = queue.pop() {
        if skipped.contains(&path) {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (code, test_files) = strip_tests(&clean(&text));
        let name = path.file_name().unwrap().to_str().unwrap();
        let declares_children = name == "mod.rs" || name == "lib.rs";
        let dir = if declares_children {
            path.parent().unwrap().to_owned()
        } else {
            path.with_extension("")
        };
        for t in &test_files {
            skipped.insert(dir.join(format!("{t}.rs")));
            skipped.insert(dir.join(t).join("mod.rs"));
        }
        for child in declared_modules(&code) {
            let mut m = module.clone();
            m.push(child.clone());
            let flat = dir.join(format!("{child}.rs"));
            let nested = dir.join(&child).join("mod.rs");
            if flat.exists() {
                queue.push((flat, m));
            } else if nested.exists() {
                queue.push((nested, m));
            }
        }
        files.push(File {
            module,
            code,
            declares_children,
        });
    }
    files
}

/// The modules a file declares in other files: `mod x;`, `pub mod x;`, `pub(crate) mod x;`.
fn declared_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("mod ") {
        if i > 0 && is_ident(code[..i].chars().last().unwrap()) {
            continue;
        }
        let rest = &code[i + 4..];
        let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        if !name.is_empty() && rest[name.len()..].trim_start().starts_with(';') {
            out.push(name);
        }
    }
    out
}

/// The paths at `at` (just after `crate::`, `super::` or a module name and `::`): the
/// segments that follow and, for a `{…}` group, each path inside it, in full.
fn paths_at(code: &str, at: usize, prefix: &[String]) -> Vec<Vec<String>> {
    let mut segs = prefix.to_vec();
    let mut i = at;
    let b = code.as_bytes();
    loop {
        let seg: String = code[i..].chars().take_while(|c| is_ident(*c)).collect();
        if !seg.is_empty() {
            segs.push(seg.clone());
            i += seg.len();
            if code[i..].starts_with("::") {
                i += 2;
                continue;
            }
            return vec![segs];
        }
        if i < b.len() && (b[i] == b'{') {
            let close = closing_brace(code, i);
            let mut out = Vec::new();
            let inner = &code[i + 1..close];
            let mut depth = 0;
            let mut start = 0;
            for (k, ch) in inner.char_indices().chain([(inner.len(), ',')]) {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let item = &inner[start..k];
                        let lead = item.len() - item.trim_start().len();
                        let item_at = i + 1 + start + lead;
                        if !item.trim().is_empty() {
                            for p in paths_at(code, item_at, &segs) {
                                out.push(p.into_iter().filter(|s| s != "self").collect());
                            }
                        }
                        start = k + 1;
                    }
                    _ => {}
                }
            }
            return out;
        }
        // `*` or anything else: the path so far.
        return vec![segs];
    }
}

/// The inline modules (`mod x { … }`) open at each byte of `code`: how many `super::`
/// stay inside the file there.
fn inline_depths(code: &str) -> Vec<usize> {
    let mut depth_at = vec![0; code.len() + 1];
    let mut spans = Vec::new();
    for (i, _) in code.match_indices("mod ") {
        if i > 0 && is_ident(code[..i].chars().last().unwrap()) {
            continue;
        }
        let rest = &code[i + 4..];
        let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        let after = rest[name.len()..].trim_start();
        if !name.is_empty() && after.starts_with('{') {
            let open = code.len() - after.len();
            spans.push((open, closing_brace(code, open)));
        }
    }
    for (open, close) in spans {
        for d in &mut depth_at[open..=close] {
            *d += 1;
        }
    }
    depth_at
}

/// The file module a module path lands in: the longest prefix that is a file.
fn file_of<'a>(path: &[String], modules: &'a BTreeSet<ModPath>) -> Option<&'a ModPath> {
    (0..=path.len())
        .rev()
        .find_map(|n| modules.get(&path[..n].to_vec()))
}

/// What the crate root makes visible by name: its `pub use` re-exports and the
/// `#[macro_export]` macros, each with the module path it comes from.
fn root_names(files: &[File]) -> BTreeMap<String, ModPath> {
    let mut names = BTreeMap::new();
    let lib = files.iter().find(|f| f.module.is_empty()).unwrap();
    for (i, _) in lib.code.match_indices("pub use ") {
        for p in paths_at(&lib.code, i + "pub use ".len(), &[]) {
            let last = p.last().unwrap().clone();
            names.insert(last, p);
        }
    }
    for f in files {
        for (i, _) in f.code.match_indices("#[macro_export]") {
            let rest = &f.code[i..];
            if let Some(m) = rest.find("macro_rules!") {
                let name: String = rest[m + "macro_rules!".len()..]
                    .trim_start()
                    .chars()
                    .take_while(|c| is_ident(*c))
                    .collect();
                names.insert(name, f.module.clone());
            }
        }
    }
    names
}

/// Every reference from one file module to another, with where it was seen.
fn edges(files: &[File]) -> BTreeMap<(ModPath, ModPath), String> {
    let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    let root = root_names(files);
    let mut out = BTreeMap::new();
    for f in files {
        let depths = inline_depths(&f.code);
        let children: Vec<String> = if f.declares_children {
            declared_modules(&f.code)
        } else {
            Vec::new()
        };
        let line_of = |at: usize| f.code[..at].matches('\n').count() + 1;
        let in_doc = |at: usize| {
            let line_start = f.code[..at].rfind('\n').map_or(0, |p| p + 1);
            let line = f.code[line_start..].trim_start();
            line.starts_with("///") || line.starts_with("//!")
        };
        let mut found: Vec<(usize, Vec<String>)> = Vec::new();
        for (i, _) in f.code.match_indices("crate::") {
            let before = f.code[..i].chars().last().unwrap_or(' ');
            if is_ident(before) && !f.code[..i].ends_with("$") {
                continue;
            }
            for p in paths_at(&f.code, i + "crate::".len(), &[]) {
                found.push((i, p));
            }
        }
        for (i, _) in f.code.match_indices("super::") {
            let before = f.code[..i].chars().last().unwrap_or(' ');
            if is_ident(before) || before == ':' {
                continue;
            }
            let mut at = i;
            let mut ups = 0usize;
            while f.code[at..].starts_with("super::") {
                ups += 1;
                at += "super::".len();
            }
            let ups = ups.saturating_sub(depths[i]);
            if ups == 0 {
                continue;
            }
            let base = f.module[..f.module.len().saturating_sub(ups)].to_vec();
            for p in paths_at(&f.code, at, &base) {
                found.push((i, p));
            }
        }
        for child in &children {
            let pat = format!("{child}::");
            for (i, _) in f.code.match_indices(&pat) {
                let before = f.code[..i].chars().last().unwrap_or(' ');
                if is_ident(before) || before == ':' || before == '$' {
                    continue;
                }
                let mut base = f.module.clone();
                base.push(child.clone());
                for p in paths_at(&f.code, i + pat.len(), &base) {
                    found.push((i, p));
                }
            }
        }
        for (at, path) in found {
            let mut target = file_of(&path, &modules).cloned().unwrap_or_default();
            if target.is_empty() && !path.is_empty() {
                // A name the crate root makes visible: where it comes from.
                if in_doc(at) {
                    continue;
                }
                match root.get(&path[0]) {
                    Some(from) => target = file_of(from, &modules).cloned().unwrap_or_default(),
                    None => panic!(
                        "{}:{}: `{}` is not a module nor a name the crate root re-exports",
                        f.module.join("/"),
                        line_of(at),
                        path.join("::")
                    ),
                }
            }
            if target != f.module {
                out.entry((f.module.clone(), target))
                    .or_insert_with(|| format!("{}:{}", display(&f.module), line_of(at)));
            }
        }
    }
    out
}

fn display(m: &ModPath) -> String {
    if m.is_empty() {
        "lib".to_owned()
    } else {
        m.join("::")
    }
}

/// Strongly connected components of more than one file (Tarjan's algorithm).
fn cycles(nodes: &[ModPath], edges: &BTreeMap<(ModPath, ModPath), String>) -> Vec<Vec<ModPath>> {
    struct State<'a> {
        adj: BTreeMap<&'a ModPath, Vec<&'a ModPath>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on: BTreeSet<&'a ModPath>,
        out: Vec<Vec<ModPath>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a ModPath) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.adj.get(v).cloned().unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        adj: BTreeMap::new(),
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for (a, b) in edges.keys() {
        s.adj.entry(a).or_default().push(b);
    }
    for v in nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Whether `to` is the module that declares `from` (its `mod.rs`): a child may use what
/// its parent holds, as the parent may use its children.
fn is_parent(from: &ModPath, to: &ModPath) -> bool {
    from.len() == to.len() + 1 && from.starts_with(to)
}

/// The layer violations and forbidden cycles of the sources under `src`.
fn problems(src: &Path) -> (Vec<String>, usize) {
    let files = read_files(src);
    let edges = edges(&files);
    let mut problems = Vec::new();
    let tops: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.module.first().map(String::as_str))
        .collect();
    for t in &tops {
        if !LAYERS.contains(t) {
            problems.push(format!(
                "the top-level module `{t}` is in no layer: add it to LAYERS"
            ));
        }
    }
    let layer = |m: &ModPath| m.first().and_then(|t| LAYERS.iter().position(|l| l == t));
    for ((from, to), at) in &edges {
        if from.is_empty() {
            continue;
        }
        match (layer(from), layer(to)) {
            (Some(a), Some(b)) if b > a => problems.push(format!(
                "{at}: `{}` (layer {}) refers to `{}` (layer {}), a higher layer",
                display(from),
                LAYERS[a],
                display(to),
                LAYERS[b]
            )),
            (_, None) => problems.push(format!(
                "{at}: `{}` refers to the crate root; name the module instead",
                display(from)
            )),
            _ => {}
        }
    }
    let nodes: Vec<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    let without_parents: BTreeMap<(ModPath, ModPath), String> = edges
        .iter()
        .filter(|((from, to), _)| !is_parent(from, to))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for comp in cycles(&nodes, &without_parents) {
        let members: Vec<String> = comp.iter().map(display).collect();
        let inside: Vec<String> = without_parents
            .iter()
            .filter(|((a, b), _)| comp.contains(a) && comp.contains(b))
            .map(|((a, b), at)| format!("{} -> {} ({at})", display(a), display(b)))
            .collect();
        problems.push(format!(
            "import cycle among {}: {}",
            members.join(", "),
            inside.join("; ")
        ));
    }
    (problems, edges.len())
}

#[test]
fn the_runtime_is_in_layers_without_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (problems, edges) = problems(&src);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    // The sources were read: a check that found nothing to check would pass vacuously.
    assert!(
        edges > 50,
        "only {edges} references between files were found"
    );
}

#[test]
fn an_upward_reference_and_a_cycle_are_found() {
    let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("codec")).unwrap();
    std::fs::create_dir_all(dir.join("client")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(dir.join(path), text).unwrap();
    write(
        "lib.rs",
        "pub mod codec;\npub mod client;\npub use client::Client;\n",
    );
    write("codec/mod.rs", "pub mod a;\npub mod b;\n");
    // `a` and `b` import each other; `a` also names the client through the root.
    write(
        "codec/a.rs",
        "use super::b::B;\n/// Doc links through the root are fine: [`C`](crate::Client).\n\
         pub struct A(crate::Client);\n#[cfg(test)]\nmod tests { use crate::client::x; }\n",
    );
    write(
        "codec/b.rs",
        "pub struct B(crate::codec::{a::A});\nconst S: &str = \"crate::client::Client\";\n",
    );
    write("client/mod.rs", "pub struct Client;\n");
    let (problems, _) = problems(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains("`codec::a` (layer codec) refers to `client` (layer client)"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].starts_with("import cycle among codec::a, codec::b"),
        "{}",
        problems[1]
    );
}
