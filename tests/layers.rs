//! The crate's top-level modules depend on each other in one direction only:
//!
//! startup, cli, seed → routes, views, error (and auth's guards) → services → ledger, mail,
//! audit → db → domain, with config, i18n and telemetry as leaves that anyone may use.
//!
//! This test reads every file under `src/`, takes the `use crate::…` trees (grouped ones too)
//! and the `crate::…`, `self::…`, `super::…` and external paths in the code (comments and
//! string literals are skipped), and fails listing every cycle between top-level modules and
//! every import that the rules below forbid. Plain std, no parser crate: it reads tokens.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

/// What a top-level module may import. `Never` lists patterns it may not import; `Only` lists
/// the crate's top-level modules it may import (any other of the crate's modules is forbidden;
/// other crates are not limited by it).
///
/// Patterns are paths: `crate::views` stands for `crate::views` and everything in it,
/// `crate::auth::Member` for that item (as re-exported by `auth`), and `actix_*` for every
/// crate whose name starts with `actix_`.
enum Rule {
    Never(&'static [&'static str]),
    Only(&'static [&'static str]),
}
use Rule::{Never, Only};

const NOT_FOR_LOWER_LAYERS: &[&str] = &[
    "crate::services",
    "crate::routes",
    "crate::views",
    "crate::startup",
    "crate::error",
];

const RULES: &[(&str, Rule)] = &[
    (
        "services",
        Never(&[
            "actix_*",
            "crate::views",
            "crate::routes",
            "crate::startup",
            "crate::state",
            "crate::error",
            // The request's signed-in identity is the routes' business; auth::password,
            // auth::tokens and auth::throttle are services' to use.
            "crate::auth::identity",
            "crate::auth::Member",
        ]),
    ),
    ("routes", Never(&["crate::db::schema"])),
    ("db", Only(&["domain", "config", "telemetry"])),
    ("domain", Only(&[])),
    ("ledger", Never(NOT_FOR_LOWER_LAYERS)),
    ("mail", Never(NOT_FOR_LOWER_LAYERS)),
    ("audit", Never(NOT_FOR_LOWER_LAYERS)),
];

/// Top-level modules whose parts sit on different layers: each of their files is a module of
/// its own here (`auth::password`, `auth::identity`, …; `auth` itself is its `mod.rs`).
const SPLIT: &[&str] = &["auth"];

/// The layers, top first: a module may import from its own layer and the layers below it,
/// never from one above. Modules not listed here are held to the rules above and to having
/// no cycles only.
const LAYERS: &[&[&str]] = &[
    &["startup", "cli", "seed"],
    &[
        "routes",
        "views",
        "error",
        "auth",
        "auth::identity",
        "auth::csrf",
        "auth::session_store",
        "state",
    ],
    &["services"],
    &[
        "ledger",
        "mail",
        "audit",
        "auth::password",
        "auth::tokens",
        "auth::throttle",
    ],
    &["db"],
    &["domain"],
    &["config", "i18n", "telemetry"],
];

#[test]
fn src_follows_the_module_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_sources(&src, &src, &mut files);
    assert!(
        files.len() > 10,
        "found only {} files under {}",
        files.len(),
        src.display()
    );
    let report = check(&files);
    assert!(report.is_empty(), "{}", report.render());
}

