//! Product-wide passes over lowered actions: types that several actions define
//! identically become one shared type, and structures that requests send are marked.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::ir::{Action, Ty, TypeDef, TypeHome, TypeRef};

/// A named type defined the same way (names, types, values; not descriptions) by two or
/// more actions, and nowhere differently, moves to the version's `types` module, so the
/// actions share one Rust type. The first action's documentation is kept; each action
/// module re-exports the type under its old path.
pub(super) fn hoist_identical_types(shared: &mut Vec<TypeDef>, actions: &mut [Action]) {
    let shared_names: HashSet<String> = shared.iter().map(|t| t.rust_name().to_owned()).collect();
    let mut defs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in actions.iter() {
        for t in &a.types {
            defs.entry(t.rust_name().to_owned())
                .or_default()
                .push(shape(t));
        }
    }
    let mut hoist: BTreeSet<String> = defs
        .iter()
        .filter(|(name, shapes)| {
            shapes.len() > 1
                && !shared_names.contains(*name)
                && shapes.iter().all(|s| *s == shapes[0])
        })
        .map(|(name, _)| name.clone())
        .collect();
    // A type can move only if every action-local type it refers to moves too.
    loop {
        let before = hoist.len();
        for a in actions.iter() {
            for t in a.types.iter().filter(|t| hoist.contains(t.rust_name())) {
                let mut local_refs = Vec::new();
                visit_def_refs(&mut t.clone(), &mut |r| {
                    if matches!(r.home, TypeHome::Action(_)) {
                        local_refs.push(r.rust_name.clone());
                    }
                });
                if local_refs.iter().any(|n| !hoist.contains(n)) {
                    let name = t.rust_name().to_owned();
                    hoist.remove(&name);
                    break;
                }
            }
        }
        if hoist.len() == before {
            break;
        }
    }
    if hoist.is_empty() {
        return;
    }
    let mut moved: BTreeMap<String, TypeDef> = BTreeMap::new();
    for a in actions.iter_mut() {
        let (go, stay): (Vec<TypeDef>, Vec<TypeDef>) = std::mem::take(&mut a.types)
            .into_iter()
            .partition(|t| hoist.contains(t.rust_name()));
        a.types = stay;
        a.hoisted = go.iter().map(|t| t.rust_name().to_owned()).collect();
        for t in go {
            moved.entry(t.rust_name().to_owned()).or_insert(t);
        }
        let mut to_shared = |r: &mut TypeRef| {
            if matches!(r.home, TypeHome::Action(_)) && hoist.contains(&r.rust_name) {
                r.home = TypeHome::Shared;
            }
        };
        visit_action_refs(a, &mut to_shared);
    }
    for mut t in moved.into_values() {
        visit_def_refs(&mut t, &mut |r| {
            if matches!(r.home, TypeHome::Action(_)) {
                r.home = TypeHome::Shared;
            }
        });
        shared.push(t);
    }
}

/// Marks every structure a request parameter can reach (directly, in lists or maps, or
/// through other structures) as `input`: it gets setters and a validating check.
pub(super) fn mark_inputs(shared: &mut [TypeDef], actions: &mut [Action]) {
    let mut shared_inputs: HashSet<String> = HashSet::new();
    for a in actions.iter_mut() {
        let mut todo: Vec<TypeRef> = a
            .params
            .iter()
            .filter_map(|p| p.ty.struct_ref().cloned())
            .collect();
        let mut seen: HashSet<(bool, String)> = HashSet::new();
        while let Some(r) = todo.pop() {
            let is_shared = r.home == TypeHome::Shared;
            if !seen.insert((is_shared, r.rust_name.clone())) {
                continue;
            }
            let pool: &[TypeDef] = if is_shared { shared } else { &a.types };
            if let Some(TypeDef::Struct(s)) = pool.iter().find(|t| t.rust_name() == r.rust_name) {
                todo.extend(s.fields.iter().filter_map(|f| f.ty.struct_ref().cloned()));
            }
        }
        for (is_shared, name) in seen {
            if is_shared {
                shared_inputs.insert(name);
            } else if let Some(TypeDef::Struct(s)) =
                a.types.iter_mut().find(|t| t.rust_name() == name)
            {
                s.input = true;
            }
        }
    }
    for t in shared.iter_mut() {
        if let TypeDef::Struct(s) = t {
            s.input |= shared_inputs.contains(&s.rust_name);
        }
    }
}

/// What makes two definitions the same type: everything but documentation and examples,
/// with references to action-local types compared by name.
fn shape(t: &TypeDef) -> String {
    let mut t = t.clone();
    match &mut t {
        TypeDef::Struct(s) => {
            s.description.clear();
            for f in &mut s.fields {
                f.description.clear();
                f.example = None;
            }
        }
        TypeDef::Enum(e) => {
            e.description.clear();
            for v in &mut e.values {
                v.description.clear();
            }
        }
    }
    visit_def_refs(&mut t, &mut |r| {
        if let TypeHome::Action(m) = &mut r.home {
            m.clear();
        }
    });
    format!("{t:?}")
}

fn visit_def_refs(t: &mut TypeDef, f: &mut impl FnMut(&mut TypeRef)) {
    if let TypeDef::Struct(s) = t {
        for field in &mut s.fields {
            field.ty.refs_mut(f);
        }
    }
}

fn visit_action_refs(a: &mut Action, f: &mut impl FnMut(&mut TypeRef)) {
    for p in &mut a.params {
        p.ty.refs_mut(f);
    }
    for field in &mut a.response.fields {
        field.ty.refs_mut(f);
    }
    for t in &mut a.types {
        visit_def_refs(t, f);
    }
    if let Some(p) = &mut a.pagination {
        let item: &mut Ty = match p {
            crate::ir::Pagination::PageNumber { item_ty, .. } => item_ty,
            crate::ir::Pagination::Token { item_ty, .. } => item_ty,
            crate::ir::Pagination::Offset { item_ty, .. } => item_ty,
        };
        item.refs_mut(f);
    }
}