fn read_sources(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            read_sources(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
            out.push((rel, text));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checker.

/// One path that a file names: `crate`-relative segments, or another crate's path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Crate(Vec<String>),
    External(Vec<String>),
}

impl Target {
    fn show(&self) -> String {
        match self {
            Target::Crate(p) => format!("crate::{}", p.join("::")),
            Target::External(p) => p.join("::"),
        }
    }
}

#[derive(Clone, Debug)]
struct Import {
    file: String,
    line: usize,
    module: String,
    target: Target,
}

#[derive(Default)]
struct Report {
    cycles: Vec<String>,
    forbidden: Vec<String>,
}

impl Report {
    fn is_empty(&self) -> bool {
        self.cycles.is_empty() && self.forbidden.is_empty()
    }

    fn render(&self) -> String {
        let mut out = String::from("the module layers are broken\n");
        if !self.cycles.is_empty() {
            out += &format!(
                "\ncycles between top-level modules ({}):\n",
                self.cycles.len()
            );
            for c in &self.cycles {
                out += c;
            }
        }
        if !self.forbidden.is_empty() {
            out += &format!("\nforbidden imports ({}):\n", self.forbidden.len());
            for f in &self.forbidden {
                out += &format!("  {f}\n");
            }
        }
        out
    }
}

/// The top-level module of a file under `src/`, `None` for the crate root; for the modules
/// in `SPLIT`, the file's own submodule.
fn top_module(file: &str) -> Option<String> {
    let mut parts = file.split('/');
    let first = parts.next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    if matches!(name, "main" | "lib") {
        return None;
    }
    if SPLIT.contains(&name) {
        if let Some(sub) = parts.next() {
            let sub = sub.strip_suffix(".rs").unwrap_or(sub);
            if sub != "mod" {
                return Some(format!("{name}::{sub}"));
            }
        }
    }
    Some(name.to_string())
}

/// The module path of a file: `services/invitations/mod.rs` → `services::invitations`.
fn module_path(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.split('/').map(str::to_string).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.strip_suffix(".rs").unwrap_or(&last);
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

fn check(files: &[(String, String)]) -> Report {
    let modules: BTreeSet<String> = files.iter().filter_map(|(f, _)| top_module(f)).collect();
    let mut imports = Vec::new();
    for (file, text) in files {
        let Some(module) = top_module(file) else {
            continue;
        };
        for (line, target) in paths_in(text, &module_path(file)) {
            imports.push(Import {
                file: file.clone(),
                line,
                module: module.clone(),
                target,
            });
        }
    }
    Report {
        cycles: cycles(&imports, &modules),
        forbidden: forbidden(&imports, &modules),
    }
}

fn target_module(target: &Target, modules: &BTreeSet<String>) -> Option<String> {
    match target {
        Target::Crate(p) => {
            let first = p.first().filter(|m| modules.contains(*m))?;
            if SPLIT.contains(&first.as_str()) {
                if let Some(unit) = p.get(1).map(|sub| format!("{first}::{sub}")) {
                    if modules.contains(&unit) {
                        return Some(unit);
                    }
                }
            }
            Some(first.clone())
        }
        Target::External(_) => None,
    }
}

fn pattern_matches(pattern: &str, target: &Target) -> bool {
    let mut segs: Vec<&str> = pattern.split("::").collect();
    let path = match target {
        Target::Crate(p) if segs[0] == "crate" => {
            segs.remove(0);
            p
        }
        Target::External(p) if segs[0] != "crate" => p,
        _ => return false,
    };
    for (i, seg) in segs.iter().enumerate() {
        match path.get(i) {
            // `use x::*` may bring in anything below x.
            Some(p) if p == "*" => return true,
            Some(p) if seg.ends_with('*') && p.starts_with(seg.trim_end_matches('*')) => {}
            Some(p) if p == seg => {}
            _ => return false,
        }
    }
    true
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn forbidden(imports: &[Import], modules: &BTreeSet<String>) -> Vec<String> {
    let mut found: BTreeMap<(String, usize, String), Vec<String>> = BTreeMap::new();
    for imp in imports {
        let to = target_module(&imp.target, modules);
        if to.as_deref() == Some(imp.module.as_str()) {
            continue;
        }
        let mut reasons = Vec::new();
        for (module, rule) in RULES {
            if *module != imp.module {
                continue;
            }
            match rule {
                Never(patterns) => {
                    for p in patterns.iter().filter(|p| pattern_matches(p, &imp.target)) {
                        reasons.push(format!("{module} may not import {p}"));
                    }
                }
                Only(allowed) => {
                    if let Some(to) = &to {
                        if !allowed.contains(&to.as_str()) {
                            reasons.push(if allowed.is_empty() {
                                format!("{module} imports nothing from the crate")
                            } else {
                                format!("{module} may import only {}", allowed.join(", "))
                            });
                        }
                    }
                }
            }
        }
        if let Some(to) = &to {
            if let (Some(from_layer), Some(to_layer)) = (layer_of(&imp.module), layer_of(to)) {
                if to_layer < from_layer {
                    reasons.push(format!("{to} is on a layer above {}", imp.module));
                }
            }
        }
        if !reasons.is_empty() {
            let key = (imp.file.clone(), imp.line, imp.target.show());
            let entry = found.entry(key).or_default();
            for r in reasons {
                if !entry.contains(&r) {
                    entry.push(r);
                }
            }
        }
    }
    found
        .into_iter()
        .map(|((file, line, target), reasons)| {
            format!("src/{file}:{line}: {target} ({})", reasons.join("; "))
        })
        .collect()
}

/// One cycle through every group of top-level modules that reach each other, with the file
/// and line of one import behind each step.
fn cycles(imports: &[Import], modules: &BTreeSet<String>) -> Vec<String> {
    let mut edges: BTreeMap<String, BTreeMap<String, &Import>> = BTreeMap::new();
    for imp in imports {
        if let Some(to) = target_module(&imp.target, modules) {
            if to != imp.module {
                edges
                    .entry(imp.module.clone())
                    .or_default()
                    .entry(to)
                    .or_insert(imp);
            }
        }
    }
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([from.to_string()]);
        while let Some(m) = queue.pop_front() {
            for next in edges.get(&m).into_iter().flat_map(|e| e.keys()) {
                if seen.insert(next.clone()) {
                    queue.push_back(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<String, BTreeSet<String>> =
        modules.iter().map(|m| (m.clone(), reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in modules {
        if done.contains(m) || !reachable[m].contains(m) {
            continue;
        }
        let group: BTreeSet<String> = reachable[m]
            .iter()
            .filter(|o| reachable[*o].contains(m))
            .cloned()
            .collect();
        done.extend(group.iter().cloned());
        // The shortest way back to `m`, within the group.
        let mut prev: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = VecDeque::from([m.clone()]);
        'search: while let Some(cur) = queue.pop_front() {
            for next in edges.get(&cur).into_iter().flat_map(|e| e.keys()) {
                if !group.contains(next) || prev.contains_key(next) {
                    continue;
                }
                prev.insert(next.clone(), cur.clone());
                if next == m {
                    break 'search;
                }
                queue.push_back(next.clone());
            }
        }
        let mut path = vec![m.clone()];
        let mut cur = prev[m].clone();
        while &cur != m {
            path.push(cur.clone());
            cur = prev[&cur].clone();
        }
        path.push(m.clone());
        path.reverse();
        let mut text = format!("  {}", path.join(" -> "));
        if group.len() > path.len() - 1 {
            let all: Vec<&str> = group.iter().map(String::as_str).collect();
            text += &format!("   (all of {} reach each other)", all.join(", "));
        }
        text += "\n";
        for step in path.windows(2) {
            let imp = edges[&step[0]][&step[1]];
            text += &format!(
                "      {} -> {}: src/{}:{} {}\n",
                step[0],
                step[1],
                imp.file,
                imp.line,
                imp.target.show()
            );
        }
        out.push(text);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading paths out of Rust source.

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    Dollar,
    Other,
}

fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let is_ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        match ch {
            '\n' => {
                line += 1;
                i += 1;
            }
            _ if ch.is_whitespace() => i += 1,
            '/' if next == Some('/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if c[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    if c.get(i) == Some(&'\n') {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push((Tok::Other, line));
            }
            '\'' => {
                // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
                if next == Some('\\') {
                    i += 2;
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else if c.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                    while i < c.len() && is_ident(c[i]) {
                        i += 1;
                    }
                }
                out.push((Tok::Other, line));
            }
            ':' if next == Some(':') => {
                out.push((Tok::PathSep, line));
                i += 2;
            }
            '{' | '}' | ',' | ';' | '*' | '$' => {
                out.push((
                    match ch {
                        '{' => Tok::Open,
                        '}' => Tok::Close,
                        ',' => Tok::Comma,
                        ';' => Tok::Semi,
                        '*' => Tok::Star,
                        _ => Tok::Dollar,
                    },
                    line,
                ));
                i += 1;
            }
            _ if ch.is_ascii_digit() => {
                while i < c.len() && is_ident(c[i]) {
                    i += 1;
                }
                out.push((Tok::Other, line));
            }
            _ if is_ident(ch) => {
                let start = i;
                while i < c.len() && is_ident(c[i]) {
                    i += 1;
                }
                let word: String = c[start..i].iter().collect();
                let hashes = c[i..].iter().take_while(|&&h| h == '#').count();
                if matches!(word.as_str(), "r" | "br" | "cr") && c.get(i + hashes) == Some(&'"') {
                    // A raw string: up to the quote followed by as many hashes.
                    i += hashes + 1;
                    while i < c.len() {
                        if c[i] == '"'
                            && c[i + 1..].iter().take_while(|&&h| h == '#').count() >= hashes
                        {
                            i += 1 + hashes;
                            break;
                        }
                        if c[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                    out.push((Tok::Other, line));
                } else if word == "r" && hashes == 1 && c.get(i + 1).is_some_and(|&n| is_ident(n)) {
                    // A raw identifier, r#type.
                    i += 1;
                    let start = i;
                    while i < c.len() && is_ident(c[i]) {
                        i += 1;
                    }
                    out.push((Tok::Ident(c[start..i].iter().collect()), line));
                } else {
                    out.push((Tok::Ident(word), line));
                }
            }
            _ => {
                out.push((Tok::Other, line));
                i += 1;
            }
        }
    }
    out
}

fn ident(t: Option<&(Tok, usize)>) -> Option<&str> {
    match t {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

/// Every path that `text` names, with its line, resolved against the file's module path.
fn paths_in(text: &str, module: &[String]) -> Vec<(usize, Target)> {
    let toks = tokens(text);
    let mut out = Vec::new();
    // Inline `mod name { … }` blocks: their name and the brace depth inside them.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth: usize = 0;
    let mut i = 0;
    while i < toks.len() {
        let here = || -> Vec<String> {
            module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(m, _)| m.clone()))
                .collect()
        };
        match &toks[i].0 {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                inline.retain(|(_, d)| *d <= depth);
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some(name), Some((Tok::Open, _))) =
                    (ident(toks.get(i + 1)), toks.get(i + 2))
                {
                    inline.push((name.to_string(), depth + 1));
                }
            }
            Tok::Ident(w) if w == "use" => {
                let line = toks[i].1;
                let mut leaves = Vec::new();
                let mut j = i + 1;
                use_tree(&toks, &mut j, Vec::new(), &mut leaves);
                let base = here();
                out.extend(
                    leaves
                        .into_iter()
                        .filter_map(|p| resolve(&p, &base).map(|t| (line, t))),
                );
                while j < toks.len() && toks[j].0 != Tok::Semi {
                    j += 1;
                }
                i = j;
            }
            Tok::Ident(first)
                if toks.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep)
                    && !matches!(
                        i.checked_sub(1).map(|p| &toks[p].0),
                        Some(Tok::PathSep) | Some(Tok::Dollar)
                    ) =>
            {
                let line = toks[i].1;
                let mut path = vec![first.clone()];
                let mut j = i + 1;
                while toks.get(j).map(|t| &t.0) == Some(&Tok::PathSep) {
                    match ident(toks.get(j + 1)) {
                        Some(next) => {
                            path.push(next.to_string());
                            j += 2;
                        }
                        None => break,
                    }
                }
                if let Some(t) = resolve(&path, &here()) {
                    out.push((line, t));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Reads one use tree from `toks[*i]` on, adding every full path it names to `out`.
fn use_tree(
    toks: &[(Tok, usize)],
    i: &mut usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) {
    loop {
        match toks.get(*i).map(|t| &t.0) {
            Some(Tok::PathSep) => *i += 1,
            Some(Tok::Ident(name)) => {
                *i += 1;
                if name != "self" || prefix.is_empty() {
                    prefix.push(name.clone());
                }
                if toks.get(*i).map(|t| &t.0) == Some(&Tok::PathSep) {
                    *i += 1;
                    continue;
                }
                if ident(toks.get(*i)) == Some("as") {
                    *i += 2;
                }
                out.push(prefix);
                return;
            }
            Some(Tok::Star) => {
                *i += 1;
                prefix.push("*".into());
                out.push(prefix);
                return;
            }
            Some(Tok::Open) => {
                *i += 1;
                loop {
                    match toks.get(*i).map(|t| &t.0) {
                        Some(Tok::Close) => {
                            *i += 1;
                            return;
                        }
                        Some(Tok::Comma) => *i += 1,
                        None | Some(Tok::Semi) => return,
                        _ => {
                            let before = *i;
                            use_tree(toks, i, prefix.clone(), out);
                            if *i == before {
                                *i += 1;
                            }
                        }
                    }
                }
            }
            _ => return,
        }
    }
}

fn resolve(path: &[String], here: &[String]) -> Option<Target> {
    let first = path.first()?;
    match first.as_str() {
        "crate" => Some(Target::Crate(path[1..].to_vec())),
        "self" | "super" => {
            let mut base = here.to_vec();
            let mut rest = path;
            if first == "self" {
                rest = &path[1..];
            }
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            Some(Target::Crate(base))
        }
        "Self" => None,
        _ => Some(Target::External(path.to_vec())),
    }
}

// ---------------------------------------------------------------------------------------------
// The checker checked: it must see what it is for, or the test above could pass on anything.

fn sources(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect()
}

#[test]
fn the_checker_reports_a_cycle_between_top_level_modules() {
    let report = check(&sources(&[
        ("lib.rs", "pub mod ledger; pub mod mail; pub mod audit;"),
        ("ledger/mod.rs", "use crate::mail::outbox;\n"),
        ("mail/mod.rs", "pub mod outbox;\n"),
        (
            "mail/outbox.rs",
            "fn f() {\n    crate::audit::record();\n}\n",
        ),
        (
            "audit.rs",
            "use crate::{domain::Money, ledger::Transfer};\n",
        ),
        ("domain.rs", "pub struct Money;\n"),
    ]));
    assert!(report.forbidden.is_empty(), "{}", report.render());
    assert_eq!(report.cycles.len(), 1, "{}", report.render());
    let cycle = &report.cycles[0];
    assert!(
        cycle.starts_with("  audit -> ledger -> mail -> audit\n"),
        "{cycle}"
    );
    assert!(
        cycle.contains("src/mail/outbox.rs:2 crate::audit::record"),
        "{cycle}"
    );
    assert!(
        cycle.contains("src/audit.rs:1 crate::ledger::Transfer"),
        "{cycle}"
    );
}

#[test]
fn the_checker_reports_forbidden_imports() {
    let report = check(&sources(&[
        ("lib.rs", "pub mod services;"),
        (
            "services/mod.rs",
            "//! Uses crate::views in a comment only.\n\
             pub mod a;\n\
             use crate::{\n    auth::{password, identity::Member as M},\n    domain::*,\n};\n",
        ),
        (
            "services/a.rs",
            "use actix_web::web;\n\
             /* use crate::routes::x; */\n\
             const S: &str = \"crate::startup::AppState\";\n\
             const R: &str = r#\"crate::error::AppError\"#;\n\
             fn f(c: char) -> bool { c == '\"' }\n\
             fn g() { super::super::views::page(); crate::auth::throttle::hit(); }\n",
        ),
        (
            "routes/mod.rs",
            "use crate::db::{self, schema::customers};\n",
        ),
        (
            "db/mod.rs",
            "use crate::error::AppError;\nuse crate::domain::Money;\n",
        ),
        (
            "domain/mod.rs",
            "fn f(s: &crate::config::Settings) -> bool { s.demo_data }\n",
        ),
        ("views/mod.rs", ""),
        ("error.rs", ""),
        ("config.rs", ""),
        (
            "auth/mod.rs",
            "pub mod identity; pub mod password; pub mod throttle;",
        ),
        ("auth/identity.rs", ""),
        ("auth/password.rs", ""),
        ("auth/throttle.rs", ""),
    ]));
    let all = report.forbidden.join("\n");
    let expected = [
        "src/db/mod.rs:1: crate::error::AppError (db may import only domain, config, telemetry; error is on a layer above db)",
        "src/domain/mod.rs:1: crate::config::Settings (domain imports nothing from the crate)",
        "src/routes/mod.rs:1: crate::db::schema::customers (routes may not import crate::db::schema)",
        "src/services/a.rs:1: actix_web::web (services may not import actix_*)",
        "src/services/a.rs:6: crate::views::page (services may not import crate::views; views is on a layer above services)",
        "src/services/mod.rs:3: crate::auth::identity::Member (services may not import crate::auth::identity; auth::identity is on a layer above services)",
    ];
    assert_eq!(all, expected.join("\n"), "{}", report.render());
    assert!(report.cycles.is_empty(), "{}", report.render());
}

#[test]
fn the_checker_reads_grouped_uses_relative_paths_and_skips_comments_and_strings() {
    let here = module_path("services/invitations/list.rs");
    assert_eq!(here, ["services", "invitations", "list"]);
    assert_eq!(
        module_path("services/invitations/mod.rs"),
        ["services", "invitations"]
    );
    let text = "use crate::{a, b::{c, d as e, self}, f::*};\n\
                // use crate::commented::out;\n\
                /* crate::block::comment /* nested crate::x */ */\n\
                let s = \"crate::in_string\"; let l: &'static str = s;\n\
                use super::super::ledger;\n\
                mod tests { use super::*; }\n\
                $crate::macro_path::x();\n";
    let got: Vec<String> = paths_in(text, &here)
        .into_iter()
        .map(|(line, t)| format!("{line} {}", t.show()))
        .collect();
    assert_eq!(
        got,
        [
            "1 crate::a",
            "1 crate::b::c",
            "1 crate::b::d",
            "1 crate::b",
            "1 crate::f::*",
            "5 crate::services::ledger",
            "6 crate::services::invitations::list::*",
        ]
    );
}
